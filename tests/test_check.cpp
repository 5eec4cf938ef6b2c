// Rule profiles, land-use eligibility and facility checks.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <ogr_api.h>

#include "support.hpp"
#include "walkshed/io/check.hpp"
#include "walkshed/io/landuse.hpp"
#include "walkshed/io/crs.hpp"

using namespace walkshed;
namespace fs = std::filesystem;

namespace {

fs::path temp(const std::string& name) {
  fs::path d = fs::temp_directory_path() / ("walkshed-check-" + std::to_string(getpid()));
  fs::create_directories(d);
  return d / name;
}

fs::path write(const std::string& name, const std::string& text) {
  fs::path p = temp(name);
  std::ofstream(p) << text;
  return p;
}

ServiceFacility site(const std::string& functions, double area) {
  ServiceFacility s;
  std::vector<std::string> unknown;
  s.functions = parse_functions(functions, unknown);
  s.area_m2 = area;
  return s;
}

// A three-function complex of 700 m2 standing on one parcel of the given code and class.
CheckedSite on_land(const char* code, const char* land_class, Eligibility eligibility) {
  CheckedSite s;
  s.facility = site("elderly_care;community_canteen;health", 700);
  s.attributes.complex = 1;
  s.landuse.parcel = 0;
  s.landuse.code = code;
  s.landuse.land_class = land_class;
  s.landuse.eligibility = eligibility;
  return s;
}

Outcome outcome(const Profile& p, const std::string& rule, const ServiceFacility& s, const SiteAttributes& a,
                std::vector<std::string> overrides = {}) {
  CheckOptions o;
  o.overrides = overrides;
  return check_rule(p, rule, s, a, o).outcome;
}

}  // namespace

TEST_CASE("profiles: the shipped ones load, extend national and carry sources", "[check]") {
  auto names = list_profiles();
  REQUIRE(names.size() >= 4);
  for (auto& [name, path] : names) {
    INFO(path);
    auto p = load_profile(name);
    CHECK(p.name == name);
    for (auto& [id, r] : p.rules) CHECK_FALSE(r.source.empty());
  }
  auto bt = load_profile("baotou");
  CHECK(bt.files.size() == 2);  // national, then baotou
  REQUIRE(bt.rule("elderly_area_per_bed"));
  CHECK(bt.rule("elderly_area_per_bed")->value == 35);
  CHECK(bt.household_size == 2.35);
  CHECK(bt.site_weights.at("central") == 0.2);  // Baotou prefers central sites
  CHECK(load_profile("beijing").site_weights.at("central") == 0.1);  // inherited from national
  auto nat = load_profile("national");
  CHECK_FALSE(nat.rule("elderly_area_per_bed"));  // Baotou-only figures are not national
  auto bj = load_profile("beijing");
  CHECK(bj.rule("core_four")->severity == Severity::ErrorOverride);
  CHECK(bj.categories.at("child_care") == "commercial");
  CHECK(load_profile("wuhan").categories.at("child_care") == "inclusive");
  CHECK(bj.subsidy.enabled);
  CHECK(bj.subsidy.cap == 50000000);
}

TEST_CASE("profiles: a user profile extends a shipped one and changes a value", "[check]") {
  auto path = write("mine.yaml", "profile: mine\nextends: baotou\nrules:\n"
                                 "  elderly_min_area: {value: 500, unit: m2, source: \"district note 2025\"}\n"
                                 "  core_four: {enabled: false}\n");
  auto p = load_profile(path.string());
  CHECK(p.rule("elderly_min_area")->value == 500);
  CHECK(p.rule("elderly_min_area")->source == "district note 2025");
  CHECK(p.rule("infant_min_area")->value == 200);  // inherited
  CHECK_FALSE(p.rule("core_four"));
}

