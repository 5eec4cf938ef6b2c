#include "walkshed/rules/check.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "walkshed/rules/operators.hpp"

namespace walkshed {

namespace {

bool has(FunctionSet s, const char* id) { return s & (1u << function_index(id)); }

int count_of(FunctionSet s, std::initializer_list<const char*> ids) {
  int n = 0;
  for (const char* id : ids) n += has(s, id);
  return n;
}

}  // namespace

const char* outcome_name(Outcome o) {
  switch (o) {
    case Outcome::Pass: return "pass";
    case Outcome::Fail: return "fail";
    case Outcome::NotApplicable: return "n/a";
    case Outcome::MissingData: return "missing";
    case Outcome::Overridden: return "overridden";
  }
  return "";
}

const std::map<std::string, std::vector<std::string>>& site_attribute_guesses() {
  static const std::map<std::string, std::vector<std::string>> g = {
      {"beds", {"beds", "床位", "床位数"}},
      {"places", {"places", "托位", "托位数"}},
      {"elderly_area", {"elderly_area_m2", "elderly_area"}},
      {"infant_area", {"infant_area_m2", "infant_area"}},
      {"floor", {"floor", "max_floor", "floors", "楼层"}},
      {"basement", {"basement", "underground", "地下"}},
      {"complex", {"complex", "is_complex", "综合体"}},
      {"qualified", {"qualified", "有条件"}},
      {"new_residential", {"new_residential", "新建小区"}},
      {"residents", {"residents", "population", "居民"}},
      {"indoor_fitness_m2", {"indoor_fitness_m2"}},
      {"outdoor_fitness_m2", {"outdoor_fitness_m2"}},
      {"investment", {"investment", "investment_cny", "投资"}},
      {"eligible_area", {"eligible_area_m2", "eligible_area", "补助功能面积"}},
      {"government_nonprofit", {"government_nonprofit", "政府非营利"}},
      {"operator_id", {"operator_id", "operator", "运营商编号", "运营主体编号", "运营商"}},
      {"operator_name", {"operator_name", "运营商名称", "运营主体"}},
      {"model", {"model", "operating_model", "运营模式"}},
      {"grade", {"grade", "rating", "operator_grade", "等级", "评级", "考核等级"}},
      {"quarterly_report", {"quarterly_report", "last_quarterly_report", "季度报告"}},
      {"yearly_report", {"yearly_report", "annual_report", "last_yearly_report", "年度报告"}},
      {"self_assessment", {"self_assessment", "自评"}},
      {"third_party_evaluation", {"third_party_evaluation", "evaluation", "第三方评估"}},
      {"suspension", {"suspension", "suspension_date", "暂停日期"}},
      {"suspension_notice", {"suspension_notice", "notice_date", "暂停报告日期"}}};
  return g;
}

const std::vector<RuleColumn>& check_columns() {
  static const std::vector<RuleColumn> c = {
      {"landuse", "r_landuse", "用地性质"},
      {"min_functions", "r_minfn", "服务功能数"},
      {"core_four", "r_core4", "核心四项功能数"},
      {"elderly_or_infant", "r_eldinf", "养老或托育功能"},
      {"complex_min_area", "r_cplx", "综合体建筑面积"},
      {"complex_min_area_qualified", "r_cplxq", "综合体建筑面积(有条件的街镇)"},
      {"elderly_area_per_bed", "r_eldbed", "养老床均建筑面积"},
      {"elderly_min_area", "r_eldarea", "养老设施建筑面积"},
      {"infant_area_per_place", "r_infplace", "托育托位均建筑面积"},
      {"infant_min_area", "r_infarea", "托育设施建筑面积"},
      {"infant_max_floor", "r_inffloor", "托育所在楼层"},
      {"infant_no_basement", "r_infbase", "托育不设在地下室"},
      {"child_max_floor", "r_chdfloor", "托管所在楼层"},
      {"child_no_basement", "r_chdbase", "托管不设在地下室"},
      {"fitness_indoor_per_person", "r_fitin", "人均室内健身建筑面积"},
      {"fitness_outdoor_per_person", "r_fitout", "人均室外健身用地面积"},
      {"operating_model", "r_model", "运营模式"},
      {"operator_grade", "r_grade", "运营商等级或考核评级"},
      {"quarterly_report", "r_quarter", "季度运营情况报送"},
      {"yearly_report", "r_year", "年度工作报告"},
      {"self_assessment", "r_selfasm", "年度自评"},
      {"third_party_evaluation", "r_3rdeval", "年度第三方评估"},
      {"suspension_notice", "r_notice", "暂停或终止服务的书面报告"}};
  return c;
}

namespace {

// A rule's result with the profile's threshold, unit, source and severity; null rule: not in the profile.
const Rule* start(const Profile& p, const std::string& id, RuleResult& r) {
  r.rule = id;
  const Rule* rule = p.rule(id);
  if (!rule) {
    r.note = "not in profile " + p.name;
    return nullptr;
  }
  r.threshold = rule->value;
  r.unit = rule->unit;
  r.source = rule->source;
  r.severity = rule->severity;
  return rule;
}

// An error_override rule that fails and is in the accepted overrides is overridden.
void apply_override(const Rule& rule, const CheckOptions& o, RuleResult& r) {
  if (r.outcome != Outcome::Fail || std::find(o.overrides.begin(), o.overrides.end(), r.rule) == o.overrides.end()) return;
  if (rule.severity == Severity::ErrorOverride) {
    r.outcome = Outcome::Overridden;
    r.note = "overridden (accepted override)";
  } else {
    r.note = std::string("override ignored: severity ") + severity_name(rule.severity);
  }
}

}  // namespace

RuleResult check_mix(const Profile& p, const std::string& id, FunctionSet fn, bool known, const CheckOptions& o) {
  RuleResult r;
  const Rule* rule = start(p, id, r);
  if (!rule) return r;
  if (!known) {
    r.outcome = Outcome::MissingData;
    r.note = "functions not given";
    return r;
  }
  r.value = id == "min_functions" ? __builtin_popcount(fn)
            : id == "core_four"   ? count_of(fn, {"elderly_care", "infant_care", "child_care", "community_canteen"})
                                  : count_of(fn, {"elderly_care", "infant_care"});
  r.outcome = r.value >= rule->value ? Outcome::Pass : Outcome::Fail;
  apply_override(*rule, o, r);
  return r;
}

RuleResult check_rule(const Profile& p, const std::string& id, const ServiceFacility& f, const SiteAttributes& a,
                      const CheckOptions& o) {
  const bool mix = id == "min_functions" || id == "core_four" || id == "elderly_or_infant";
  // Where the text counts the mix per operator (WH 第二条) it is no rule of a complex: the operators
  // step judges it on the operator's functions; alone here.
  if (mix && p.operations.mix_per_operator) return check_mix(p, id, f.functions, f.functions_known, o);
  if (is_operation_rule(id)) return check_operation(p, id, f, a, o);
  RuleResult r;
  const Rule* rule = start(p, id, r);
  if (!rule) return r;
  const FunctionSet fn = f.functions;
  const double area = f.area_m2;
  auto at_least = [&](double v) {
    r.value = v;
    r.outcome = std::isnan(v) ? Outcome::MissingData : v >= rule->value ? Outcome::Pass : Outcome::Fail;
  };
  auto at_most = [&](double v) {
    r.value = v;
    r.outcome = std::isnan(v) ? Outcome::MissingData : v <= rule->value ? Outcome::Pass : Outcome::Fail;
  };
  // Per bed or place: the function's own floor area; the whole floor area only when the facility
  // offers nothing else (else the other functions' rooms would count as beds' space).
  auto ratio = [&](double part_area, double count, const char* part_field, const char* what) {
    const bool alone = __builtin_popcount(fn) == 1;
    const double base = !std::isnan(part_area) ? part_area : alone ? area : kUnknown;
    if (std::isnan(base) || std::isnan(count) || count <= 0) {
      r.outcome = Outcome::MissingData;
      r.note = std::isnan(part_area) && !alone
                   ? std::string("needs ") + part_field + " (the function's own floor area: the facility offers more)"
                   : std::string("needs floor area and ") + what + " > 0";
      return;
    }
    if (std::isnan(part_area)) r.note = "whole floor area used (the facility's only function)";
    at_least(base / count);
  };
  // The function mix and the complex minimum are rules for a 综合体 (BT 第十条, 第十二条): judged
  // alike when it is unknown whether the site is one.
  const bool complex_rule = id == "min_functions" || id == "core_four" || id == "elderly_or_infant" ||
                            id == "complex_min_area" || id == "complex_min_area_qualified";
  if (complex_rule && a.complex == 0) {
    r.note = "dispersed facility: a rule for a complex (综合体)";
    return r;
  }
  if (complex_rule && a.complex < 0) {
    r.outcome = Outcome::MissingData;
    r.note = "is it a complex (综合体)? give a complex field (1 complex, 0 dispersed)";
    return r;
  }
  if (mix) {
    return check_mix(p, id, fn, f.functions_known, o);
  } else if (id == "complex_min_area" || id == "complex_min_area_qualified") {
    if (id == "complex_min_area_qualified" && a.qualified != 1) {
      r.note = a.qualified == 0 ? "not a qualified street" : "qualified flag unknown";
      r.outcome = a.qualified == 0 ? Outcome::NotApplicable : Outcome::MissingData;
      return r;
    }
    at_least(area);
  } else if (id == "elderly_area_per_bed" || id == "elderly_min_area") {
    if (!has(fn, "elderly_care")) return r;
    if (id == "elderly_area_per_bed") ratio(a.elderly_area, a.beds, "elderly_area", "beds");
    else at_least(area);
  } else if (id == "infant_area_per_place" || id == "infant_min_area" || id == "infant_max_floor" ||
             id == "infant_no_basement" || id == "child_max_floor" || id == "child_no_basement") {
    const bool infant = id.rfind("infant", 0) == 0;
    if (!has(fn, infant ? "infant_care" : "child_care")) return r;
    if (id == "infant_area_per_place") ratio(a.infant_area, a.places, "infant_area", "places");
    else if (id == "infant_min_area") at_least(area);
    else if (id == "infant_max_floor" || id == "child_max_floor") at_most(a.max_floor);
    else {
      r.value = a.basement < 0 ? kUnknown : a.basement;
      r.outcome = a.basement < 0 ? Outcome::MissingData : a.basement == 0 ? Outcome::Pass : Outcome::Fail;
    }
  } else if (id == "fitness_indoor_per_person" || id == "fitness_outdoor_per_person") {
    // BT 第十九条: the public fitness space of a new residential area, so sites offering fitness there.
    if (!has(fn, "fitness")) return r;
    if (a.new_residential != 1) {
      r.note = a.new_residential == 0 ? "not a new residential area" : "new_residential flag unknown";
      r.outcome = a.new_residential == 0 ? Outcome::NotApplicable : Outcome::MissingData;
      return r;
    }
    const double m2 = id == "fitness_indoor_per_person" ? a.indoor_fitness_m2 : a.outdoor_fitness_m2;
    if (std::isnan(m2) || std::isnan(a.residents) || a.residents <= 0) {
      r.outcome = Outcome::MissingData;
      r.note = "needs residents and fitness area";
      return r;
    }
    at_least(m2 / a.residents);
  }
  apply_override(*rule, o, r);
  return r;
}

// A site with a rule it cannot be judged on is not compliant: `incomplete` unless a rule fails.
void summarize(CheckedSite& s) {
  s.errors = s.warnings = s.infos = s.missing = 0;
  for (auto& r : s.results) {
    if (r.outcome == Outcome::MissingData && r.severity != Severity::Info) ++s.missing;
    if (r.outcome != Outcome::Fail) continue;
    if (r.severity == Severity::Error || r.severity == Severity::ErrorOverride) ++s.errors;
    else if (r.severity == Severity::Warning) ++s.warnings;
    else ++s.infos;
  }
  s.summary = s.errors ? "fail" : s.warnings ? "warning" : s.missing ? "incomplete" : "pass";
}

void check_site(const Profile& p, const CheckOptions& o, CheckedSite& s) {
  s.results.clear();
  {
    RuleResult r;
    r.rule = "landuse";
    r.unit = "class";
    if (!o.landuse_given) {
      r.note = "no land-use layer";
    } else {
      r.note = std::string(eligibility_name(s.landuse.eligibility)) +
               (s.landuse.code.empty() ? "" : " (code " + s.landuse.code + (s.landuse.land_class.empty() ? "" : " = " + s.landuse.land_class) + ")");
      const LanduseClass* cls = p.landuse_class(s.landuse.land_class);
      switch (s.landuse.eligibility) {
        case Eligibility::Allowed:
          r.outcome = Outcome::Pass, r.severity = p.non_construction, r.source = p.unlisted_source;
          break;
        case Eligibility::Unlisted:
          r.outcome = Outcome::Fail, r.severity = p.unlisted, r.source = p.unlisted_source;
          break;
        case Eligibility::NonConstruction:
          r.outcome = Outcome::Fail, r.severity = p.non_construction, r.source = p.non_construction_source;
          break;
        case Eligibility::Restricted:
          r.outcome = Outcome::Fail, r.severity = cls->severity, r.source = cls->source;
          r.note += ": " + cls->note;
          break;
        default:
          r.outcome = Outcome::MissingData, r.severity = p.unlisted, r.source = p.unlisted_source;
      }
      r.value = s.landuse.overlap_share;
      // BT 第三条's five years on the original land use: construction land kept in its use, never
      // non-construction land turned into a site.
      if (r.outcome == Outcome::Fail && s.landuse.eligibility == Eligibility::Unlisted && p.transitional_years > 0 &&
          s.attributes.government_nonprofit == 1) {
        r.severity = p.transitional;
        r.source = p.transitional_source;
        r.note += "; government non-profit facility: allowed for up to " + std::to_string(int(p.transitional_years)) +
                  " years on its original land use";
      }
    }
    s.results.push_back(r);
  }
  for (auto& col : check_columns())
    if (col.id != "landuse") s.results.push_back(check_rule(p, col.id, s.facility, s.attributes, o));
  // Fitness: indoor OR outdoor suffices.
  RuleResult* in = nullptr;
  RuleResult* out = nullptr;
  for (auto& r : s.results) {
    if (r.rule == "fitness_indoor_per_person") in = &r;
    if (r.rule == "fitness_outdoor_per_person") out = &r;
  }
  if (in && out) {
    if (in->outcome == Outcome::Pass && out->outcome != Outcome::Pass && out->outcome != Outcome::NotApplicable)
      out->outcome = Outcome::NotApplicable, out->note = "indoor option passes";
    if (out->outcome == Outcome::Pass && in->outcome != Outcome::Pass && in->outcome != Outcome::NotApplicable)
      in->outcome = Outcome::NotApplicable, in->note = "outdoor option passes";
  }
  summarize(s);

  // Service categories and the subsidy estimate.
  s.categories.clear();
  int eligible = 0, total = 0;
  for (int k = 0; k < kFunctionCount; ++k) {
    if (!(s.facility.functions & (1u << k))) continue;
    ++total;
    const char* id = service_functions()[k].id;
    auto it = p.categories.find(id);
    const std::string cat = it == p.categories.end() ? "uncategorised" : it->second;
    s.categories += (s.categories.empty() ? "" : ";") + std::string(id) + ":" + cat;
    if (std::find(p.subsidy.eligible.begin(), p.subsidy.eligible.end(), cat) != p.subsidy.eligible.end()) ++eligible;
  }
  // BJ 第二十四条 funds the basic-public and inclusive functions of a project: with other functions
  // in the mix, the investment is apportioned by the eligible functions' floor area when known (or
  // by their count, base eligible_share); else the whole-investment figure is an upper bound.
  s.subsidy_cny = kUnknown;
  s.subsidy_basis.clear();
  const double investment = s.attributes.investment;
  if (p.subsidy.enabled && !std::isnan(investment)) {
    const double area = s.facility.area_m2, part = s.attributes.eligible_area;
    double base = investment;
    if (eligible == 0) {
      base = 0, s.subsidy_basis = "no eligible function";
    } else if (eligible == total) {
      s.subsidy_basis = "whole investment: every function eligible";
    } else if (!std::isnan(part) && area > 0) {
      base = investment * std::min(1.0, part / area);
      s.subsidy_basis = "investment x eligible floor area / floor area";
    } else if (p.subsidy.base == "eligible_share") {
      base = investment * eligible / total;
      s.subsidy_basis = "investment x eligible functions / functions";
    } else {
      s.subsidy_basis = "upper bound: whole investment, though " + std::to_string(total - eligible) + " of " +
                        std::to_string(total) + " functions are not eligible (give eligible_area to apportion)";
    }
    s.subsidy_cny = std::min(p.subsidy.rate * base, p.subsidy.cap);
    if (s.subsidy_cny == p.subsidy.cap) s.subsidy_basis += "; capped";
  }
}

}  // namespace walkshed
