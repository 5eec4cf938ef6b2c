// Operators and operations: dates, the texts' standing, the per-operator function mix (Wuhan), the
// reporting duties on their date boundaries, grades, models and the households an operator reaches.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "support.hpp"
#include "walkshed/core/date.hpp"
#include "walkshed/core/error.hpp"
#include "walkshed/rules/operators.hpp"

using namespace walkshed;

namespace {

int day(const char* text) {
  const int d = parse_date(text);
  REQUIRE(d != kNoDate);
  return d;
}

CheckedSite run_by(const std::string& op, const std::string& functions) {
  CheckedSite s;
  std::vector<std::string> unknown;
  s.facility.point.id = op + ":" + functions;
  s.facility.functions = parse_functions(functions, unknown);
  s.facility.area_m2 = 200;
  s.attributes.operator_id = op;
  return s;
}

CheckOptions on(const char* date) {
  CheckOptions o;
  o.as_of = day(date);
  o.operations_given = true;
  return o;
}

RuleResult judge(const Profile& p, const std::string& rule, const SiteAttributes& a, const CheckOptions& o,
                 const std::string& functions = "elderly_care") {
  std::vector<std::string> unknown;
  ServiceFacility f;
  f.functions = parse_functions(functions, unknown);
  return check_operation(p, rule, f, a, o);
}

const RuleResult& result(const std::vector<RuleResult>& results, const std::string& rule) {
  for (auto& r : results)
    if (r.rule == rule) return r;
  FAIL("no result for " << rule);
  return results.front();
}

}  // namespace

TEST_CASE("dates: parsing, calendar arithmetic and quarters", "[operators]") {
  CHECK(date_text(day("2024-02-29")) == "2024-02-29");
  CHECK(parse_date("2023-02-29") == kNoDate);
  CHECK(parse_date("2024-13-01") == kNoDate);
  CHECK(parse_date("2024-8-23") == kNoDate);
  CHECK(parse_date("next week") == kNoDate);
  CHECK(parse_date("") == kNoDate);
  CHECK(day("2024/08/23") == day("2024-08-23"));  // as GDAL prints a date field
  CHECK(day("20240823") == day("2024-08-23"));
  CHECK(day("2024-08-23 10:00:00") == day("2024-08-23"));
  CHECK(day("1970-01-01") == 0);
  CHECK(day("2000-03-01") - day("2000-02-28") == 2);  // 2000 is a leap year
  CHECK(day("1900-03-01") - day("1900-02-28") == 1);  // 1900 is not
  CHECK(date_text(add_years(day("2024-02-29"), 1)) == "2025-02-28");
  CHECK(date_text(add_years(day("2024-08-23"), 2)) == "2026-08-23");
  CHECK(date_text(quarter_start(day("2026-12-01"))) == "2026-10-01");
  CHECK(date_text(quarter_start(day("2026-03-31"))) == "2026-01-01");
  CHECK(date_text(quarter_start(day("2026-04-01"))) == "2026-04-01");
  for (int d = day("1999-12-01"); d < day("2001-02-01"); ++d) {  // round trip, day by day
    const CivilDate c = civil_from_days(d);
    REQUIRE(days_from_civil(c.year, c.month, c.day) == d);
  }
}

TEST_CASE("text standing: Wuhan in force for two years from 2024-08-23 (WH 第十九条), drafts say so",
          "[operators]") {
  const Profile wh = load_profile("wuhan");
  CHECK(wh.text.status == "trial");
  CHECK(wh.text.source.find("WH 第十九条") != std::string::npos);
  CHECK(text_standing(wh, day("2026-08-22")).empty());  // its last day
  CHECK(text_standing(wh, day("2024-08-23")).empty());  // its first
  const std::string lapsed = text_standing(wh, day("2026-08-23"));
  CHECK(lapsed.find("lapsed on 2026-08-22") != std::string::npos);
  CHECK(text_standing(wh, day("2024-08-22")).find("not yet in force") != std::string::npos);
  CHECK(text_standing(load_profile("baotou"), day("2026-01-01")).find("draft for comment") != std::string::npos);
  const std::string bj = text_standing(load_profile("beijing"), day("2026-01-01"));
  CHECK(bj.find("draft for comment") != std::string::npos);
  CHECK(bj.find("valid 3 years") != std::string::npos);  // BJ 第三十七条, once issued
  CHECK(text_standing(load_profile("national"), day("2026-12-01")).empty());
}