TEST_CASE("profiles: bad files are clear errors naming file and line", "[check]") {
  auto bad = [](const std::string& name, const std::string& text, const std::string& needle) {
    auto path = write(name, text);
    INFO(text);
    CHECK_THROWS_WITH(load_profile(path.string()),
                      Catch::Contains(path.string()) && Catch::Contains(needle));
  };
  bad("k.yaml", "profile: k\nrules:\n  min_functions: {value: 3, unit: count, severity: error, source: x, colour: red}\n",
      "line 3: unknown key 'colour'");
  bad("u.yaml", "profile: u\nrules:\n\n  elderly_min_area: {value: 350, unit: m, severity: error, source: x}\n",
      "line 4: rule elderly_min_area: unit 'm' is wrong, expected 'm2'");
  bad("s.yaml", "profile: s\nrules:\n  min_functions: {value: 3, unit: count, severity: error}\n", "line 3: rule min_functions has no source");
  bad("r.yaml", "profile: r\nrules:\n  max_height: {value: 3, unit: m, source: x}\n", "line 3: unknown rule 'max_height'");
  bad("t.yaml", "profile: t\ncolour: red\n", "line 2: unknown key 'colour'");
  bad("v.yaml", "profile: v\nextends: baotou\nrules:\n  elderly_min_area: {value: 300, unit: m2}\n",
      "line 4: rule elderly_min_area: the value changes from 350");
  bad("n.yaml", "profile: n\nextends: baotou\nrules:\n  elderly_min_area: {value: -5, unit: m2, source: x}\n",
      "line 4: rule elderly_min_area: the value must be a number >= 0");
  bad("y.yaml", "profile: [oops\n", "line");
  // Found by fuzzing: keys that are not plain names, and flags that are not true or false.
  bad("c.yaml", "profile: c\n? [a, b]\n: 1\n", "line 2: a key in the profile must be a plain name");
  bad("c2.yaml", "profile: c2\nrules:\n  ? {x: 1}\n  : {value: 3}\n", "line 3: a key in rules must be a plain name");
  bad("e.yaml", "profile: e\nextends: baotou\nrules:\n  elderly_min_area: {enabled: maybe}\n",
      "line 4: rule elderly_min_area enabled must be true or false");
  bad("w.yaml", "profile: w\nsite_weights:\n  source: x\n  ? [area]\n  : 2\n", "line 4: a key in site_weights must be a plain name");
  CHECK_THROWS_WITH(load_profile(write("d.yaml", "profile: d\nextends: /\n").string()), Catch::Contains("'/' is not a file"));
  CHECK_THROWS_WITH(load_profile(write("l.yaml", "profile: l\nextends: " + std::string(5000, 'n') + "\n").string()),
                    Catch::Contains("no profile 'nnnn"));
}

