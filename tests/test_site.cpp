// Site selection: brute force on tiny instances, the exact solver, the heuristic's gap, determinism,
// and a real instance end to end.
#include <catch2/catch.hpp>

#include <fstream>
#include <random>
#include <sstream>

#include "support.hpp"
#include "walkshed/io/crs.hpp"
#include "walkshed/io/check.hpp"
#include "walkshed/io/landuse.hpp"
#include "walkshed/io/site.hpp"

using namespace walkshed;

namespace {

CoverProblem random_problem(unsigned seed, int candidates, int items) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> w(1, 100);
  std::bernoulli_distribution in(0.25);
  CoverProblem p;
  for (int i = 0; i < items; ++i) p.weight.push_back(std::round(w(rng)));
  p.covers.resize(candidates);
  p.distance.resize(candidates);
  for (int c = 0; c < candidates; ++c)
    for (int i = 0; i < items; ++i)
      if (in(rng)) p.covers[c].push_back(i), p.distance[c].push_back(w(rng));
  return p;
}

bool allowed(const CoverProblem& p, const std::vector<std::uint32_t>& s) {
  for (auto& [a, b] : p.conflicts)
    if (std::count(s.begin(), s.end(), a) && std::count(s.begin(), s.end(), b)) return false;
  return true;
}

// Best covered weight over all subsets of size <= k.
double brute_mclp(const CoverProblem& p, int k) {
  const int C = p.covers.size();
  double best = 0;
  for (std::uint32_t mask = 0; mask < (1u << C); ++mask) {
    if (__builtin_popcount(mask) > k) continue;
    std::vector<std::uint32_t> s;
    for (int c = 0; c < C; ++c)
      if (mask & (1u << c)) s.push_back(c);
    if (allowed(p, s)) best = std::max(best, covered_weight(p, s));
  }
  return best;
}

int brute_lscp(const CoverProblem& p, double target) {
  const int C = p.covers.size();
  int best = -1;
  for (std::uint32_t mask = 0; mask < (1u << C); ++mask) {
    std::vector<std::uint32_t> s;
    for (int c = 0; c < C; ++c)
      if (mask & (1u << c)) s.push_back(c);
    if (allowed(p, s) && covered_weight(p, s) >= target - 1e-9 && (best < 0 || (int)s.size() < best)) best = s.size();
  }
  return best;
}

}  // namespace

TEST_CASE("MCLP: the exact solver equals brute force and the greedy is within its reported gap", "[site]") {
  for (unsigned seed = 1; seed <= 12; ++seed) {
    auto p = random_problem(seed, 10, 40);
    if (seed % 3 == 0) p.conflicts = {{0, 1}, {2, 3}, {1, 4}};
    for (int k : {1, 2, 3, 4}) {
      INFO("seed " << seed << " k " << k);
      const double opt = brute_mclp(p, k);
      auto ex = mclp_exact(p, k);
      CHECK(ex.optimal);
      CHECK(ex.objective == Approx(opt));
      CHECK(covered_weight(p, ex.chosen) == Approx(opt));
      CHECK(allowed(p, ex.chosen));
      auto gr = mclp_greedy(p, k);
      CHECK(gr.objective <= opt + 1e-9);
      CHECK(gr.objective == Approx(covered_weight(p, gr.chosen)));
      CHECK(allowed(p, gr.chosen));
      if (p.conflicts.empty()) CHECK(gr.objective >= (1 - 1 / std::exp(1.0)) * opt - 1e-9);
      const double lp = mclp_lp_bound(p, k);
      CHECK(lp >= opt - 1e-6);  // the LP relaxation bounds the optimum, so the reported gap is safe
      const double lagrangian = mclp_lagrangian_bound(p, k, gr.objective);
      CHECK(lagrangian >= lp - 1e-6);  // no multipliers bound below the LP
      CHECK(lagrangian <= 1.05 * lp + 1e-6);  // and the subgradient gets near it
      for (size_t i = 1; i < gr.gains.size(); ++i) CHECK(gr.gains[i] <= gr.gains[i - 1] + 1e-9);
    }
  }
}