TEST_CASE("Wuhan: an operator's facilities pass the function mix jointly where each alone fails (WH 第二条)",
          "[operators]") {
  const Profile wh = load_profile("wuhan");
  REQUIRE(wh.operations.mix_per_operator);
  const CheckOptions o = on("2026-06-30");
  // 运营商提供服务场景不应少于3项，其中养老服务、婴幼儿托育、儿童托管、社区助餐服务不应少于2项，原则上应配置养老服务或婴幼儿托育服务
  std::vector<CheckedSite> sites = {run_by("OP1", "elderly_care"), run_by("OP1", "infant_care"), run_by("OP1", "health"),
                                    run_by("OP2", "child_care"), run_by("OP2", "fitness"), run_by("", "health")};
  for (auto& s : sites) {
    check_site(wh, o, s);
    CHECK(result(s.results, "min_functions").outcome == Outcome::Fail);  // one function each
  }
  const auto ops = check_operators(wh, o, sites);
  REQUIRE(ops.size() == 2);
  CHECK(ops[0].id == "OP1");
  CHECK(ops[0].sites.size() == 3);
  CHECK(__builtin_popcount(ops[0].functions) == 3);
  for (const char* rule : {"min_functions", "core_four", "elderly_or_infant"}) {
    const RuleResult& r = result(ops[0].results, rule);
    CHECK(r.outcome == Outcome::Pass);
    CHECK(r.source.find("WH 第二条") != std::string::npos);
    CHECK(r.note.find("across 3 facilities of operator OP1") != std::string::npos);
  }
  for (int i = 0; i < 3; ++i) {  // each facility now carries its operator's result
    CHECK(result(sites[i].results, "min_functions").outcome == Outcome::Pass);
    CHECK(result(sites[i].results, "core_four").outcome == Outcome::Pass);
  }
  CHECK(result(ops[1].results, "min_functions").outcome == Outcome::Fail);  // OP2: 2 functions
  CHECK(result(ops[1].results, "core_four").value == 1);
  CHECK(result(ops[1].results, "elderly_or_infant").outcome == Outcome::Fail);
  CHECK(ops[1].summary == "fail");
  CHECK(result(sites[5].results, "min_functions").outcome == Outcome::Fail);  // no operator: alone
  CHECK(result(sites[5].results, "min_functions").note.find("counted for this facility alone") != std::string::npos);
  // Per facility (Beijing counts a facility's own mix): the same facilities fail alone.
  const Profile bj = load_profile("beijing");
  REQUIRE_FALSE(bj.operations.mix_per_operator);
  std::vector<CheckedSite> alone = {run_by("OP1", "elderly_care"), run_by("OP1", "infant_care"), run_by("OP1", "health")};
  for (auto& s : alone) s.attributes.complex = 1, check_site(bj, o, s);
  check_operators(bj, o, alone);
  for (auto& s : alone) CHECK(result(s.results, "min_functions").outcome == Outcome::Fail);
}

