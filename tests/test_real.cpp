// Real networks: the bounded search against Boost's plain Dijkstra.
#include <catch2/catch.hpp>

#include <filesystem>
#include <random>

#include "support.hpp"
#include "walkshed/catchment/catchment.hpp"
#include "walkshed/routing/search.hpp"

using namespace walkshed;

namespace {

Graph load(const std::string& path, const std::string& layer = "") {
  RoadOptions o;
  o.path = path;
  o.layer = layer;
  INFO("dataset " << path);
  REQUIRE(std::filesystem::exists(path));
  return build_graph(load_roads(o), {});
}

// Random facility positions on edges of the largest component (fixed seed).
std::vector<Snap> random_starts(const Graph& g, int count, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<std::uint32_t> edge(0, g.edge_count() - 1);
  std::uniform_real_distribution<double> frac(0, 1);
  std::vector<Snap> out;
  while ((int)out.size() < count) {
    std::uint32_t e = edge(rng);
    if (g.component[g.edge_u[e]] != 0) continue;
    double f = out.size() % 5 == 0 ? 0.0 : out.size() % 5 == 1 ? 1.0 : frac(rng);  // also exactly on vertices
    out.push_back({e, f * g.edge_length[e], 0, {}});
  }
  return out;
}

void check_against_boost(const Graph& g, int count, double limit) {
  Search s(g);
  std::int64_t compared = 0, inside = 0;
  for (auto& st : random_starts(g, count, 42)) {
    s.clear();
    s.add_source(g.edge_u[st.edge], st.offset, 0);
    s.add_source(g.edge_v[st.edge], g.edge_length[st.edge] - st.offset, 0);
    s.run(limit);
    auto ref = test::boost_distances(g, st.edge, st.offset);
    for (std::uint32_t n = 0; n < g.node_count(); ++n) {
      if (ref[n] <= limit) {
        ++inside;
        INFO("node " << n << " boost " << ref[n]);
        REQUIRE(s.is_reached(n));
        REQUIRE(std::abs(s.distance(n) - ref[n]) <= 1e-6);
      } else {
        REQUIRE_FALSE(s.is_reached(n));
      }
      ++compared;
    }
  }
  CHECK(inside > count);  // the searches did reach something
  // Unbounded multi-source search equals the minimum over single-source references.
  auto starts = random_starts(g, 20, 7);
  s.clear();
  for (std::uint32_t f = 0; f < starts.size(); ++f) {
    s.add_source(g.edge_u[starts[f].edge], starts[f].offset, f);
    s.add_source(g.edge_v[starts[f].edge], g.edge_length[starts[f].edge] - starts[f].offset, f);
  }
  s.run();
  std::vector<double> best(g.node_count(), kUnreached);
  for (auto& st : starts) {
    auto ref = test::boost_distances(g, st.edge, st.offset);
    for (std::uint32_t n = 0; n < g.node_count(); ++n) best[n] = std::min(best[n], ref[n]);
  }
  for (std::uint32_t n = 0; n < g.node_count(); ++n) {
    if (best[n] == std::numeric_limits<double>::max() || !std::isfinite(best[n])) {
      REQUIRE_FALSE(s.is_reached(n));
    } else {
      REQUIRE(std::abs(s.distance(n) - best[n]) <= 1e-6);
    }
  }
}

}  // namespace

TEST_CASE("sample (Beijing, OSM PBF): bounded search equals Boost Dijkstra", "[real]") {
  auto g = load(std::string(WALKSHED_DATA_DIR) + "/beijing_cau.osm.pbf");
  CHECK(g.epsg == 4548);  // CGCS2000 3-degree GK, CM 117E
  check_against_boost(g, 100, 1000);
}

