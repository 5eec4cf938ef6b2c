// Access: age groups, supply and the floating-catchment measures, on a hand-computed case and
// against an independent computation from Boost's Dijkstra on Porto Alegre.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "hexgrid.hpp"
#include "support.hpp"
#include "walkshed/access/access.hpp"
#include "walkshed/core/error.hpp"
#include "walkshed/io/coverage.hpp"
#include "walkshed/io/crs.hpp"
#include "walkshed/routing/search.hpp"
#include "walkshed/rules/profile.hpp"

using namespace walkshed;
namespace fs = std::filesystem;

namespace {

int fn(const char* id) { return function_index(id); }

ServiceFacility facility(std::string id, double x, FunctionSet functions, int function, double supply) {
  ServiceFacility s;
  s.point = {std::move(id), "", {x, 5}, nullptr};
  s.functions = functions;
  s.supply[function] = supply;
  return s;
}

Building building(double x) { return {test::rect(x - 1, 19, x + 1, 21), 1}; }

// Census shares with round numbers: 0-15 15 %, 15-60 75 %, 60+ 10 %.
CensusShares round_census() {
  CensusShares c;
  c.bands = {{{0, 15}, 0.15}, {{15, 60}, 0.75}, {{60, kOpenAge}, 0.10}};
  c.source = "test";
  return c;
}

// A 2 km road along y = 0. Community A (x 0..1000): 200 residents, 100 aged 60+ (a field), demand
// at x = 200 and 800. Community B (x 1000..2000): 400 residents, no age field, demand at x = 1600.
// Elderly care: F1 at x = 0 with 10 beds, F2 at x = 1000 with 30 beds.
struct Case {
  Graph g;
  std::vector<Community> comms;
  std::vector<ServiceFacility> facs;
  CoverageOptions co;
  CoverageResult cov;
  PopulationProfile pop;
  SupplyProfile supply = default_supply();
  AccessOptions ao;
  Case() {
    Polyline road;
    for (int x = 0; x <= 2000; x += 100) road.push_back({double(x), 0});
    g = test::graph({road});
    Community a, b;
    a.id = "A", a.households = 100, a.residents = 200, a.geometry = test::rect(0, -50, 1000, 50);
    a.ages = {{{60, kOpenAge}, 100}};
    b.id = "B", b.households = 150, b.residents = 400, b.geometry = test::rect(1000, -50, 2000, 50);
    comms = {a, b};
    const FunctionSet elderly = FunctionSet(1u << fn("elderly_care"));
    facs.push_back(facility("F1", 0, elderly, fn("elderly_care"), 10));
    facs.push_back(facility("F2", 1000, elderly, fn("elderly_care"), 30));
    co.thresholds_m = {300, 500, 1000};
    co.threads = 1;
    cov = compute_coverage(g, comms, facs, {building(200), building(800), building(1600)}, co);
    pop = default_population();
    pop.census = round_census();
    pop.groups.push_back({"elderly", "", {60, kOpenAge}, false});
    pop.groups.push_back({"infant", "", {0, 3}, false});
    pop.function_group[fn("elderly_care")] = 1;
    pop.function_group[fn("infant_care")] = 2;
    supply[fn("elderly_care")] = {"beds", "beds", 0, 30, "test"};
    ao.band_weights = {1, 0.5, 0.25};
    ao.gravity_beta = 1;
    ao.threads = 1;
  }
};

}  // namespace

TEST_CASE("age bands: labels, parsing and column names", "[access]") {
  CHECK(age_label({0, 3}) == "0-3");
  CHECK(age_label({60, kOpenAge}) == "60+");
  CHECK(parse_age_band("3-6", "x") == AgeBand{3, 6});
  CHECK(parse_age_band("3～6岁", "x") == AgeBand{3, 6});
  CHECK(parse_age_band("60+", "x") == AgeBand{60, kOpenAge});
  CHECK_THROWS_WITH(parse_age_band("old", "group elderly"), Catch::Contains("group elderly: 'old' is not an age band"));
  CHECK_THROWS(parse_age_band("6-3", "x"));
  CHECK_THROWS_AS(parse_age_band("99999999999999999999999999-3", "x"), InputError);  // no out_of_range
  AgeBand b;
  REQUIRE(age_band_of_column("age_60_plus", b));
  CHECK(b == AgeBand{60, kOpenAge});
  REQUIRE(age_band_of_column("pop_3_6", b));
  CHECK(b == AgeBand{3, 6});
  CHECK_FALSE(age_band_of_column("pop_2020", b));  // a year, not a band
  CHECK_FALSE(age_band_of_column("population", b));
  CHECK_FALSE(age_band_of_column("age_99999999999999999999999_plus", b));
}