TEST_CASE("rules: pass, fail, borderline and missing data", "[check]") {
  auto p = load_profile("baotou");
  SiteAttributes a;
  a.complex = 1;
  SECTION("function counts") {
    CHECK(outcome(p, "min_functions", site("elderly_care;health;fitness", 0), a) == Outcome::Pass);  // exactly 3
    CHECK(outcome(p, "min_functions", site("elderly_care;health", 0), a) == Outcome::Fail);
    CHECK(outcome(p, "core_four", site("elderly_care;community_canteen", 0), a) == Outcome::Pass);
    CHECK(outcome(p, "core_four", site("elderly_care;health", 0), a) == Outcome::Fail);
    CHECK(outcome(p, "elderly_or_infant", site("child_care", 0), a) == Outcome::Fail);
    CHECK(outcome(p, "elderly_or_infant", site("infant_care", 0), a) == Outcome::Pass);
    a.complex = 0;
    CHECK(outcome(p, "min_functions", site("health", 0), a) == Outcome::NotApplicable);
  }
  SECTION("elderly care: 35 m2 per bed, 350 m2") {
    a.beds = 10;
    CHECK(outcome(p, "elderly_area_per_bed", site("elderly_care", 350), a) == Outcome::Pass);  // exactly 35
    CHECK(outcome(p, "elderly_area_per_bed", site("elderly_care", 349.9), a) == Outcome::Fail);
    CHECK(outcome(p, "elderly_min_area", site("elderly_care", 350), a) == Outcome::Pass);
    CHECK(outcome(p, "elderly_min_area", site("elderly_care", 349), a) == Outcome::Fail);
    CHECK(outcome(p, "elderly_min_area", site("elderly_care", kUnknown), a) == Outcome::MissingData);
    a.beds = kUnknown;
    CHECK(outcome(p, "elderly_area_per_bed", site("elderly_care", 500), a) == Outcome::MissingData);
    a.beds = 0;  // zero beds: not assessable, not a pass
    CHECK(outcome(p, "elderly_area_per_bed", site("elderly_care", 500), a) == Outcome::MissingData);
    CHECK(outcome(p, "elderly_min_area", site("health", 10), a) == Outcome::NotApplicable);
  }
  SECTION("infant care: 9 m2 per place, 200 m2, floor <= 3, no basement") {
    a.places = 20;
    CHECK(outcome(p, "infant_area_per_place", site("infant_care", 180), a) == Outcome::Pass);
    CHECK(outcome(p, "infant_area_per_place", site("infant_care", 179), a) == Outcome::Fail);
    CHECK(outcome(p, "infant_min_area", site("infant_care", 200), a) == Outcome::Pass);
    CHECK(outcome(p, "infant_min_area", site("infant_care", 199), a) == Outcome::Fail);
    a.max_floor = 3;
    CHECK(outcome(p, "infant_max_floor", site("infant_care", 200), a) == Outcome::Pass);
    a.max_floor = 4;
    CHECK(outcome(p, "infant_max_floor", site("infant_care", 200), a) == Outcome::Fail);
    a.max_floor = kUnknown;
    CHECK(outcome(p, "infant_max_floor", site("infant_care", 200), a) == Outcome::MissingData);
    a.basement = 1;
    CHECK(outcome(p, "infant_no_basement", site("infant_care", 200), a) == Outcome::Fail);
    a.basement = 0;
    CHECK(outcome(p, "infant_no_basement", site("infant_care", 200), a) == Outcome::Pass);
    a.basement = -1;
    CHECK(outcome(p, "infant_no_basement", site("infant_care", 200), a) == Outcome::MissingData);
    a.max_floor = 3;
    CHECK(outcome(p, "child_max_floor", site("child_care", 0), a) == Outcome::Pass);
    CHECK(outcome(p, "child_max_floor", site("fitness", 0), a) == Outcome::NotApplicable);
  }
  SECTION("complex 600 m2, 800 m2 when qualified") {
    CHECK(outcome(p, "complex_min_area", site("health", 600), a) == Outcome::Pass);
    CHECK(outcome(p, "complex_min_area", site("health", 599), a) == Outcome::Fail);
    a.qualified = 1;
    CHECK(outcome(p, "complex_min_area_qualified", site("health", 800), a) == Outcome::Pass);
    CHECK(outcome(p, "complex_min_area_qualified", site("health", 700), a) == Outcome::Fail);
    a.qualified = 0;
    CHECK(outcome(p, "complex_min_area_qualified", site("health", 700), a) == Outcome::NotApplicable);
    a.complex = -1;
    CHECK(outcome(p, "complex_min_area", site("health", 700), a) == Outcome::MissingData);
  }
  SECTION("fitness in new residential areas: 0.1 m2 indoor or 0.3 m2 outdoor per person") {
    a.new_residential = 1;
    a.residents = 1000;
    a.indoor_fitness_m2 = 100;  // exactly 0.1
    CHECK(outcome(p, "fitness_indoor_per_person", site("fitness", 0), a) == Outcome::Pass);
    a.indoor_fitness_m2 = 99;
    CHECK(outcome(p, "fitness_indoor_per_person", site("fitness", 0), a) == Outcome::Fail);
    a.outdoor_fitness_m2 = kUnknown;
    CHECK(outcome(p, "fitness_outdoor_per_person", site("fitness", 0), a) == Outcome::MissingData);
    a.new_residential = 0;
    CHECK(outcome(p, "fitness_indoor_per_person", site("fitness", 0), a) == Outcome::NotApplicable);
    // Either option is enough: the failing indoor one is then not applicable.
    CheckedSite s;
    s.facility = site("fitness", 0);
    s.attributes = a;
    s.attributes.new_residential = 1;
    s.attributes.indoor_fitness_m2 = 10;
    s.attributes.outdoor_fitness_m2 = 300;
    check_site(p, {}, s);
    for (auto& r : s.results) {
      if (r.rule == "fitness_outdoor_per_person") CHECK(r.outcome == Outcome::Pass);
      if (r.rule == "fitness_indoor_per_person") CHECK(r.outcome == Outcome::NotApplicable);
    }
  }
  SECTION("overrides apply to error_override rules only") {
    CHECK(outcome(p, "min_functions", site("health", 0), a, {"min_functions"}) == Outcome::Overridden);
    a.beds = 10;
    CHECK(outcome(p, "elderly_min_area", site("elderly_care", 100), a, {"elderly_min_area"}) == Outcome::Fail);
  }
}