TEST_CASE("LSCP: fewest sites reaching a target, exact equals brute force", "[site]") {
  for (unsigned seed = 20; seed <= 26; ++seed) {
    auto p = random_problem(seed, 9, 30);
    double all = 0;
    std::vector<std::uint32_t> every;
    for (std::uint32_t c = 0; c < p.covers.size(); ++c) every.push_back(c);
    all = covered_weight(p, every);
    for (double share : {0.5, 0.8, 1.0}) {
      INFO("seed " << seed << " share " << share);
      const int best = brute_lscp(p, share * all);
      auto ex = lscp_exact(p, share * all);
      CHECK((int)ex.chosen.size() == best);
      CHECK(covered_weight(p, ex.chosen) >= share * all - 1e-6);
      auto gr = lscp_greedy(p, share * all);
      CHECK((int)gr.chosen.size() >= best);
      CHECK(gr.objective >= share * all - 1e-6);
    }
  }
}

TEST_CASE("capacity: a site serves its nearest households up to its capacity", "[site]") {
  CoverProblem p;
  p.weight = {40, 40, 40};
  p.covers = {{0, 1, 2}, {2}};
  p.distance = {{10, 20, 30}, {5}};
  p.capacity = 90;
  auto gr = mclp_greedy(p, 1);
  CHECK(gr.objective == 80);  // items 0 and 1 (nearest), item 2 would exceed 90
  gr = mclp_greedy(p, 2);
  CHECK(gr.objective == 120);
  auto ex = mclp_exact(p, 2);
  CHECK(ex.objective == Approx(120));
  p.weight.push_back(30);  // an item no candidate reaches must not upset the MILP
  CHECK(mclp_exact(p, 2).objective == Approx(120));
  CoverProblem empty;  // no candidate at all (every one ineligible)
  empty.weight = {10};
  CHECK(mclp_exact(empty, 3).chosen.empty());
  CHECK(lscp_exact(empty, 5).chosen.empty());
}

TEST_CASE("determinism and ties: the same input gives the same sites in the same order", "[site]") {
  CoverProblem p;
  p.weight = {5, 5, 5, 5};
  p.covers = {{0, 1}, {2, 3}, {0, 1}, {2, 3}};  // 0 and 2 tie, 1 and 3 tie
  p.distance = {{1, 1}, {1, 1}, {1, 1}, {1, 1}};
  auto a = mclp_greedy(p, 2), b = mclp_greedy(p, 2);
  CHECK(a.chosen == b.chosen);
  CHECK(a.chosen == std::vector<std::uint32_t>{0, 1});  // ties go to the smaller index
  auto big = random_problem(99, 40, 300);
  CHECK(mclp_greedy(big, 8).chosen == mclp_greedy(big, 8).chosen);
}

TEST_CASE("Porto Alegre: siting health facilities on hexagon centres, end to end", "[site][shared]") {
  const std::string dir = std::string(WALKSHED_SHARED_DATA) + "/r5r-porto-alegre";
  RoadOptions ro;
  ro.path = dir + "/poa_osm.pbf";
  Graph g = build_graph(load_roads(ro), {});
  OGRSpatialReference work;
  work.importFromWkt(g.crs_wkt.c_str());
  work.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  auto tr = make_transform(srs_from_epsg(4326), work);
  std::ifstream csv(dir + "/poa_hexgrid.csv");
  std::string line;
  std::getline(csv, line);
  std::vector<Community> comms;
  std::vector<ServiceFacility> existing;
  std::vector<Candidate> cands;
  while (std::getline(csv, line)) {
    std::stringstream ss(line);
    std::vector<std::string> v(7);
    for (auto& x : v) std::getline(ss, x, ',');
    auto num = [](const std::string& s) { return s.empty() ? 0.0 : std::stod(s); };
    double x = num(v[1]), y = num(v[2]);
    REQUIRE(tr->Transform(1, &x, &y));
    if (num(v[3]) > 0) {
      Community c;
      c.id = v[0];
      c.households = num(v[3]) / 2.62;
      c.geometry = test::rect(x - 10, y - 10, x + 10, y + 10);
      comms.push_back(std::move(c));
    }
    if (num(v[6]) > 0) {
      ServiceFacility s;
      s.point = {v[0], "", {x, y}, nullptr};
      s.functions = 1u << function_index("health");
      existing.push_back(s);
    }
    Candidate cand;  // every hexagon centre is a candidate
    cand.id = v[0];
    cand.point = {x, y};
    cands.push_back(cand);
  }
  CoverageOptions copts;
  copts.thresholds_m = {500};
  auto cov = compute_coverage(g, comms, existing, {}, copts);
  auto profile = load_profile("national");
  SiteOptions o;
  o.functions = {function_index("health")};
  o.distance = 500;
  o.k = 10;
  o.min_spacing = 600;
  auto r = select_sites(g, comms, cov, cands, profile, nullptr, o);
  REQUIRE(r.chosen.size() == 10);
  CHECK(r.need_total > r.need_coverable * 0.999 - 1e-9);
  CHECK(r.need_coverable > 0);
  double total = 0;
  for (auto c : r.chosen) {
    CHECK(r.candidates[c].eligible);
    total += r.candidates[c].gain;
  }
  CHECK(total == Approx(r.selection.objective));
  CHECK(!std::isnan(r.bound));
  CHECK(r.heuristic_objective <= r.bound + 1e-6);
  CHECK(r.gap >= 0);
  CHECK(r.gap < 0.05);
  // Chosen sites keep their spacing.
  for (size_t a = 0; a < r.chosen.size(); ++a)
    for (size_t b = a + 1; b < r.chosen.size(); ++b)
      CHECK(distance(cands[r.chosen[a]].point, cands[r.chosen[b]].point) >= 600);
  // Determinism: the same run again.
  auto again = select_sites(g, comms, cov, cands, profile, nullptr, o);
  CHECK(again.chosen == r.chosen);
}