TEST_CASE("age groups: from the fields when they add up to the band, else from census shares", "[access]") {
  const CensusShares census = round_census();
  bool spread = false;
  CHECK(census_share(census, {60, kOpenAge}, &spread) == Approx(0.10));
  CHECK_FALSE(spread);
  CHECK(census_share(census, {0, 3}, &spread) == Approx(0.03));  // 3 of the 15 years of 0-15
  CHECK(spread);
  CHECK(census_share(census, {3, 18}, &spread) == Approx(0.12 + 0.75 * 3 / 45));
  CHECK(census_share(census, {70, kOpenAge}, &spread) == -1);  // a part of the open band
  const PopulationGroup school{"school", "", {3, 18}, false};
  // 3-6 and 6-18 tile 3-18; 0-18 does not.
  auto c = group_people(school, 1000, {{{0, 18}, 300}, {{3, 6}, 40}, {{6, 18}, 150}}, census);
  CHECK(c.people == 190);
  CHECK_FALSE(c.from_census);
  c = group_people(school, 1000, {{{3, 6}, 40}}, census);  // 6-18 missing: the census stands in
  CHECK(c.from_census);
  CHECK(c.interpolated);
  CHECK(c.people == Approx(1000 * (0.12 + 0.75 * 3 / 45)));
  CHECK(group_people({"everyone", "", {}, true}, 1000, {}, census).people == 1000);
}

TEST_CASE("access: two facilities, three demand points, every measure by hand", "[access]") {
  Case t;
  REQUIRE(t.cov.demand.size() == 3);
  // Demand points in order: x = 200 (A), 800 (A), 1600 (B); elderly: 50, 50 (field), 40 (10 % of 400).
  const auto r = compute_access(t.g, t.comms, t.cov, t.facs, t.co, t.pop, t.supply, t.ao);
  const FunctionAccess& e = r.functions[fn("elderly_care")];
  REQUIRE(e.people.size() == 3);
  CHECK(e.people[0] == Approx(50));
  CHECK(e.people[2] == Approx(40));
  CHECK_FALSE(r.groups[0][1].from_census);
  CHECK(r.groups[1][1].from_census);
  CHECK(r.pairs == 5);  // F1: 200, 800; F2: 800, 200, 600 (F1 to x = 1600 is beyond 1000 m)

  // 2SFCA, D = 1000: R1 = 10 / 100, R2 = 30 / 140.
  const double R1 = 0.1, R2 = 30.0 / 140;
  CHECK(e.fca[0] == Approx(100 * (R1 + R2)).epsilon(1e-12));
  CHECK(e.fca[1] == Approx(100 * (R1 + R2)).epsilon(1e-12));
  CHECK(e.fca[2] == Approx(100 * R2).epsilon(1e-12));
  CHECK(e.ratio[0] == Approx(10).epsilon(1e-12));
  CHECK(e.community_fca[0] == Approx(100 * (R1 + R2)).epsilon(1e-12));
  CHECK(e.community_fca[1] == Approx(100 * R2).epsilon(1e-12));
  // The supply is all handed out: sum of people x access = 40 beds.
  CHECK(e.people[0] * e.fca[0] + e.people[1] * e.fca[1] + e.people[2] * e.fca[2] == Approx(100 * 40).epsilon(1e-12));

  // E2SFCA, weights 1 (<= 300 m), 0.5 (<= 500), 0.25 (<= 1000): F1 serves 50 + 0.25 x 50 = 62.5,
  // F2 0.25 x 50 + 50 + 0.25 x 40 = 72.5.
  const double E1 = 10 / 62.5, E2 = 30 / 72.5;
  CHECK(e.efca[0] == Approx(100 * (E1 + 0.25 * E2)).epsilon(1e-12));
  CHECK(e.efca[1] == Approx(100 * (0.25 * E1 + E2)).epsilon(1e-12));
  CHECK(e.efca[2] == Approx(100 * 0.25 * E2).epsilon(1e-12));

  // Gaussian 2SFCA: w(d) = (exp(-(d/D)^2 / 2) - exp(-1/2)) / (1 - exp(-1/2)).
  auto w = [](double d) { return (std::exp(-0.5 * d * d / 1e6) - std::exp(-0.5)) / (1 - std::exp(-0.5)); };
  const double G1 = 10 / (50 * w(200) + 50 * w(800)), G2 = 30 / (50 * w(800) + 50 * w(200) + 40 * w(600));
  CHECK(e.gfca[0] == Approx(100 * (G1 * w(200) + G2 * w(800))).epsilon(1e-12));
  CHECK(e.gfca[2] == Approx(100 * G2 * w(600)).epsilon(1e-12));

  // Gravity, exp(-d / 1 km): no competition.
  CHECK(e.gravity[0] == Approx(10 * std::exp(-0.2) + 30 * std::exp(-0.8)).epsilon(1e-12));
  CHECK(e.gravity[2] == Approx(30 * std::exp(-0.6)).epsilon(1e-12));

  // Coverage of the group: nearest elderly care 200, 200 and 600 m.
  CHECK(e.covered[0][0] == Approx(100));
  CHECK(e.covered[1][1] == 0);
  CHECK(e.covered[1][2] == Approx(40));
  // Target 30 beds per 100: A has 31.4, B is short (30 - 21.43) x 40 / 100 beds.
  CHECK(e.shortfall[0] == 0);
  CHECK(e.shortfall[1] == Approx((30 - 100 * R2) * 40 / 100).epsilon(1e-12));
  CHECK(e.shortfall_total == Approx(e.shortfall[1]));
  CHECK(e.fca_total == Approx((100 * 100 * (R1 + R2) + 40 * 100 * R2) / 140).epsilon(1e-12));

  // Infant care: 3 % of residents, nobody offers it.
  const FunctionAccess& inf = r.functions[fn("infant_care")];
  CHECK(inf.community_people[0] == Approx(6));
  CHECK(inf.community_people[1] == Approx(12));
  CHECK(inf.fca_total == 0);
  CHECK(std::isnan(inf.shortfall_total));  // no target
  // Health serves everyone: 600 residents, no facility.
  CHECK(r.functions[fn("health")].people_total == Approx(600));
}