TEST_CASE("summary, categories and the Beijing subsidy", "[check]") {
  auto bj = load_profile("beijing");
  CheckedSite s;
  s.facility = site("elderly_care;community_canteen;child_care", 700);
  s.attributes.complex = 1;
  s.attributes.qualified = 0;
  s.attributes.investment = 1e8;
  check_site(bj, {}, s);
  CHECK(s.summary == "pass");
  CHECK(s.categories == "elderly_care:inclusive;child_care:commercial;community_canteen:inclusive");
  CHECK(s.subsidy_cny == Approx(3e7));
  // BJ 第二十四条 "对项目中基本公共服务类、普惠非基本公共服务类功能给予工程总投资30%": child care is
  // 便民商业类, so 30 % of the whole investment is an upper bound until the eligible area is known.
  CHECK_THAT(s.subsidy_basis, Catch::StartsWith("upper bound") && Catch::Contains("1 of 3 functions"));
  s.attributes.eligible_area = 525;  // 3/4 of the 700 m2
  check_site(bj, {}, s);
  CHECK(s.subsidy_cny == Approx(0.3 * 1e8 * 0.75));
  CHECK(s.subsidy_basis == "investment x eligible floor area / floor area");
  s.attributes.eligible_area = kUnknown;
  s.attributes.investment = 3e8;  // 30 % would be 90 M: capped at 50 M
  check_site(bj, {}, s);
  CHECK(s.subsidy_cny == Approx(5e7));
  s.facility = site("child_care;housekeeping_convenience", 700);  // commercial only: not eligible
  check_site(bj, {}, s);
  CHECK(s.subsidy_cny == 0);
  CHECK(s.summary == "fail");  // two functions, < 3 (原则上 -> error)
  s.attributes.investment = kUnknown;
  check_site(bj, {}, s);
  CHECK(std::isnan(s.subsidy_cny));
}

TEST_CASE("land-use codes: three systems, prefixes, aliases, unknown codes", "[check]") {
  auto p = load_profile("baotou");
  LanduseClassifier c(p);
  CHECK(c.classify("070101") == "residential");
  CHECK(c.classify("0804") == "public_service");
  CHECK(c.classify("080404") == "public_service");
  CHECK(c.classify("100101") == "industrial_1");
  CHECK(c.classify("100102") == "industrial_other");
  CHECK(c.classify("110101") == "logistics_1");
  CHECK(c.classify("1403") == "square");
  CHECK(c.classify("1401") == "green");
  CHECK(c.classify("0101") == "non_construction");
  CHECK(c.classify("R2") == "residential");
  CHECK(c.classify("r21") == "residential");
  CHECK(c.classify("A33") == "public_service");
  CHECK(c.classify("A7") == "special");
  CHECK(c.classify("B41") == "fuel_station");  // Baotou's own class (BT 第四条)
  CHECK(c.classify("M1") == "industrial_1");
  CHECK(c.classify("M2") == "industrial_other");
  CHECK(c.classify("W1") == "logistics_1");
  CHECK(c.classify("G3") == "square");
  CHECK(c.classify("M0") == "new_industrial");
  CHECK(c.classify("100104") == "new_industrial");
  CHECK(c.classify("新型产业用地") == "new_industrial");
  CHECK(c.classify("landuse=residential") == "residential");
  CHECK(c.classify("amenity=kindergarten") == "public_service");
  CHECK(c.classify("R2B1").empty());  // mixed codes are reported, not guessed
  CHECK(c.classify("X9").empty());
  CHECK(c.classify("landuse=railway").empty());
}

