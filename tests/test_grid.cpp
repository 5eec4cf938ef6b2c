// Hand-drawn networks with exact expected distances.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>

#include "support.hpp"
#include "walkshed/io/catchment.hpp"
#include "walkshed/routing/search.hpp"

using namespace walkshed;

namespace {

Facility at(double x, double y, std::string id = "f") { return {std::move(id), "", {x, y}, nullptr}; }

double total_length(const FacilityCatchment& c, std::uint32_t band) {
  double s = 0;
  for (auto& p : c.pieces)
    if (p.band <= band) s += p.to - p.from;
  return s;
}

// Reached length on a grid of spacing s from a source at grid point (x0, y0), by sampling
// every edge at 1 cm: an independent check of the piece arithmetic.
double sampled_grid_length(int n, double s, double x0, double y0, double limit) {
  double total = 0;
  const double step = 0.01;
  for (int i = 0; i < n; ++i)
    for (int j = 0; j + 1 < n; ++j)
      for (int dir = 0; dir < 2; ++dir)
        for (double t = step / 2; t < s; t += step) {
          double x = dir == 0 ? j * s + t : i * s, y = dir == 0 ? i * s : j * s + t;
          // On a grid, the walking distance from a node equals the Manhattan distance.
          if (std::abs(x - x0) + std::abs(y - y0) <= limit) total += step;
        }
  return total;
}

}  // namespace

TEST_CASE("grid: node distances equal the Manhattan distance", "[grid]") {
  auto g = test::graph(test::grid_lines(6, 100));
  REQUIRE(g.node_count() == 36);
  REQUIRE(g.edge_count() == 60);
  REQUIRE(g.component_size.size() == 1);
  Search s(g);
  s.clear();
  s.add_source(test::node_at(g, 0, 0), 0, 0);
  s.run();
  for (int i = 0; i < 6; ++i)
    for (int j = 0; j < 6; ++j) CHECK(s.distance(test::node_at(g, i * 100, j * 100)) == 100.0 * (i + j));
}

TEST_CASE("grid: ties exactly at the threshold are inside", "[grid]") {
  auto g = test::graph(test::grid_lines(6, 100));
  Search s(g);
  s.clear();
  s.add_source(test::node_at(g, 0, 0), 0, 0);
  s.run(200);
  CHECK(s.reached().size() == 6);  // i + j <= 2
  CHECK(s.is_reached(test::node_at(g, 100, 100)));
  CHECK_FALSE(s.is_reached(test::node_at(g, 200, 100)));
  s.clear();
  s.add_source(test::node_at(g, 0, 0), 0, 0);
  s.run(199.999999);
  CHECK(s.reached().size() == 3);
}

TEST_CASE("grid: catchment lengths match a sampled computation", "[grid]") {
  auto g = test::graph(test::grid_lines(6, 100));
  CatchmentOptions o;
  o.thresholds_m = {150, 250};
  o.polygons = false;
  o.threads = 1;
  SECTION("facility on a vertex") {
    auto r = compute_catchments(g, {at(200, 200)}, o);
    REQUIRE(r.snaps[0].routable);
    CHECK(r.snaps[0].snap.distance == 0);
    CHECK(total_length(r.catchments[0], 0) == Approx(sampled_grid_length(6, 100, 200, 200, 150)).margin(0.2));
    CHECK(total_length(r.catchments[0], 1) == Approx(sampled_grid_length(6, 100, 200, 200, 250)).margin(0.2));
    // By hand: 4 arms of 100 m, then 50 m on the 3 further edges of each of the 4 neighbours.
    CHECK(total_length(r.catchments[0], 0) == Approx(400 + 4 * 3 * 50));
  }
  SECTION("facility mid-edge, off the line") {
    auto r = compute_catchments(g, {at(250, 203)}, o);  // 3 m north of the edge (200,200)-(300,200)
    REQUIRE(r.snaps[0].routable);
    CHECK(r.snaps[0].snap.distance == Approx(3));
    CHECK(r.snaps[0].snap.point.x == Approx(250));
    // From the mid-point: 50 m to each end, then 100 m more in 3 directions from each end at 150 m.
    CHECK(total_length(r.catchments[0], 0) == Approx(100 + 2 * 3 * 100));
  }
  SECTION("facility at a grid corner (dead end of two lines)") {
    auto r = compute_catchments(g, {at(0, 0)}, o);
    CHECK(total_length(r.catchments[0], 1) == Approx(sampled_grid_length(6, 100, 0, 0, 250)).margin(0.2));
    CHECK(r.catchments[0].reached_nodes == 6);
  }
}

