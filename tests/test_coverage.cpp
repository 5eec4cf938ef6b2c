// Coverage: hand-made cases with known answers, and a real case against Boost's Dijkstra.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <sstream>

#include "hexgrid.hpp"
#include "support.hpp"
#include "walkshed/io/coverage.hpp"
#include "walkshed/core/region.hpp"
#include "walkshed/io/crs.hpp"
#include "walkshed/routing/search.hpp"

using namespace walkshed;
namespace fs = std::filesystem;

namespace {

Community community(std::string id, double x0, double x1, double households, bool qualified = false) {
  Community c;
  c.id = std::move(id);
  c.households = households;
  c.qualified = qualified;
  c.street = "S1";
  c.geometry = test::rect(x0, -50, x1, 50);
  return c;
}

ServiceFacility facility(std::string id, double x, double y, std::vector<std::string> fns, double area) {
  ServiceFacility s;
  s.point = {std::move(id), "", {x, y}, nullptr};
  std::string list;
  for (auto& f : fns) list += f + ";";
  std::vector<std::string> unknown;
  s.functions = parse_functions(list, unknown);
  REQUIRE(unknown.empty());
  s.area_m2 = area;
  return s;
}

Building building(double x, double y, double floors) {
  return {test::rect(x - 1, y - 1, x + 1, y + 1), floors};
}

// A 2 km road along y = 0; community A = x 0..1000 (100 households), B = x 1000..2000 (200, qualified).
struct Town {
  Graph g;
  std::vector<Community> comms;
  std::vector<ServiceFacility> facs;
  std::vector<Building> buildings;
  Town() {
    Polyline road;
    for (int x = 0; x <= 2000; x += 100) road.push_back({double(x), 0});
    g = test::graph({road});
    comms.push_back(community("A", 0, 1000, 100));
    comms.push_back(community("B", 1000, 2000, 200, true));
    buildings.push_back(building(100, 20, 1));   // A: 50 households
    buildings.push_back(building(700, 20, 1));   // A: 50
    buildings.push_back(building(1200, 20, 1));  // B: 50
    buildings.push_back(building(1900, 20, 3));  // B: 150 (three floors)
    facs.push_back(facility("F1", 50, 5, {"elderly_care", "health"}, 30));
    facs.push_back(facility("F2", 1500, -5, {"health"}, 100));
    facs.push_back(facility("F3", 1950, 5, {"fitness"}, kUnknown));
  }
};

int fn(const char* id) { return function_index(id); }

}  // namespace

TEST_CASE("coverage: hand-made town with exact shares and area per 100 households", "[coverage]") {
  Town t;
  CoverageOptions o;
  o.threads = 1;
  auto r = compute_coverage(t.g, t.comms, t.facs, t.buildings, o);
  REQUIRE(r.demand.size() == 4);
  const auto& A = r.communities[0];
  const auto& B = r.communities[1];
  CHECK(A.households == 100);
  CHECK(B.households == 200);
  // elderly care from F1 (x = 50): A's points at 50 m and 650 m; B's at 1150 and 1850 m.
  CHECK(A.covered[fn("elderly_care")] == std::vector<double>{50, 50, 100});
  CHECK(B.covered[fn("elderly_care")] == std::vector<double>{0, 0, 0});
  // health from F1 and F2 (x = 1500): B's point at x = 1200 is exactly 300 m away: inside.
  CHECK(A.covered[fn("health")] == std::vector<double>{50, 50, 100});
  CHECK(B.covered[fn("health")] == std::vector<double>{50, 200, 200});
  // fitness from F3 (x = 1950): 50 m and 750 m.
  CHECK(B.covered[fn("fitness")] == std::vector<double>{150, 150, 200});
  CHECK(A.covered[fn("fitness")] == std::vector<double>{0, 0, 0});
  CHECK(A.functions_reached == 2);
  CHECK(B.functions_reached == 2);
  // Area located: A has F1's 30 m2 for 100 households: exactly the 30 m2 target, a pass.
  CHECK(A.per100 == Approx(30));
  CHECK(A.pass);
  CHECK(A.gap_m2 == 0);
  // B is qualified (80 m2 / 100 households): 100 m2 for 200 households = 50, a gap of 60 m2.
  CHECK(B.target_per100 == 80);
  CHECK(B.per100 == Approx(50));
  CHECK_FALSE(B.pass);
  CHECK(B.gap_m2 == Approx(60));
  CHECK(r.total.total.households == 300);
  CHECK(r.total.failing == 1);
  REQUIRE(r.streets.size() == 1);
  CHECK(r.streets[0].total.area_m2 == Approx(130));
  // Demand distances per point.
  CHECK(r.demand[1].distance[fn("elderly_care")] == Approx(650));
  CHECK(std::isinf(r.demand[0].distance[fn("culture_leisure")]));
}