TEST_CASE("Wuhan central roads (GPKG): bounded search equals Boost Dijkstra", "[real][shared]") {
  auto g = load(std::string(WALKSHED_SHARED_DATA) + "/wuhan-roads-osm-derived/wuhan_roads.gpkg", "wuhan_central_roads");
  CHECK(g.epsg == 4547);  // CM 114E, as the brief says for Wuhan
  CHECK(g.edge_count() >= 7933);
  check_against_boost(g, 100, 1000);
}

TEST_CASE("Porto Alegre (OSM PBF): bounded search equals Boost Dijkstra", "[real][shared]") {
  auto g = load(std::string(WALKSHED_SHARED_DATA) + "/r5r-porto-alegre/poa_osm.pbf");
  CHECK(g.epsg == 32722);  // UTM 22S
  check_against_boost(g, 100, 1000);
}

namespace {

// snap_points against EdgeIndex::nearest: random points (some beyond the reach), vertices (ties
// between the edges meeting there) and segment midpoints.
void check_snap_points(const Graph& g, std::size_t count, double max_distance, std::uint32_t min_component) {
  std::mt19937 rng(11);
  double x0 = g.node_x[0], x1 = x0, y0 = g.node_y[0], y1 = y0;
  for (std::uint32_t n = 0; n < g.node_count(); ++n)
    x0 = std::min(x0, g.node_x[n]), x1 = std::max(x1, g.node_x[n]), y0 = std::min(y0, g.node_y[n]), y1 = std::max(y1, g.node_y[n]);
  std::uniform_real_distribution<double> ux(x0 - 300, x1 + 300), uy(y0 - 300, y1 + 300);
  std::uniform_int_distribution<std::uint32_t> node(0, g.node_count() - 1);
  std::uniform_int_distribution<std::uint32_t> point(0, g.point_x.size() - 2);
  std::vector<XY> pts;
  for (std::size_t i = 0; pts.size() < count; ++i) {
    if (i % 3 == 0) pts.push_back({ux(rng), uy(rng)});
    if (i % 3 == 1) pts.push_back(g.node(node(rng)));
    if (i % 3 == 2) {
      const auto p = point(rng);
      pts.push_back({(g.point_x[p] + g.point_x[p + 1]) / 2, (g.point_y[p] + g.point_y[p + 1]) / 2});
    }
  }
  const auto fast = snap_points(g, pts, max_distance, min_component, 2);
  EdgeIndex index(g, min_component);
  std::size_t valid = 0;
  for (std::size_t i = 0; i < pts.size(); ++i) {
    const Snap ref = index.nearest(pts[i], max_distance);
    INFO("point " << i << " (" << pts[i].x << ", " << pts[i].y << ")");
    REQUIRE(fast[i].edge == ref.edge);
    if (ref.edge == kInvalid) continue;
    ++valid;
    REQUIRE(fast[i].distance == ref.distance);
    REQUIRE(std::abs(fast[i].offset - ref.offset) < 1e-6);
    REQUIRE(std::abs(fast[i].point.x - ref.point.x) < 1e-6);
    REQUIRE(std::abs(fast[i].point.y - ref.point.y) < 1e-6);
  }
  CHECK(valid > count / 2);
  CHECK(valid < count);  // some random points are beyond the reach
}

}  // namespace

TEST_CASE("snapping few points by one pass equals the edge index", "[real]") {
  auto g = load(std::string(WALKSHED_DATA_DIR) + "/beijing_cau.osm.pbf");
  const std::size_t segments = g.point_x.size() - g.edge_count();
  check_snap_points(g, segments / 64 - 1, 100, 1);   // few enough for the one-pass path
  check_snap_points(g, segments / 64 - 1, 250, 20);  // small components left out
}

TEST_CASE("snapping few points by one pass equals the edge index (Wuhan)", "[real][shared]") {
  auto g = load(std::string(WALKSHED_SHARED_DATA) + "/wuhan-roads-osm-derived/wuhan_roads.gpkg", "wuhan_central_roads");
  check_snap_points(g, 300, 250, 1);
}