TEST_CASE("a facility at the last vertex of a dead-end line reaches the network", "[grid]") {
  // A spur from (100,0) north to (100,-80), drawn towards its dead end.
  auto lines = test::grid_lines(3, 100);
  lines.push_back({{100, 0}, {100, -40}, {100, -80}});
  auto g = test::graph(lines);
  CatchmentOptions o;
  o.thresholds_m = {300};
  o.polygons = false;
  auto r = compute_catchments(g, {at(100, -80)}, o);
  REQUIRE(r.snaps[0].routable);
  CHECK(r.snaps[0].snap.offset == Approx(80));  // the far end of the spur edge
  // Nodes within 300 m: the spur end, (100,0) at 80, (0,0),(200,0),(100,100) at 180,
  // (0,100),(200,100),(100,200) at 280.
  CHECK(r.catchments[0].reached_nodes == 8);
}

TEST_CASE("parallel edges: the shortest one counts, both are drawn", "[grid]") {
  // Straight 100 m and a 160 m detour between the same two nodes, then a tail of 100 m.
  auto g = test::graph({{{0, 0}, {100, 0}}, {{0, 0}, {50, 60}, {100, 0}}, {{100, 0}, {200, 0}}});
  REQUIRE(g.edge_count() == 3);
  REQUIRE(g.arc_count() == 4);
  Search s(g);
  s.clear();
  s.add_source(test::node_at(g, 0, 0), 0, 0);
  s.run();
  CHECK(s.distance(test::node_at(g, 200, 0)) == 200);
  CatchmentOptions o;
  o.thresholds_m = {150};
  o.polygons = false;
  auto r = compute_catchments(g, {at(0, 0)}, o);
  // straight 100 + tail 50 + detour reached from both of its ends: 150 + 50.
  const double detour = 2 * std::hypot(50, 60);
  CHECK(total_length(r.catchments[0], 0) == Approx(100 + 50 + std::min(detour, 150.0 + 50.0)));
}

TEST_CASE("disconnected parts are not reached, and nearest mode leaves them unlabelled", "[grid]") {
  auto lines = test::grid_lines(3, 100);
  lines.push_back({{1000, 0}, {1100, 0}});
  auto g = test::graph(lines);
  REQUIRE(g.component_size.size() == 2);
  REQUIRE(g.component_size[1] == 2);
  CatchmentOptions o;
  o.thresholds_m = {100000};
  o.polygons = false;
  o.mode = CatchmentMode::Nearest;
  auto r = compute_catchments(g, {at(0, 0, "a"), at(200, 200, "b")}, o);
  int unlabelled = 0;
  for (auto& p : r.network) unlabelled += p.facility == kInvalid;
  CHECK(unlabelled == 1);
  CHECK(r.catchments[0].reached_nodes + r.catchments[1].reached_nodes == 9);
}

TEST_CASE("nearest mode splits the network at equal distance", "[grid]") {
  auto g = test::graph({{{0, 0}, {100, 0}, {200, 0}, {300, 0}}});
  REQUIRE(g.edge_count() == 1);  // no junction inside: one edge
  CatchmentOptions o;
  o.thresholds_m = {100, 1000};
  o.polygons = false;
  o.mode = CatchmentMode::Nearest;
  auto r = compute_catchments(g, {at(0, 10, "w"), at(200, 0, "e")}, o);
  // w at 0, e at 200: boundary at 100. Pieces: w 0-100 (band 100), e 100-200 and 200-300 (band 100).
  double w_len = 0, e_len = 0;
  for (auto& p : r.network) (p.facility == 0 ? w_len : e_len) += p.to - p.from;
  CHECK(w_len == Approx(100));
  CHECK(e_len == Approx(200));
  for (auto& p : r.network) CHECK(p.d_max <= 100 + 1e-9);
}