TEST_CASE("Baotou: quarterly and yearly reports overdue on their date boundaries (BT 第三十二条, 第三十六条)",
          "[operators]") {
  const Profile bt = load_profile("baotou");
  SiteAttributes a;
  // 每季度向街道办事处/苏木乡镇报送运营情况: as of 2026-10-01 the third quarter's report is due.
  a.quarterly_report = day("2026-07-01");
  RuleResult r = judge(bt, "quarterly_report", a, on("2026-10-01"));
  CHECK(r.outcome == Outcome::Pass);
  CHECK(r.source.find("BT 第三十二条") != std::string::npos);
  a.quarterly_report = day("2026-06-30");
  r = judge(bt, "quarterly_report", a, on("2026-10-01"));
  CHECK(r.outcome == Outcome::Fail);
  CHECK(r.note.find("the quarter from 2026-07-01 to 2026-09-30") != std::string::npos);
  CHECK(r.value == 93);  // days since the last report
  CHECK(judge(bt, "quarterly_report", a, on("2026-09-30")).outcome == Outcome::Pass);  // the second quarter's is in
  a.quarterly_report = day("2026-10-02");  // after the reference date: not counted
  CHECK(judge(bt, "quarterly_report", a, on("2026-10-01")).outcome == Outcome::MissingData);
  a.quarterly_report = kNoDate;
  CHECK(judge(bt, "quarterly_report", a, on("2026-10-01")).outcome == Outcome::MissingData);
  // 每年12月底前向项目业主单位提交本年度工作报告: the 2025 report is due by 2025-12-31.
  a.yearly_report = day("2025-12-20");
  CHECK(judge(bt, "yearly_report", a, on("2026-12-31")).outcome == Outcome::Pass);
  CHECK(judge(bt, "yearly_report", a, on("2027-01-01")).outcome == Outcome::Fail);  // now 2026's is due
  a.yearly_report = day("2024-12-31");
  CHECK(judge(bt, "yearly_report", a, on("2026-01-01")).outcome == Outcome::Fail);
  // 每年至少进行一次自评和第三方评估
  a.self_assessment = day("2025-03-01"), a.third_party_evaluation = day("2024-11-30");
  CHECK(judge(bt, "self_assessment", a, on("2026-06-30")).outcome == Outcome::Pass);
  r = judge(bt, "third_party_evaluation", a, on("2026-06-30"));
  CHECK(r.outcome == Outcome::Fail);
  CHECK(r.source.find("BT 第三十六条") != std::string::npos);
  // Wuhan's text has no such duty: not in its profile.
  CHECK(judge(load_profile("wuhan"), "quarterly_report", a, on("2026-06-30")).outcome == Outcome::NotApplicable);
  // No operations fields in the input at all: the duties do not apply (a siting study).
  CheckOptions none = on("2026-06-30");
  none.operations_given = false;
  CHECK(judge(bt, "quarterly_report", a, none).outcome == Outcome::NotApplicable);
}

TEST_CASE("Baotou: a 不合格 rating removes the operator from the list (BT 第四十四条)", "[operators]") {
  const Profile bt = load_profile("baotou");
  SiteAttributes a;
  a.grade = "不合格";
  RuleResult r = judge(bt, "operator_grade", a, on("2026-06-30"));
  CHECK(r.outcome == Outcome::Fail);
  CHECK(r.severity == Severity::Error);
  CHECK(r.source.find("BT 第四十四条") != std::string::npos);
  CHECK(r.note.find("removed from the operator list") != std::string::npos);
  a.grade = "合格";
  r = judge(bt, "operator_grade", a, on("2026-06-30"));
  CHECK(r.outcome == Outcome::Pass);
  CHECK(r.value == 2);
  a.grade = "3A";  // Wuhan's scale, not Baotou's
  CHECK(judge(bt, "operator_grade", a, on("2026-06-30")).outcome == Outcome::MissingData);
  CHECK(judge(load_profile("wuhan"), "operator_grade", a, on("2026-06-30")).outcome == Outcome::Pass);
  // An operator with one 不合格 facility among good ones is flagged.
  std::vector<CheckedSite> sites = {run_by("OP", "elderly_care"), run_by("OP", "health")};
  sites[0].attributes.grade = "良好", sites[1].attributes.grade = "不合格";
  for (auto& s : sites) check_site(bt, on("2026-06-30"), s);
  const auto ops = check_operators(bt, on("2026-06-30"), sites);
  REQUIRE(ops.size() == 1);
  CHECK(result(ops[0].results, "operator_grade").outcome == Outcome::Fail);
  CHECK(ops[0].grades == "良好;不合格");
  CHECK(ops[0].summary == "fail");
}