TEST_CASE("coverage: area shared in proportion to households served", "[coverage]") {
  Town t;
  CoverageOptions o;
  o.area_share = AreaShare::Catchment;  // within 1000 m
  auto r = compute_coverage(t.g, t.comms, t.facs, t.buildings, o);
  // F1 serves only A (B's nearest point is 1150 m away): 30 m2 to A.
  // F2 serves A's point at 700 (800 m, 50 hh) and B's two points (200 hh): 20 m2 to A, 80 m2 to B.
  CHECK(r.communities[0].area_m2 == Approx(50));
  CHECK(r.communities[1].area_m2 == Approx(80));
  CHECK(r.communities[0].per100 == Approx(50));
  CHECK(r.communities[1].per100 == Approx(40));
  REQUIRE(r.facility_share[1].size() == 2);
}

TEST_CASE("coverage: without buildings demand is on a grid inside each community", "[coverage]") {
  Town t;
  CoverageOptions o;
  o.grid_spacing = 100;
  auto r = compute_coverage(t.g, t.comms, t.facs, {}, o);
  // 10 x 1 grid cells per community (100 m spacing, 100 m tall polygons).
  CHECK(r.communities[0].demand_points == 10);
  CHECK(r.communities[1].demand_points == 10);
  double hh = 0;
  for (auto& d : r.demand) hh += d.households;
  CHECK(hh == Approx(300));
}

TEST_CASE("coverage: a demand point beyond --max-snap counts as unreachable, not dropped", "[coverage]") {
  Town t;
  t.buildings[0] = building(100, 40, 1);
  CoverageOptions o;
  o.max_snap = 30;
  auto r = compute_coverage(t.g, t.comms, t.facs, t.buildings, o);
  CHECK(r.communities[0].unreachable_households == 50);
  CHECK(r.communities[0].households == 100);
  CHECK(r.communities[0].covered[fn("elderly_care")].back() == 50);
}

TEST_CASE("coverage: function names", "[coverage]") {
  std::vector<std::string> unknown;
  auto s = parse_functions("elderly_care; 健康服务|fit;bakery", unknown);
  CHECK(s == ((1u << 0) | (1u << 5) | (1u << 6)));
  REQUIRE(unknown.size() == 1);
  CHECK(unknown[0] == "bakery");
  CHECK(functions_from_osm({{"leisure", "playground"}}) == (1u << fn("children_play")));
  CHECK(functions_from_osm({{"amenity", "kindergarten"}}) == 0);  // pre-school education, not 托育
  CHECK(functions_from_osm({{"amenity", "kindergarten"}, {"nursery", "yes"}}) == (1u << fn("infant_care")));
  CHECK(functions_from_osm({{"name", "学院路街道养老服务驿站"}}) == (1u << fn("elderly_care")));
}

TEST_CASE("coverage: communities file problems are reported per feature", "[coverage]") {
  const fs::path dir = fs::temp_directory_path() / ("walkshed-cov-" + std::to_string(getpid()));
  fs::create_directories(dir);
  const fs::path file = dir / "comm.geojson";
  std::ofstream(file) << R"({"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:32650"}},"features":[
{"type":"Feature","properties":{"comm_id":"A","households":120},"geometry":{"type":"Polygon","coordinates":[[[0,0],[100,0],[100,100],[0,100],[0,0]]]}},
{"type":"Feature","properties":{"comm_id":"B","households":-5},"geometry":{"type":"Polygon","coordinates":[[[100,0],[200,0],[200,100],[100,100],[100,0]]]}},
{"type":"Feature","properties":{"comm_id":"C","households":null},"geometry":{"type":"Polygon","coordinates":[[[200,0],[300,0],[300,100],[200,100],[200,0]]]}},
{"type":"Feature","properties":{"comm_id":"D","households":10},"geometry":{"type":"Polygon","coordinates":[[[300,0],[400,100],[400,0],[300,100],[300,0]]]}}]})";
  auto wkt = test::roads({}).crs_wkt;
  CommunityLayerOptions o;
  o.path = file.string();
  auto layer = load_communities(o, wkt);
  REQUIRE(layer.items.size() == 4);
  CHECK(layer.items[0].problem.empty());
  CHECK(layer.items[0].households == 120);
  CHECK(layer.items[1].problem == "households negative");
  CHECK(layer.items[2].problem == "households missing");
  CHECK(layer.problems == 2);
  CHECK(layer.repaired_geometries == 1);  // the bow-tie
  CHECK_FALSE(layer.items[3].geometry.empty());
  o.households_field = "hh_nope";
  CHECK_THROWS_WITH(load_communities(o, wkt), Catch::Contains("no field 'hh_nope'"));
  o.households_field.clear();
  o.population_field = "population";
  CHECK_THROWS_WITH(load_communities(o, wkt), Catch::Contains("no field 'population'"));
  fs::remove_all(dir);
}