TEST_CASE("graph checks: spikes, near misses, snapping, parallel and duplicate edges", "[graph]") {
  GraphReport rep;
  SECTION("a line through the same vertex twice is noded there") {
    auto g = build_graph(test::roads({{{0, 0}, {100, 0}, {100, 100}, {50, 50}, {100, 0}, {200, 0}}}), {}, &rep);
    CHECK(rep.spike_vertices == 1);
    CHECK(g.edge_count() == 3);
    Search s(g);
    s.clear();
    s.add_source(test::node_at(g, 0, 0), 0, 0);
    s.run();
    CHECK(s.distance(test::node_at(g, 200, 0)) == 200);  // not through the loop
  }
  // A dead end 0.4 m from another line: reported as a near miss, joined with a 0.5 m tolerance.
  auto near_miss_then_joined = [&](const std::vector<Polyline>& l) {
    auto g = build_graph(test::roads(l), {}, &rep);
    CHECK(rep.near_miss_ends == 1);
    CHECK(g.component_size.size() == 2);
    GraphOptions o;
    o.snap_tolerance = 0.5;
    g = build_graph(test::roads(l), o, &rep);
    CHECK(rep.snapped_ends == 1);
    REQUIRE(g.component_size.size() == 1);
    CHECK(g.node_count() == 4);
    return g;
  };
  SECTION("near-miss end: reported, and merged with a tolerance") {
    near_miss_then_joined({{{0, 0}, {100, 0}, {200, 0}}, {{100, 0.4}, {100, 100}}});
  }
  SECTION("an undershoot onto the inside of a segment is reported, and joined with a tolerance") {
    const Graph g = near_miss_then_joined({{{0, 0}, {200, 0}}, {{100, 0.4}, {100, 100}}});  // no vertex at (100, 0)
    CHECK(g.edge_count() == 3);  // the long line is split at the new junction
    Search s(g);
    s.clear();
    s.add_source(test::node_at(g, 0, 0), 0, 0);
    s.run();
    CHECK(s.distance(test::node_at(g, 100, 100)) == Approx(200));
  }
  SECTION("crossings without a shared vertex are not noded (bridges)") {
    auto g = build_graph(test::roads({{{0, 0}, {200, 0}}, {{100, -100}, {100, 100}}}), {}, &rep);
    CHECK(g.node_count() == 4);
    CHECK(g.component_size.size() == 2);
  }
  SECTION("duplicate edges") {
    build_graph(test::roads({{{0, 0}, {100, 0}}, {{100, 0}, {0, 0}}, {{0, 0}, {50, 10}, {100, 0}}}), {}, &rep);
    CHECK(rep.parallel_edges == 2);
    CHECK(rep.duplicate_edges == 1);
  }
}

TEST_CASE("saved graphs load back identical", "[graph]") {
  auto g = test::graph(test::grid_lines(4, 50));
  const std::string path = "walkshed_test_graph.wsg";
  save_graph(g, path);
  REQUIRE(is_graph_file(path));
  Graph h = load_graph(path);
  std::remove(path.c_str());
  test::check_same_graph(h, g);
}