TEST_CASE("access: supply from the field, the floor area or 1 per facility; missing values take the fallback",
          "[access]") {
  ServiceFacility f;
  f.functions = FunctionSet(1u << fn("elderly_care"));
  f.area_m2 = 250;
  f.supply[fn("elderly_care")] = 12;
  SupplySpec s;
  CHECK(facility_supply(f, fn("elderly_care"), s) == 1);
  s.field = "beds";
  CHECK(facility_supply(f, fn("elderly_care"), s) == 12);
  CHECK(facility_supply(f, fn("health"), s) == 0);  // not offered
  s.field = "area";
  CHECK(facility_supply(f, fn("elderly_care"), s) == 250);
  f.supply[fn("elderly_care")] = kUnknown;
  s.field = "beds", s.fallback = 2;
  CHECK(facility_supply(f, fn("elderly_care"), s) == 2);
}

TEST_CASE("access: band weights by default from the Gaussian kernel, given ones checked", "[access]") {
  const auto w = band_weights({300, 500, 1000}, {});
  REQUIRE(w.size() == 3);
  CHECK(w[0] == Approx(gaussian_weight(150, 1000)));
  CHECK(w[2] == Approx(gaussian_weight(750, 1000)));
  CHECK(w[0] > w[1]);
  CHECK(gaussian_weight(0, 1000) == 1);
  CHECK(gaussian_weight(1000, 1000) == Approx(0).margin(1e-15));
  CHECK(gaussian_weight(1001, 1000) == 0);
  CHECK_THROWS_WITH(band_weights({300, 500}, {1}), Catch::Contains("one weight per distance"));
  CHECK_THROWS_WITH(band_weights({300, 500}, {0.5, 1}), Catch::Contains("not increase"));
}