TEST_CASE("Huizhou parcels (GB 50137): eligibility per profile, and the wrong .prj", "[check][shared]") {
  const std::string dir = std::string(WALKSHED_SHARED_DATA) + "/huizhou-zhongkai-landuse";
  OGRSpatialReference gk = srs_from_epsg(4547);
  char* wkt = nullptr;
  gk.exportToWkt(&wkt);
  const std::string target = wkt;
  CPLFree(wkt);
  LanduseLayerOptions o;
  o.path = dir + "/huizhou_zhongkai_landuse.gpkg";
  o.layer = "landuse_parcels";
  auto layer = load_landuse(o, target);
  REQUIRE(layer.parcels.size() == 79);
  for (const char* name : {"national", "baotou", "beijing", "wuhan"}) {
    auto p = load_profile(name);
    ParcelIndex index(layer, p);
    CHECK(index.unknown_codes().empty());
    std::map<std::string, int> by;
    for (auto& parcel : layer.parcels) {
      auto s = index.locate(point_on_surface(parcel.geometry));
      REQUIRE(s.parcel >= 0);
      CHECK(layer.parcels[s.parcel].id == parcel.id);
      ++by[eligibility_name(s.eligibility)];
      // A polygon site: the parcel itself, with the whole overlap.
      auto whole = index.locate(parcel.geometry);
      CHECK(whole.overlap_share == Approx(1).epsilon(1e-9));
    }
    INFO(name);
    // R2 29, R3 6, B1 13, B2 3, A1 3, A3 4, A4 1, A6 1, M1 2, W1 3 = 65 allowed, and B41 1, commercial
    // land too, restricted by Baotou only (BT 第四条); G1 4, S3 1, S4 3, U1 1, U3 1, U23 3 = 13 other
    // construction land.
    const bool baotou = std::string(name) == "baotou";
    CHECK(by["allowed"] == (baotou ? 65 : 66));
    CHECK(by["restricted"] == (baotou ? 1 : 0));
    CHECK(by["not listed"] == 13);
  }
  // The raw shapefile's .prj says WGS 84 while the coordinates are metres: detected, then overridden.
  o.path = dir + "/raw/land.shp";
  o.layer.clear();
  CHECK_THROWS_WITH(load_landuse(o, target), Catch::Contains("probably wrong") && Catch::Contains("`landuse.source_srs`"));
  o.source_srs = "EPSG:4547";
  o.code_field = "Layer";  // the raw file keeps the code in a field named Layer
  CHECK_NOTHROW(load_landuse(o, target));
}

TEST_CASE("BT 第三条: a government non-profit facility may keep its construction land use for 5 years", "[check]") {
  // "政府建设的社区嵌入式服务设施作为非营利性公共服务设施，允许5年内不变更原有土地用途。"
  auto p = load_profile("baotou");
  CheckOptions o;
  o.landuse_given = true;
  CheckedSite s = on_land("G1", "green", Eligibility::Unlisted);  // green space: construction land, not listed
  s.attributes.beds = 10;
  s.attributes.elderly_area = 400;
  s.attributes.qualified = 0;
  check_site(p, o, s);
  CHECK(s.results[0].outcome == Outcome::Fail);
  CHECK(s.results[0].source == "BT 第三条 (BT-3-1): the list ends with 等");
  s.attributes.government_nonprofit = 1;
  check_site(p, o, s);
  CHECK(s.results[0].outcome == Outcome::Fail);
  CHECK(s.results[0].severity == Severity::Warning);
  CHECK(s.results[0].source == "BT 第三条 (BT-3-2)");
  CHECK_THAT(s.results[0].note, Catch::Contains("up to 5 years"));
  CHECK(s.summary == "warning");
  // Non-construction land (farmland 0103, GB 50137 E2) is not kept "in its use" as a site.
  for (const char* code : {"0103", "E2"}) {
    s.landuse.code = code;
    s.landuse.land_class = "non_construction";
    s.landuse.eligibility = Eligibility::NonConstruction;
    check_site(p, o, s);
    CHECK(s.results[0].outcome == Outcome::Fail);
    CHECK(s.results[0].severity == Severity::Error);
    CHECK(s.results[0].source == "BT 第三条 (BT-3-1): urban construction land only");
    CHECK(s.summary == "fail");
  }
}