TEST_CASE("site, BT 第三条: a government non-profit candidate keeps construction land, never farmland", "[site]") {
  // "政府建设的社区嵌入式服务设施作为非营利性公共服务设施，允许5年内不变更原有土地用途。"
  Polyline road;
  for (int x = 0; x <= 1000; x += 100) road.push_back({double(x), 0});
  Graph g = test::graph({road});
  using test::rect;
  std::vector<Community> comms(1);
  comms[0].id = "A";
  comms[0].households = 100;
  comms[0].geometry = rect(0, -50, 1000, 50);
  CoverageOptions copts;
  copts.thresholds_m = {500};
  auto cov = compute_coverage(g, comms, {}, {}, copts);
  auto on_parcel = [](const char* code) {
    LanduseLayer lu;
    Parcel parcel;
    parcel.id = "p";
    parcel.code = code;
    parcel.geometry = rect(400, -40, 600, 40);
    parcel.box = parcel.geometry.box();
    lu.parcels.push_back(std::move(parcel));
    return lu;
  };
  std::vector<Candidate> cands(2);
  cands[0].id = "plain", cands[0].point = {500, 10};
  cands[1].id = "gov", cands[1].point = {510, 10};
  cands[1].attributes.government_nonprofit = 1;
  SiteOptions o;
  o.functions = {function_index("health")};
  o.k = 1;
  auto baotou = load_profile("baotou");
  // E1 (GB 50137 water, non-construction land): no site, government or not.
  const LanduseLayer farm = on_parcel("E1");
  ParcelIndex farm_index(farm, baotou);
  auto r = select_sites(g, comms, cov, cands, baotou, &farm_index, o);
  for (auto& c : r.candidates) {
    CHECK_FALSE(c.eligible);
    CHECK(c.reason.find("non-construction") != std::string::npos);
  }
  // G1 (green space, construction land not on the list): the government's site keeps it under 第三条.
  const LanduseLayer green = on_parcel("G1");
  ParcelIndex green_index(green, baotou);
  r = select_sites(g, comms, cov, cands, baotou, &green_index, o);
  CHECK(r.candidates[1].eligible);
  CHECK(r.candidates[1].reason.find("BT 第三条 (BT-3-2)") != std::string::npos);
  // Where land use is for information only (national), farmland is the least preferred, not refused.
  auto nat = load_profile("national");
  ParcelIndex nat_index(farm, nat);
  r = select_sites(g, comms, cov, cands, nat, &nat_index, o);
  CHECK(r.candidates[0].eligible);
  CHECK(r.candidates[0].landuse_pref == Approx(0.1));
}