TEST_CASE("node id fields: lines meet only where they name the same node", "[graph]") {
  // Two lines through the same vertex (100, 0) with their own ids: an overpass, not a junction.
  // A third line drawn backwards (from node 4's place to node 2's), a fourth whose end is 5 m
  // from its node, a loop, and a repeated point.
  RoadSet r = test::roads({{{0, 0}, {100, 0}, {200, 0}},
                           {{100, -100}, {100, 0}, {100, 100}},
                           {{300, 50}, {200, 0}},
                           {{0, 5}, {0, 100}},
                           {{300, 50}, {350, 100}, {300, 100}, {300, 50}},
                           {{200, 0}, {200, 0}, {200, -50}}});
  r.from_node = {1, 3, 2, 1, 5, 2};
  r.to_node = {2, 4, 5, 6, 5, 7};
  GraphReport rep;
  const Graph g = build_graph(r, {}, &rep);
  REQUIRE(g.node_count() == 7);
  REQUIRE(g.edge_count() == 6);
  CHECK(rep.ends_off_node == 1);
  CHECK(rep.loop_edges == 1);
  CHECK(rep.repeated_points == 1);
  CHECK(g.component_size == std::vector<std::uint32_t>{5, 2});  // the overpass stays apart
  // The backwards line was turned: its geometry runs from node 2 (200, 0) to node 5 (300, 50).
  CHECK(g.node(g.edge_u[2]).x == 200);
  CHECK(g.point_x[g.edge_first_point[2]] == 200);
  CHECK(g.node(g.edge_v[2]).x == 300);
  CHECK(g.edge_length[2] == Approx(std::hypot(100, 50)));
  // Searches equal Boost's Dijkstra on the same edges.
  const auto oracle = test::boost_distances(g, 0, 30);
  Search s(g);
  s.clear();
  s.add_source(g.edge_u[0], 30, 0);
  s.add_source(g.edge_v[0], g.edge_length[0] - 30, 0);
  s.run();
  for (std::uint32_t n = 0; n < g.node_count(); ++n) {
    if (oracle[n] == std::numeric_limits<double>::max() || !std::isfinite(oracle[n])) {
      CHECK_FALSE(s.is_reached(n));
    } else {
      REQUIRE(s.is_reached(n));
      CHECK(s.distance(n) == Approx(oracle[n]));
    }
  }
  // Nodes keep the layer's ids, in order of first use.
  CHECK(g.node_source_id == std::vector<std::int64_t>{1, 2, 3, 4, 5, 6, 7});
  for (std::uint32_t e = 0; e < g.edge_count(); ++e) {
    CHECK(g.node_id(g.edge_u[e]) == r.from_node[e]);
    CHECK(g.node_id(g.edge_v[e]) == r.to_node[e]);
  }
  // Large ids (OSM node ids: looked up by hash instead of a table) give the same graph.
  RoadSet large = r;
  for (auto* ids : {&large.from_node, &large.to_node})
    for (auto& id : *ids) id += std::int64_t(1) << 40;
  const Graph h = build_graph(large, {});
  CHECK(h.edge_u == g.edge_u);
  CHECK(h.edge_v == g.edge_v);
  CHECK(h.point_x == g.point_x);
  CHECK(h.node_id(0) == (std::int64_t(1) << 40) + 1);
  // The same lines noded by geometry join the overpass.
  r.from_node.clear(), r.to_node.clear();
  CHECK(build_graph(r, {}).component_size == std::vector<std::uint32_t>{7, 2});  // the 5 m gap stays open
}