TEST_CASE("land use outside Baotou: reported for information, the text having no land-use article", "[check]") {
  CheckOptions o;
  o.landuse_given = true;
  CheckedSite s = on_land("0103", "non_construction", Eligibility::NonConstruction);
  for (const char* name : {"national", "beijing", "wuhan"}) {
    INFO(name);
    const Profile p = load_profile(name);
    check_site(p, o, s);
    CHECK(s.results[0].outcome == Outcome::Fail);
    CHECK(s.results[0].severity == Severity::Info);
    CHECK_THAT(s.results[0].source, Catch::Contains("for information") && Catch::Contains("BT 第三条"));
    CHECK(s.errors == 0);
  }
}

TEST_CASE("BT 第四条: B41 fuel station land is commercial land, warned on as not a safe place", "[check]") {
  // "社区嵌入式服务设施应选择在安全的空间和场所进行建设"; B41 加油加气站用地 is a B class (GB 50137).
  const Profile bt = load_profile("baotou"), nat = load_profile("national");
  CHECK(LanduseClassifier(nat).classify("B41") == "commercial");
  CHECK(LanduseClassifier(bt).classify("B41") == "fuel_station");
  CHECK(LanduseClassifier(bt).classify("B1") == "commercial");
  CheckOptions o;
  o.landuse_given = true;
  CheckedSite s = on_land("B41", "fuel_station", Eligibility::Restricted);
  check_site(bt, o, s);
  CHECK(s.results[0].outcome == Outcome::Fail);
  CHECK(s.results[0].severity == Severity::Warning);
  CHECK_THAT(s.results[0].source, Catch::Contains("BT 第四条"));
  CHECK_THAT(s.results[0].note, Catch::Contains("not a safe place") && !Catch::Contains("not listed"));
}

TEST_CASE("BT 第十条: the 600 / 800 m2 minimums are for a complex only", "[check]") {
  // "综合体形式建设的，建筑面积一般不应小于600平方米，有条件的街镇不宜小于800平方米" (BT-10-4, BT-10-5)
  auto p = load_profile("baotou");
  SiteAttributes a;
  a.complex = 0;  // dispersed; no qualified-street field
  for (const char* rule : {"complex_min_area", "complex_min_area_qualified"})
    CHECK(outcome(p, rule, site("elderly_care", 300), a) == Outcome::NotApplicable);
  a.complex = 1;
  a.qualified = 1;
  CHECK(outcome(p, "complex_min_area_qualified", site("elderly_care", 700), a) == Outcome::Fail);
  a.qualified = 0;
  CHECK(outcome(p, "complex_min_area_qualified", site("elderly_care", 700), a) == Outcome::NotApplicable);
}

TEST_CASE("BT 第十条, 第十二条: an unknown complex flag leaves the mix and the complex area both missing", "[check]") {
  // "原则上不应少于3项" applies to the 综合体 like the 600 m2 minimum: never one judged and the other not.
  auto p = load_profile("baotou");
  SiteAttributes a;  // complex unknown
  for (const char* rule : {"min_functions", "core_four", "elderly_or_infant", "complex_min_area"}) {
    INFO(rule);
    CHECK(outcome(p, rule, site("elderly_care;health;fitness", 700), a) == Outcome::MissingData);
    CHECK(outcome(p, rule, site("elderly_care", 100), a) == Outcome::MissingData);
  }
}