TEST_CASE("profiles: population groups, census shares and supply read and checked", "[access]") {
  const Profile bj = load_profile("beijing");
  const auto& pop = bj.population;
  const int elderly = pop.function_group[fn("elderly_care")];
  CHECK(pop.groups[elderly].ages == AgeBand{60, kOpenAge});
  CHECK(census_share(pop.census, pop.groups[elderly].ages, nullptr) == Approx(0.1963));
  CHECK(pop.census.verified);
  CHECK(pop.groups[pop.function_group[fn("infant_care")]].ages == AgeBand{0, 3});
  CHECK(pop.groups[pop.function_group[fn("health")]].everyone);
  CHECK(bj.supply[fn("elderly_care")].field == "beds");
  CHECK_FALSE(load_profile("wuhan").population.census.verified);
  CHECK(describe(bj).find("elderly 60+") != std::string::npos);

  const fs::path dir = fs::temp_directory_path() / "walkshed_access_profiles";
  fs::create_directories(dir);
  auto write = [&](const std::string& name, const std::string& body) {
    std::ofstream(dir / (name + ".yaml")) << "profile: " << name << "\nextends: national\n" << body;
    return (dir / (name + ".yaml")).string();
  };
  auto fails = [&](const std::string& body, const std::string& message) {
    CHECK_THROWS_WITH(load_profile(write("bad", body)), Catch::Contains(message));
  };
  fails("population:\n  census:\n    source: x\n    bands: {\"0-15\": 0.2, \"15-60\": 0.6, \"60+\": 0.1}\n", "add up to");
  fails("population:\n  census:\n    source: x\n    bands: {\"0-15\": 0.2, \"20-60\": 0.7, \"60+\": 0.1}\n", "without gaps");
  fails("population:\n  census:\n    source: x\n    bands: {\"0-15\": 0.2, \"15-60\": 0.8}\n", "must be open");
  fails("population:\n  groups: {source: x, old: {ages: 70+}}\n", "cannot be estimated");
  fails("population:\n  functions: {health: nobody}\n", "group 'nobody' is not defined");
  fails("population:\n  functions: {healthy: elderly}\n", "unknown service function 'healthy'");
  fails("supply:\n  health: {field: doctors, unit: doctors}\n", "has no source");
  fails("supply:\n  health: {field: doctors, target_per100: -1, source: x}\n", "target_per100 must be >= 0");
  const Profile ok = load_profile(write("ok", "supply:\n  health: {field: doctors, unit: doctors, target_per100: 0.3, source: plan}\n"
                                              "population:\n  functions: {health: elderly}\n"));
  CHECK(ok.supply[fn("health")].target_per100 == 0.3);
  CHECK(ok.population.groups[ok.population.function_group[fn("health")]].id == "elderly");
  fs::remove_all(dir);
}