TEST_CASE("Wuhan: an operating model against the services it is for (WH 第六条)", "[operators]") {
  const Profile wh = load_profile("wuhan");
  SiteAttributes a;
  a.model = "公建民营";  // 主要适用于普惠类服务场景
  RuleResult r = judge(wh, "operating_model", a, on("2026-06-30"), "fitness");  // commercial in Wuhan
  CHECK(r.outcome == Outcome::Fail);
  CHECK(r.severity == Severity::Warning);
  CHECK(r.note.find("WH 第六条（二）") != std::string::npos);
  CHECK(judge(wh, "operating_model", a, on("2026-06-30"), "fitness;elderly_care").outcome == Outcome::Pass);
  a.model = "公民合作模式";  // the text's name with 模式
  CHECK(judge(wh, "operating_model", a, on("2026-06-30"), "fitness").outcome == Outcome::Pass);
  a.model = "public_investment";  // by id
  CHECK(judge(wh, "operating_model", a, on("2026-06-30"), "health").outcome == Outcome::Pass);
  a.model = "BOT";
  r = judge(wh, "operating_model", a, on("2026-06-30"), "health");
  CHECK(r.outcome == Outcome::Fail);
  CHECK(r.note.find("not a model the text names") != std::string::npos);
  a.model.clear();
  CHECK(judge(wh, "operating_model", a, on("2026-06-30")).outcome == Outcome::MissingData);
}

TEST_CASE("Wuhan: 60 days' written notice before suspending service (WH 第十四条)", "[operators]") {
  const Profile wh = load_profile("wuhan");
  SiteAttributes a;
  CHECK(judge(wh, "suspension_notice", a, on("2026-06-30")).outcome == Outcome::NotApplicable);  // none planned
  a.suspension = day("2026-12-31");
  a.suspension_notice = day("2026-11-01");  // 60 days before
  RuleResult r = judge(wh, "suspension_notice", a, on("2026-06-30"));
  CHECK(r.outcome == Outcome::Pass);
  CHECK(r.value == 60);
  a.suspension_notice = day("2026-11-02");  // 59
  CHECK(judge(wh, "suspension_notice", a, on("2026-06-30")).outcome == Outcome::Fail);
  a.suspension_notice = kNoDate;  // no notice yet: late from 2026-11-01 on
  CHECK(judge(wh, "suspension_notice", a, on("2026-10-31")).outcome == Outcome::NotApplicable);
  r = judge(wh, "suspension_notice", a, on("2026-11-01"));
  CHECK(r.outcome == Outcome::Fail);
  CHECK(r.note.find("due by 2026-11-01") != std::string::npos);
}

TEST_CASE("profiles: text and operations sections are checked", "[operators]") {
  const auto dir = std::filesystem::temp_directory_path() / ("walkshed-operators-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  auto load = [&](const std::string& body) {
    const std::string path = (dir / "p.yaml").string();
    std::ofstream(path) << "profile: t\nextends: national\n" << body;
    return load_profile(path);
  };
  CHECK_THROWS_WITH(load("text: {status: final, source: x}\n"), Catch::Contains("line 3") && Catch::Contains("draft, trial or in_force"));
  CHECK_THROWS_WITH(load("text: {status: trial, effective: 2024-02-30, source: x}\n"), Catch::Contains("YYYY-MM-DD"));
  CHECK_THROWS_WITH(load("text: {status: trial}\n"), Catch::Contains("has no source"));
  CHECK_THROWS_WITH(load("operations: {grades: {scale: [A, B], removed: [C], source: x}}\n"),
                    Catch::Contains("not on the scale"));
  CHECK_THROWS_WITH(load("operations: {function_mix: {per: street, source: x}}\n"), Catch::Contains("operator or facility"));
  const Profile p = load("text: {status: in_force, effective: 2025-01-01, valid_years: 1, source: x}\n");
  CHECK(text_standing(p, day("2025-12-31")).empty());
  CHECK(text_standing(p, day("2026-01-01")).find("lapsed on 2025-12-31") != std::string::npos);
  // A profile that extends Wuhan keeps Wuhan's text and operations.
  std::ofstream((dir / "w.yaml").string()) << "profile: w2\nextends: wuhan\n";
  const Profile w2 = load_profile((dir / "w.yaml").string());
  CHECK(w2.text.valid_years == 2);
  CHECK(w2.operations.mix_per_operator);
  std::filesystem::remove_all(dir);
}