TEST_CASE("BT 第十二条: an empty functions field is unknown, not zero functions", "[check]") {
  auto p = load_profile("baotou");
  SiteAttributes a;
  a.complex = 1;
  ServiceFacility s = site("", 700);
  s.functions_known = false;
  CHECK(outcome(p, "min_functions", s, a) == Outcome::MissingData);
  CHECK(outcome(p, "core_four", s, a) == Outcome::MissingData);
  s.functions_known = true;  // known to offer none
  CHECK(outcome(p, "min_functions", s, a) == Outcome::Fail);
}

TEST_CASE("BT 第十三条, 第十四条: per bed and per place on the function's own floor area", "[check]") {
  // "养老服务床均建筑面积不低于35平方米" is about the elderly-care part; "提供养老服务功能的嵌入式
  // 服务设施建筑面积不低于350平方米" about the whole facility.
  auto p = load_profile("baotou");
  SiteAttributes a;
  a.complex = 1;
  a.beds = 10;
  a.places = 20;
  // A complex of 1,000 m2 with 10 beds: 100 m2 per bed only if all of it were elderly care.
  CHECK(outcome(p, "elderly_area_per_bed", site("elderly_care;health;fitness", 1000), a) == Outcome::MissingData);
  CHECK(outcome(p, "elderly_area_per_bed", site("elderly_care", 1000), a) == Outcome::Pass);  // its only function
  CHECK(outcome(p, "elderly_min_area", site("elderly_care;health;fitness", 1000), a) == Outcome::Pass);  // whole
  a.elderly_area = 350;  // 35 m2 per bed exactly
  CHECK(outcome(p, "elderly_area_per_bed", site("elderly_care;health;fitness", 1000), a) == Outcome::Pass);
  a.elderly_area = 340;
  CHECK(outcome(p, "elderly_min_area", site("elderly_care;health", 340), a) == Outcome::Fail);
  CHECK(outcome(p, "infant_area_per_place", site("infant_care;child_care", 1000), a) == Outcome::MissingData);
  a.infant_area = 180;
  CHECK(outcome(p, "infant_area_per_place", site("infant_care;child_care", 1000), a) == Outcome::Pass);
}

TEST_CASE("BT 第十九条: the fitness standard applies to fitness sites in new residential areas", "[check]") {
  // "新建居住区公共健身设施……室内人均建筑面积不低于0.1平方米或室外人均用地不低于0.3平方米"
  auto p = load_profile("baotou");
  SiteAttributes a;  // new_residential unknown
  CHECK(outcome(p, "fitness_indoor_per_person", site("elderly_care;health", 500), a) == Outcome::NotApplicable);
  CHECK(outcome(p, "fitness_indoor_per_person", site("fitness", 500), a) == Outcome::MissingData);
  a.new_residential = 0;
  CHECK(outcome(p, "fitness_indoor_per_person", site("fitness", 500), a) == Outcome::NotApplicable);
}

TEST_CASE("a site with missing data does not read as compliant: summary incomplete", "[check]") {
  auto p = load_profile("baotou");
  CheckedSite s;
  s.facility = site("elderly_care;community_canteen;health", 700);
  s.attributes.complex = 1;
  s.attributes.qualified = 0;
  s.attributes.beds = 10;  // no elderly_area: the per-bed rule cannot be judged
  check_site(p, {}, s);
  CHECK(s.errors == 0);
  CHECK(s.missing == 1);
  CHECK(s.summary == "incomplete");
  s.attributes.elderly_area = 400;
  check_site(p, {}, s);
  CHECK(s.summary == "pass");
  s.facility.area_m2 = 500;  // below 600 m2: a failing rule outranks the missing one
  s.attributes.elderly_area = kUnknown;
  check_site(p, {}, s);
  CHECK(s.summary == "fail");
}
