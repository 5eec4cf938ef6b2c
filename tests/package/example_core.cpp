// The analysis alone (walkshed::core, no GDAL): a 300 m street with a facility 100 m along it reaches
// 200 m of street within 100 m.
#include <cstdio>

#include "walkshed/catchment/catchment.hpp"
#include "walkshed/network/graph.hpp"

int main() {
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
  return length == 200 ? 0 : 1;
}
