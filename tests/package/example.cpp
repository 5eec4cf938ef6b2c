// walkshed as a library: a catchment job on files, then the analysis alone on a hand-made network.
//   walkshed_example ROADS FACILITIES
#include <cstdio>
#include <iostream>

#include "walkshed/catchment/catchment.hpp"
#include "walkshed/jobs/catchment.hpp"
#include "walkshed/network/graph.hpp"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: walkshed_example ROADS FACILITIES\n");
    return 1;
  }
  try {
    // 1. A job: read, analyse, report (no layers written: only the figures are used here).
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

    // 2. The analysis alone: a 300 m street with a facility at 100 m reaches 200 m of it within 100 m.
    walkshed::RoadSet roads;
    roads.add_line(walkshed::Polyline{{0, 0}, {300, 0}}, 1, "footway");
    const walkshed::Graph g = walkshed::build_graph(roads, {});
    walkshed::CatchmentOptions o;
    o.thresholds_m = {100};
    o.polygons = false;
    const auto r = walkshed::compute_catchments(g, {{"f", "", {100, 5}, nullptr}}, o);
    double length = 0;
    for (auto& p : r.catchments[0].pieces) length += p.to - p.from;
    std::printf("hand-made street: %.1f m reached\n", length);
    return report.routable > 0 && length == 200 ? 0 : 3;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 2;
  }
}
