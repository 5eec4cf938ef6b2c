// walkshed as a library: a catchment job on files (walkshed::engine).
//   walkshed_example ROADS FACILITIES
#include <cstdio>
#include <iostream>

#include "walkshed/jobs/catchment.hpp"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: walkshed_example ROADS FACILITIES\n");
    return 1;
  }
  try {
    // Read, analyse, report (no layers written: only the figures are used here).
    walkshed::CatchmentJob job;
    job.network.roads.path = argv[1];
    job.facilities.path = argv[2];
    job.options.thresholds_m = {500};
    job.layers = false;
    walkshed::Log log;
    log.on_warning = [](const std::string& m) { std::cerr << "warning: " << m << '\n'; };
    const walkshed::CatchmentReport report = walkshed::run_catchment(job, {}, log);
    std::printf("facilities %zu, routable %zu, nodes settled %lld\n", report.facilities.items.size(), report.routable,
                static_cast<long long>(report.settled_nodes));
    return report.routable > 0 ? 0 : 3;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 2;
  }
}
