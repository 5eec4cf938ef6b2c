// walkshed: walking catchments and coverage of community service facilities.
//
// GDAL and its ~120 libraries take 0.05-0.09 s to load, a third of a small job. This program does
// not link GDAL: it runs catchment jobs that write no layers (--no-layers, e.g. --reached-nodes)
// from a GeoPackage or a saved graph itself, with the GDAL-free readers, and hands everything else
// (other commands and formats, help, mistakes, errors) to walkshed-gdal, the full program next to
// it, which then runs in this process (exec) as if called directly.
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>

#include "commands.hpp"
#include "walkshed/gpkg_inputs.hpp"

namespace {

bool lean_job(int argc, char** argv) {
  if (argc < 3 || std::string(argv[1]) != "catchment" || std::getenv("WALKSHED_NO_LEAN")) return false;
  for (int i = 2; i < argc; ++i)
    if (std::string(argv[i]) == "--no-layers") return true;
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  if (lean_job(argc, argv)) {
    CLI::App app{"walkshed"};
    cli::Common common;
    common.hold = true;  // until its inputs are read
    cli::setup_catchment(app, common);
    cli::io.load_roads = [](const walkshed::RoadOptions& o, const walkshed::Progress&) { return walkshed::load_gpkg_roads(o); };
    cli::io.load_points = [](const walkshed::PointLayerOptions& o, const walkshed::Graph& g) {
      return walkshed::load_gpkg_points(o, g.epsg);
    };
    cli::io.write_catchments = [](auto&&...) -> std::vector<std::string> { throw walkshed::NeedsGdal("layers"); };
    try {
      app.parse(argc, argv);
      cli::release(common);
      std::cout.flush();
      std::fflush(nullptr);
      std::_Exit(0);
    } catch (...) {
      // Past its inputs the job is this program's to finish or fail; before, anything not covered
      // here (or a question, a mistake) goes to the full program, which answers in its own words.
      if (!common.hold) return cli::report_failure(app, std::current_exception());
      if (std::getenv("WALKSHED_SHOW_HANDOVER")) {
        try {
          throw;
        } catch (const std::exception& e) {
          std::fprintf(stderr, "walkshed: handed over: %s\n", e.what());
        } catch (...) {
        }
      }
    }
  }
  std::string self(4096, '\0');
  const ssize_t n = readlink("/proc/self/exe", self.data(), self.size() - 1);
  self = n > 0 ? self.substr(0, n) : std::string(argv[0]);
  const std::string full = self.substr(0, self.rfind('/') + 1) + "walkshed-gdal";
  execv(full.c_str(), argv);
  std::fprintf(stderr, "walkshed: error: cannot run %s: %s\n", full.c_str(), std::strerror(errno));
  return 5;
}