TEST_CASE("operators: households reached are the union over an operator's facilities, equal to coverage by them alone",
          "[operators]") {
  // A 2 km street grid (100 m blocks), 60 buildings and 12 facilities at random, four communities.
  const Graph g = test::graph(test::grid_lines(21, 100));
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> u(0, 2000);
  std::vector<Community> comms;
  for (int i = 0; i < 4; ++i) {
    Community c;
    c.id = "C" + std::to_string(i);
    c.households = 100 + 50 * i;
    c.geometry = test::rect((i % 2) * 1000, (i / 2) * 1000, (i % 2) * 1000 + 1000, (i / 2) * 1000 + 1000);
    comms.push_back(c);
  }
  std::vector<Building> buildings;
  for (int i = 0; i < 60; ++i) {
    const double x = u(rng), y = u(rng);
    buildings.push_back({test::rect(x - 5, y - 5, x + 5, y + 5), 1.0 + i % 3});
  }
  std::vector<ServiceFacility> facs;
  const char* offers[] = {"elderly_care", "elderly_care;health", "health", "infant_care;elderly_care"};
  for (int i = 0; i < 12; ++i) {
    ServiceFacility f;
    std::vector<std::string> unknown;
    f.point = {"F" + std::to_string(i), "", {u(rng), u(rng)}, nullptr};
    f.functions = parse_functions(offers[i % 4], unknown);
    facs.push_back(f);
  }
  facs[0].point.point = {500, 520}, facs[1].point.point = {620, 500};  // two elderly-care sites 140 m apart
  CoverageOptions co;
  co.thresholds_m = {300, 500, 1000};
  co.threads = 1;
  const CoverageResult all = compute_coverage(g, comms, facs, buildings, co);
  const std::vector<std::vector<std::uint32_t>> groups = {{0, 1, 2}, {3, 7, 11}, {4}, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}};
  const auto reach = group_reach(g, all, facs, groups, co.thresholds_m, 2);
  REQUIRE(reach.size() == groups.size());
  double some = 0;
  for (std::size_t k = 0; k < groups.size(); ++k) {
    std::vector<ServiceFacility> own;
    for (auto f : groups[k]) own.push_back(facs[f]);
    const CoverageResult alone = compute_coverage(g, comms, own, buildings, co);  // the group's facilities only
    for (int fn = 0; fn < kFunctionCount; ++fn)
      for (std::size_t b = 0; b < co.thresholds_m.size(); ++b) {
        INFO("group " << k << " function " << service_functions()[fn].id << " band " << co.thresholds_m[b]);
        CHECK(reach[k][fn][b] == Approx(alone.total.total.covered[fn][b]).margin(1e-9));
        some += reach[k][fn][b];
      }
  }
  CHECK(some > 0);
  // Overlapping facilities count each household once: the union is below the sum for group 0.
  const int elderly = function_index("elderly_care");
  const auto single = group_reach(g, all, facs, {{0}, {1}}, co.thresholds_m, 1);
  CHECK(reach[0][elderly][2] < single[0][elderly][2] + single[1][elderly][2]);
}