TEST_CASE("site, BT 第十条: a candidate's floor area limits the households it serves, and is named for what it is", "[site]") {
  // "按照每百户不低于30平方米的标准配置社区嵌入式服务设施": 30 m2 per 100 households is the standard
  // for all embedded services together, so 450 m2 provides for 1,500 households.
  Polyline road;
  for (int x = 0; x <= 1000; x += 100) road.push_back({double(x), 0});
  Graph g = test::graph({road});
  std::vector<Community> comms(1);
  comms[0].id = "A";
  comms[0].households = 3000;
  comms[0].geometry = test::rect(0, -50, 1000, 50);
  CoverageOptions copts;
  copts.thresholds_m = {500};
  auto cov = compute_coverage(g, comms, {}, {}, copts);
  std::vector<Candidate> cands(1);
  cands[0].id = "small", cands[0].point = {500, 10}, cands[0].area_m2 = 450;
  cands[0].attributes.beds = 12;
  SiteOptions o;
  o.functions = {function_index("elderly_care")};
  o.distance = 2000;
  o.k = 1;
  o.solver = "greedy";
  const Profile p = load_profile("baotou");
  auto r = select_sites(g, comms, cov, cands, p, nullptr, o);
  REQUIRE(r.chosen.size() == 1);
  const auto& c = r.candidates[0];
  CHECK(c.capacity == Approx(1500));
  CHECK(c.gain <= 1500 + 1e-9);
  CHECK(c.gain > 1400);
  CHECK(c.all_services_area_m2 == Approx(30 * c.gain / 100));
  CHECK(c.function_area_m2 == Approx(420));  // 12 beds x 35 m2 > 350 m2 (BT 第十三条)
  o.area_capacity = false;
  r = select_sites(g, comms, cov, cands, p, nullptr, o);
  CHECK(r.candidates[0].capacity == 0);
  CHECK(r.candidates[0].gain == Approx(3000));
}

TEST_CASE("site, BT 第十条: the area-gap objective closes the communities' floor-area gap", "[site]") {
  // "按照每百户不低于30平方米的标准配置": community A (1,000 households, no facility) lacks 300 m2;
  // B (3,000 households) has its 900 m2. Households alone favour the site reaching B.
  Polyline road;
  for (int x = 0; x <= 4000; x += 100) road.push_back({double(x), 0});
  Graph g = test::graph({road});
  std::vector<Community> comms(2);
  comms[0].id = "A", comms[0].households = 1000, comms[0].geometry = test::rect(0, -50, 1000, 50);
  comms[1].id = "B", comms[1].households = 3000, comms[1].geometry = test::rect(3000, -50, 4000, 50);
  std::vector<ServiceFacility> existing(1);
  existing[0].point.id = "b-hall", existing[0].point.point = {3500, 5};
  existing[0].area_m2 = 900;
  existing[0].functions = 1u << function_index("culture_leisure");
  CoverageOptions copts;
  copts.thresholds_m = {500};
  auto cov = compute_coverage(g, comms, existing, {}, copts);
  REQUIRE(cov.communities[0].gap_m2 == Approx(300));
  REQUIRE(cov.communities[1].gap_m2 == Approx(0));
  std::vector<Candidate> cands(2);
  cands[0].id = "near-A", cands[0].point = {500, 10}, cands[0].area_m2 = 400;
  cands[1].id = "near-B", cands[1].point = {3500, 10}, cands[1].area_m2 = 400;
  SiteOptions o;
  o.functions = {function_index("elderly_care")};
  o.distance = 600;
  o.k = 1;
  o.area_capacity = false;
  const Profile p = load_profile("baotou");
  auto r = select_sites(g, comms, cov, cands, p, nullptr, o);
  REQUIRE(r.chosen.size() == 1);
  CHECK(r.chosen[0] == 1);  // the most households without elderly care
  CHECK(r.candidates[0].area_gap_m2 == Approx(300));
  CHECK(r.candidates[1].area_gap_m2 == Approx(0));
  o.objective = "area_gap";
  r = select_sites(g, comms, cov, cands, p, nullptr, o);
  REQUIRE(r.chosen.size() == 1);
  CHECK(r.chosen[0] == 0);
  CHECK(r.gap_before[0] == Approx(300));
  CHECK(r.gap_after[0] == Approx(0));  // 400 m2 over a 300 m2 gap
  CHECK(r.gap_after[1] == Approx(0));
  o.target_share = 0.5;
  CHECK_THROWS_AS(select_sites(g, comms, cov, cands, p, nullptr, o), InputError);
}