TEST_CASE("Porto Alegre: every access measure equals an independent computation from Boost's Dijkstra",
          "[access][shared]") {
  const test::Hexgrid hex = test::porto_alegre();
  const Graph& g = hex.graph;
  std::vector<Community> comms;
  std::vector<ServiceFacility> facs;
  const int health = fn("health");
  for (auto& cell : hex.cells) {
    if (cell.population > 0) {  // one demand point at the cell centre
      Community c;
      c.id = cell.id;
      c.residents = cell.population;
      c.households = c.residents / 2.62;
      c.geometry = test::rect(cell.x - 10, cell.y - 10, cell.x + 10, cell.y + 10);
      comms.push_back(std::move(c));
    }
    if (cell.healthcare > 0) {
      ServiceFacility f;
      f.point = {cell.id, "", {cell.x, cell.y}, nullptr};
      f.functions = FunctionSet(1u << health);
      f.supply[health] = cell.healthcare;  // healthcare facilities in the cell
      facs.push_back(f);
    }
  }
  REQUIRE(comms.size() > 1000);
  REQUIRE(facs.size() > 50);
  CoverageOptions co;
  co.thresholds_m = {300, 600, 1000};
  const CoverageResult cov = compute_coverage(g, comms, facs, {}, co);
  REQUIRE(cov.demand.size() == comms.size());
  PopulationProfile pop = default_population();
  SupplyProfile supply = default_supply();
  supply[health] = {"healthcare", "facilities", 0, 0.02, "test"};
  AccessOptions ao;
  ao.distance = 800;  // 2SFCA and Gaussian within 800 m; E2SFCA bands and gravity to 1000 m
  ao.band_weights = {1, 0.6, 0.2};
  ao.gravity_beta = 1.5;
  const AccessResult r = compute_access(g, comms, cov, facs, co, pop, supply, ao);
  const FunctionAccess& a = r.functions[health];

  // Independent: the full distance matrix by Boost's Dijkstra, then every formula as written.
  const std::size_t N = cov.demand.size(), F = facs.size();
  std::vector<std::vector<double>> d(F, std::vector<double>(N, kUnreached));
  for (std::size_t j = 0; j < F; ++j) {
    const Snap& fs_ = cov.facility_snaps[j];
    if (fs_.edge == kInvalid) continue;
    const auto dist = test::boost_distances(g, fs_.edge, fs_.offset);
    auto fin = [](double v) { return v == std::numeric_limits<double>::max() ? kUnreached : v; };
    for (std::size_t i = 0; i < N; ++i) {
      const Snap& s = cov.demand[i].snap;
      if (s.edge == kInvalid) continue;
      double v = std::min(fin(dist[g.edge_u[s.edge]]) + s.offset, fin(dist[g.edge_v[s.edge]]) + g.edge_length[s.edge] - s.offset);
      if (s.edge == fs_.edge) v = std::min(v, std::abs(s.offset - fs_.offset));
      d[j][i] = v;
    }
  }
  std::vector<double> P(N);
  for (std::size_t i = 0; i < N; ++i) P[i] = comms[cov.demand[i].community].residents;
  const double D = 800, L = 1000;
  auto band = [&](double x) { return x <= 300 ? 1.0 : x <= 600 ? 0.6 : x <= 1000 ? 0.2 : 0.0; };
  auto gauss = [&](double x) {
    return x <= D ? (std::exp(-0.5 * (x / D) * (x / D)) - std::exp(-0.5)) / (1 - std::exp(-0.5)) : 0.0;
  };
  std::vector<double> fca(N, 0), efca(N, 0), gfca(N, 0), grav(N, 0);
  std::int64_t pairs = 0;
  for (std::size_t j = 0; j < F; ++j) {
    double p1 = 0, pe = 0, pg = 0;
    for (std::size_t i = 0; i < N; ++i) {
      if (!(d[j][i] <= L)) continue;
      ++pairs;
      p1 += d[j][i] <= D ? P[i] : 0;
      pe += P[i] * band(d[j][i]);
      pg += P[i] * gauss(d[j][i]);
    }
    const double S = facs[j].supply[health];
    for (std::size_t i = 0; i < N; ++i) {
      if (!(d[j][i] <= L)) continue;
      if (d[j][i] <= D && p1 > 0) fca[i] += 100 * S / p1;
      if (pe > 0) efca[i] += 100 * S / pe * band(d[j][i]);
      if (pg > 0) gfca[i] += 100 * S / pg * gauss(d[j][i]);
      grav[i] += S * std::exp(-1.5 * d[j][i] / 1000);
    }
  }
  CHECK(r.pairs == pairs);
  auto same = [](double mine, double theirs) { return std::abs(mine - theirs) <= 1e-9 * std::max(1.0, std::abs(theirs)); };
  std::size_t reached = 0;
  double total_fca = 0, total_people = 0, short_total = 0;
  for (std::size_t i = 0; i < N; ++i) {
    INFO("demand point " << i);
    REQUIRE(same(a.fca[i], fca[i]));
    REQUIRE(same(a.efca[i], efca[i]));
    REQUIRE(same(a.gfca[i], gfca[i]));
    REQUIRE(same(a.gravity[i], grav[i]));
    reached += fca[i] > 0;
    const std::uint32_t c = cov.demand[i].community;  // one point per community
    REQUIRE(same(a.community_fca[c], fca[i]));
    REQUIRE(same(a.shortfall[c], std::max(0.0, (0.02 - fca[i]) * P[i] / 100)));
    short_total += std::max(0.0, (0.02 - fca[i]) * P[i] / 100);
    total_fca += P[i] * fca[i], total_people += P[i];
  }
  CHECK(same(a.fca_total, total_fca / total_people));
  CHECK(same(a.shortfall_total, short_total));
  CHECK(reached > N / 4);
  CHECK(reached < N);
}