TEST_CASE("saved graph: the same arrays back, node ids included; versions 1 and 2 still load; damage detected", "[graph]") {
  namespace fs = std::filesystem;
  const fs::path path = fs::temp_directory_path() / ("walkshed-grid-" + std::to_string(getpid()) + ".wsg");
  RoadSet r = test::roads(test::grid_edges(4, 100));
  r.from_node.clear(), r.to_node.clear();
  for (std::size_t i = 0; i < r.lines.size(); ++i) {  // ids from the coordinates, far from 0
    auto id = [](const XY& p) { return std::int64_t(5000000000) + std::llround(p.x) * 1000 + std::llround(p.y); };
    r.from_node.push_back(id(r.lines.at(i, 0))), r.to_node.push_back(id(r.lines.at(i, r.lines.count(i) - 1)));
  }
  const Graph g = build_graph(r, {});
  REQUIRE(g.node_count() == 16);
  save_graph(g, path.string());
  const Graph back = load_graph(path.string());
  test::check_same_graph(g, back);
  CHECK(back.node_source_id == g.node_source_id);
  CHECK(back.node_id(0) == 5000000000);
  // Versions 1 and 2: the same layout without the checksum, version 1 also without the node ids.
  const Graph plain = build_graph(test::roads(test::grid_edges(4, 100)), {});
  save_graph(plain, path.string());
  std::string saved;
  {
    std::ifstream in(path, std::ios::binary);
    saved.assign(std::istreambuf_iterator<char>(in), {});
  }
  auto write = [&](const std::string& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << bytes;
  };
  auto as_version = [&](std::uint32_t version) {
    std::string bytes = saved;
    std::memcpy(&bytes[8], &version, 4);
    bytes.resize(bytes.size() - (version == 1 ? 16 : 8));  // the checksum; version 1 also the empty id array
    return bytes;
  };
  for (std::uint32_t version : {1u, 2u}) {
    write(as_version(version));
    const Graph old = load_graph(path.string());
    test::check_same_graph(plain, old);
    CHECK(old.node_source_id.empty());
    CHECK(old.node_id(7) == 7);
  }
  // Damage is an input error: a flipped bit, a cut file, an impossible length (never allocated).
  std::string flipped = saved;
  flipped[saved.size() / 2] ^= 0x10;
  write(flipped);
  CHECK_THROWS_WITH(load_graph(path.string()), Catch::Contains("corrupt (checksum)"));
  write(saved.substr(0, saved.size() - 100));
  CHECK_THROWS_AS(load_graph(path.string()), InputError);
  std::string huge = as_version(2);
  const std::uint64_t count = std::uint64_t(1) << 40;
  const std::size_t wkt_length_at = 16;
  std::uint64_t wkt_length;
  std::memcpy(&wkt_length, &huge[wkt_length_at], 8);
  std::memcpy(&huge[wkt_length_at + 8 + wkt_length], &count, 8);  // the node_x count
  write(huge);
  CHECK_THROWS_WITH(load_graph(path.string()), Catch::Contains("truncated or corrupt"));
  // No temporary file is left beside the graph.
  std::size_t beside = 0;
  for (auto& e : fs::directory_iterator(path.parent_path()))
    beside += e.path().filename().string().rfind(path.filename().string(), 0) == 0;
  CHECK(beside == 1);
  fs::remove(path);
}

TEST_CASE("reached-nodes CSV: every row is the node's id, place and walking distance", "[grid]") {
  // 150 x 150 nodes: more than one formatting run of nodes; block sides of 10.001 m give decimals.
  auto g = test::graph(test::grid_lines(150, 10.001));
  REQUIRE(g.node_count() == 22500);
  std::vector<Facility> fac(3);
  fac[0].id = "corner", fac[0].point = {0, 0};
  fac[1].id = "mid, \"quoted\"", fac[1].point = {750.05, 750.05};
  fac[2].id = "far", fac[2].point = {1490.149, 10.001};
  CatchmentOptions o;
  o.thresholds_m = {2000};  // the far corner (2,980 m) is out of reach from the others
  o.keep_nodes = true;
  o.polygons = false;
  const CatchmentResult r = compute_catchments(g, fac, o);
  const auto path = std::filesystem::temp_directory_path() / "walkshed_reached.csv";
  write_reached_nodes(g, fac, r, path.string());
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  CHECK(line == "fac_id,node,x,y,distance_m");
  std::vector<std::string> expected;
  char buf[200];
  for (std::size_t i = 0; i < fac.size(); ++i) {
    REQUIRE(r.catchments[i].nodes.size() > 10000);
    for (auto& [n, d] : r.catchments[i].nodes) {
      std::snprintf(buf, sizeof buf, ",%u,%.3f,%.3f,%.6f", n, g.node_x[n], g.node_y[n], d);
      expected.push_back((i == 1 ? std::string("\"mid, \"\"quoted\"\"\"") : fac[i].id) + buf);
    }
  }
  std::vector<std::string> rows;
  while (std::getline(in, line)) rows.push_back(line);
  CHECK(rows == expected);
  std::filesystem::remove(path);
}
