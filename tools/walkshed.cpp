// walkshed: walking-distance catchments, coverage, rule checks and siting of community service
// facilities. Each command is a thin layer over the engine (tools/cmd_*.cpp).
#include <cstdio>
#include <cstdlib>
#include <iostream>

#include <cpl_conv.h>
#include <cpl_error.h>

#include "commands.hpp"
#include "walkshed/core/error.hpp"

int main(int argc, char** argv) {
  CLI::App app{"walkshed " WALKSHED_VERSION
               " - walking-distance catchments, coverage and siting of community service facilities"};
  app.set_version_flag("--version", "walkshed " WALKSHED_VERSION);
  app.require_subcommand(1);
  app.footer("Run 'walkshed COMMAND --help' for the options and an example of each command.");
  cli::Common common;
  cli::setup_graph(app, common);
  cli::setup_catchment(app, common);
  cli::setup_coverage(app, common);
  int exit_code = 0;
  cli::setup_check(app, common, exit_code);
  cli::setup_site(app, common);
  cli::setup_study(app, common, exit_code);
  cli::setup_index(app, common);
  for (auto* sub : app.get_subcommands({})) sub->set_version_flag("--version", "walkshed " WALKSHED_VERSION);
  CPLSetErrorHandler(CPLQuietErrorHandler);  // GDAL messages are reported through our exceptions
  // GDAL initialises SpatiaLite on every SQLite/GeoPackage it opens (~5 ms each); walkshed runs no
  // Spatialite SQL. The environment can still ask for it.
  if (!CPLGetConfigOption("SPATIALITE_LOAD", nullptr)) CPLSetConfigOption("SPATIALITE_LOAD", "NO");
  cli::catch_signals();
  try {
    app.parse(argc, argv);
  } catch (...) {
    return cli::report_failure(app, std::current_exception());
  }
  // Every output is written and closed by now. Leaving without the libraries' exit handlers (GDAL's
  // driver manager and PROJ teardown) saves ~15 ms a run; nothing of ours is left to flush.
  std::cout.flush();
  std::fflush(nullptr);
  std::_Exit(exit_code);
}