TEST_CASE("Porto Alegre: household coverage of healthcare equals a brute-force computation", "[coverage][shared]") {
  const test::Hexgrid hex = test::porto_alegre();
  const Graph& g = hex.graph;
  std::vector<Community> comms;
  std::vector<ServiceFacility> facs;
  for (auto& cell : hex.cells) {
    if (cell.population > 0) {  // a 20 m square around the cell centre: one demand point there
      Community c;
      c.id = cell.id;
      c.households = cell.population / household_size_for("national");
      c.geometry = test::rect(cell.x - 10, cell.y - 10, cell.x + 10, cell.y + 10);
      comms.push_back(std::move(c));
    }
    if (cell.healthcare > 0) facs.push_back(facility(cell.id, cell.x, cell.y, {"health"}, 100));
  }
  REQUIRE(comms.size() > 1000);
  REQUIRE(facs.size() > 50);
  CoverageOptions o;
  o.grid_spacing = 50;
  auto r = compute_coverage(g, comms, facs, {}, o);
  REQUIRE(r.demand.size() == comms.size());

  // Brute force: Boost Dijkstra from every facility, nearest distance per demand point.
  std::vector<double> best(r.demand.size(), kUnreached);
  for (std::size_t f = 0; f < facs.size(); ++f) {
    const Snap& fs_ = r.facility_snaps[f];
    if (fs_.edge == kInvalid) continue;
    auto d = test::boost_distances(g, fs_.edge, fs_.offset);
    for (std::size_t i = 0; i < r.demand.size(); ++i) {
      const Snap& s = r.demand[i].snap;
      if (s.edge == kInvalid) continue;
      auto fin = [](double v) { return v == std::numeric_limits<double>::max() ? kUnreached : v; };
      double v = std::min(fin(d[g.edge_u[s.edge]]) + s.offset, fin(d[g.edge_v[s.edge]]) + g.edge_length[s.edge] - s.offset);
      if (s.edge == fs_.edge) v = std::min(v, std::abs(s.offset - fs_.offset));
      best[i] = std::min(best[i], v);
    }
  }
  std::vector<double> covered(3, 0);
  for (std::size_t i = 0; i < r.demand.size(); ++i) {
    const double mine = r.demand[i].distance[fn("health")];
    if (std::isinf(best[i])) {
      CHECK(std::isinf(mine));
    } else {
      REQUIRE(std::abs(mine - best[i]) <= 1e-6);
    }
    for (int b = 0; b < 3; ++b)
      if (best[i] <= o.thresholds_m[b]) covered[b] += r.demand[i].households;
  }
  for (int b = 0; b < 3; ++b) CHECK(r.total.total.covered[fn("health")][b] == Approx(covered[b]).epsilon(1e-12));
  CHECK(covered[2] > covered[0]);
  CHECK(covered[0] > 0);
}

TEST_CASE("region index: the first region containing a point and the pairs of meeting boxes, as by brute force",
          "[coverage]") {
  using walkshed::Region;
  using walkshed::XY;
  std::mt19937 rng(11);
  std::uniform_real_distribution<double> at(0, 1000), size(1, 120);
  std::vector<Region> regions(400);
  for (std::size_t i = 0; i < regions.size(); ++i) {
    if (i % 50 == 7) continue;  // some empty
    const double x = at(rng), y = at(rng), w = size(rng), h = i % 9 == 0 ? 400 : size(rng);  // a few long ones
    // A triangle: its box holds points it does not.
    regions[i].polygons.push_back({{{{x, y}, {x + w, y}, {x, y + h}, {x, y}}}});
  }
  std::vector<const Region*> refs;
  for (auto& r : regions) refs.push_back(&r);
  const walkshed::RegionIndex index(refs);
  for (int n = 0; n < 3000; ++n) {
    const XY p{at(rng) * 1.1 - 50, at(rng) * 1.1 - 50};
    std::uint32_t expected = walkshed::RegionIndex::kNone;
    for (std::uint32_t i = 0; i < regions.size() && expected == walkshed::RegionIndex::kNone; ++i)
      if (walkshed::contains(regions[i], p)) expected = i;
    REQUIRE(index.first_containing(p) == expected);
  }
  std::set<std::pair<std::uint32_t, std::uint32_t>> pairs, brute;
  index.for_box_pairs([&](std::uint32_t a, std::uint32_t b) { CHECK(pairs.insert({a, b}).second); });
  for (std::uint32_t a = 0; a < regions.size(); ++a)
    for (std::uint32_t b = a + 1; b < regions.size(); ++b)
      if (regions[a].box().intersects(regions[b].box())) brute.insert({a, b});
  CHECK(pairs == brute);
  CHECK(brute.size() > 100);
}
