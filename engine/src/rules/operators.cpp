#include "walkshed/rules/operators.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "walkshed/core/text.hpp"

namespace walkshed {

namespace {

const char* const kOperationRules[] = {"operating_model",        "operator_grade",   "quarterly_report", "yearly_report",
                                       "self_assessment",        "third_party_evaluation", "suspension_notice"};
const char* const kMixRules[] = {"min_functions", "core_four", "elderly_or_infant"};

// Worst first: the outcome an operator gets from its facilities.
int badness(Outcome o) {
  switch (o) {
    case Outcome::Fail: return 4;
    case Outcome::MissingData: return 3;
    case Outcome::Overridden: return 2;
    case Outcome::Pass: return 1;
    case Outcome::NotApplicable: return 0;
  }
  return 0;
}

std::string joined_list(const std::vector<std::string>& v) {
  std::string s;
  for (auto& x : v) s += (s.empty() ? "" : ", ") + x;
  return s;
}

const OperatingModel* find_model(const Profile& p, const std::string& given) {
  for (auto& m : p.operations.models)
    if (given == m.name || ascii_lower(given) == ascii_lower(m.id)) return &m;
  for (auto& m : p.operations.models)  // "公建民营模式" names 公建民营
    if (given.find(m.name) != std::string::npos) return &m;
  return nullptr;
}

// Judges a duty of one kind that falls due each calendar year or quarter: `since` is the first
// day from which a report counts for the period now due.
void due_since(RuleResult& r, int date, int as_of, int since, const std::string& what, const std::string& period) {
  if (date == kNoDate) {
    r.outcome = Outcome::MissingData;
    r.note = "no " + what + " date given";
    return;
  }
  if (date > as_of) {
    r.outcome = Outcome::MissingData;
    r.note = what + " dated " + date_text(date) + ", after the reference date " + date_text(as_of);
    return;
  }
  r.value = as_of - date;  // days since
  r.outcome = date >= since ? Outcome::Pass : Outcome::Fail;
  r.note = "last " + what + " " + date_text(date) + "; as of " + date_text(as_of) + " one on " + period +
           (r.outcome == Outcome::Pass ? " is in" : " is overdue");
}

}  // namespace

bool is_operation_rule(const std::string& rule) {
  return std::find(std::begin(kOperationRules), std::end(kOperationRules), rule) != std::end(kOperationRules);
}

RuleResult check_operation(const Profile& p, const std::string& id, const ServiceFacility& f, const SiteAttributes& a,
                           const CheckOptions& o) {
  RuleResult r;
  r.rule = id;
  const Rule* rule = p.rule(id);
  if (!rule) {
    r.note = "not in profile " + p.name;
    return r;
  }
  r.threshold = rule->value, r.unit = rule->unit, r.source = rule->source, r.severity = rule->severity;
  if (!o.operations_given) {
    r.note = "no operations fields (operator, model, grade, report dates) in the input";
    return r;
  }
  const int as_of = o.as_of == kNoDate ? today() : o.as_of;
  const CivilDate now = civil_from_days(as_of);
  if (id == "operating_model") {
    if (a.model.empty()) {
      r.outcome = Outcome::MissingData, r.note = "no operating model given";
      return r;
    }
    const OperatingModel* m = find_model(p, a.model);
    if (!m) {
      std::vector<std::string> names;
      for (auto& x : p.operations.models) names.push_back(x.name);
      r.outcome = Outcome::Fail;
      r.note = "'" + a.model + "' is not a model the text names (" + joined_list(names) + ")";
      return r;
    }
    r.note = m->name + " (" + m->source + ")";
    if (m->fits.empty()) {
      r.outcome = Outcome::Pass;
      return r;
    }
    if (!f.functions_known || f.functions == 0) {
      r.outcome = Outcome::MissingData, r.note += ": the facility's functions are not given";
      return r;
    }
    std::vector<std::string> offered;
    bool fits = false;
    for (int k = 0; k < kFunctionCount; ++k) {
      if (!(f.functions & (1u << k))) continue;
      auto it = p.categories.find(service_functions()[k].id);
      const std::string cat = it == p.categories.end() ? "uncategorised" : it->second;
      offered.push_back(std::string(service_functions()[k].id) + ":" + cat);
      fits = fits || std::find(m->fits.begin(), m->fits.end(), cat) != m->fits.end();
    }
    r.outcome = fits ? Outcome::Pass : Outcome::Fail;
    r.note += " is for " + joined_list(m->fits) + " services; offered: " + joined_list(offered);
  } else if (id == "operator_grade") {
    const auto& scale = p.operations.grades;
    if (a.grade.empty()) {
      r.outcome = Outcome::MissingData, r.note = "no grade or rating given";
      return r;
    }
    auto it = std::find(scale.begin(), scale.end(), a.grade);
    if (it == scale.end()) {
      r.outcome = Outcome::MissingData;
      r.note = "'" + a.grade + "' is not on the scale (" + joined_list(scale) + ")";
      return r;
    }
    r.value = static_cast<double>(it - scale.begin() + 1);
    const bool removed = std::find(p.operations.removed.begin(), p.operations.removed.end(), a.grade) !=
                         p.operations.removed.end();
    r.outcome = removed ? Outcome::Fail : Outcome::Pass;
    r.note = removed ? "rated " + a.grade + ": the operator is to be removed from the operator list"
                     : "grade " + a.grade + " of " + joined_list(scale);
  } else if (id == "quarterly_report") {
    const int since = quarter_start(quarter_start(as_of) - 1);  // the last complete quarter
    due_since(r, a.quarterly_report, as_of, since, "quarterly report",
              "the quarter from " + date_text(since) + " to " + date_text(quarter_start(as_of) - 1));
  } else if (id == "yearly_report" || id == "self_assessment" || id == "third_party_evaluation") {
    const int since = days_from_civil(now.year - 1, 1, 1);  // the last year whose end has passed
    const int date = id == "yearly_report" ? a.yearly_report : id == "self_assessment" ? a.self_assessment
                                                                                      : a.third_party_evaluation;
    const std::string what = id == "yearly_report" ? "yearly report" : id == "self_assessment" ? "self-assessment"
                                                                                              : "third-party evaluation";
    due_since(r, date, as_of, since, what, std::to_string(now.year - 1) + " (due by " + std::to_string(now.year - 1) + "-12-31)");
  } else if (id == "suspension_notice") {
    if (a.suspension == kNoDate) {
      r.note = "no suspension or termination recorded";
      return r;
    }
    const int due = a.suspension - static_cast<int>(rule->value);
    if (a.suspension_notice == kNoDate) {
      r.outcome = as_of >= due ? Outcome::Fail : Outcome::NotApplicable;
      r.note = "suspension from " + date_text(a.suspension) + ": no written notice recorded; due by " + date_text(due);
      return r;
    }
    r.value = a.suspension - a.suspension_notice;
    r.outcome = r.value >= rule->value ? Outcome::Pass : Outcome::Fail;
    r.note = "notice " + date_text(a.suspension_notice) + " for a suspension from " + date_text(a.suspension);
  }
  return r;
}

std::vector<OperatorResult> check_operators(const Profile& p, const CheckOptions& o, std::vector<CheckedSite>& sites) {
  std::vector<OperatorResult> ops;
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < sites.size(); ++i) {
    const auto& a = sites[i].attributes;
    if (a.operator_id.empty()) continue;
    auto [it, added] = index.emplace(a.operator_id, ops.size());
    if (added) ops.emplace_back().id = a.operator_id;
    OperatorResult& op = ops[it->second];
    op.sites.push_back(i);
    if (op.name.empty()) op.name = a.operator_name;
    op.functions |= sites[i].facility.functions;
    op.functions_known = op.functions_known && sites[i].facility.functions_known;
    if (!std::isnan(sites[i].facility.area_m2)) op.area_m2 += sites[i].facility.area_m2;
    for (auto [value, list] : {std::pair{&a.model, &op.models}, std::pair{&a.grade, &op.grades}})
      if (!value->empty() && (";" + *list + ";").find(";" + *value + ";") == std::string::npos)
        *list += (list->empty() ? "" : ";") + *value;
  }
  for (auto& op : ops) {
    for (auto& fn : op.reached) fn.clear();
    if (p.operations.mix_per_operator)
      for (const char* id : kMixRules) {
        RuleResult r = check_mix(p, id, op.functions, op.functions_known, o);
        if (r.outcome == Outcome::NotApplicable) continue;  // not in the profile
        r.note = std::to_string(__builtin_popcount(op.functions)) + " functions across " +
                 std::to_string(op.sites.size()) + " facilities of operator " + op.id + " (" + p.operations.mix_source + ")";
        op.results.push_back(r);
        for (std::size_t i : op.sites)
          for (auto& sr : sites[i].results)
            if (sr.rule == id) sr = r;
      }
    for (const char* id : kOperationRules) {
      const RuleResult* worst = nullptr;
      std::string at;
      for (std::size_t i : op.sites)
        for (auto& sr : sites[i].results)
          if (sr.rule == id && (!worst || badness(sr.outcome) > badness(worst->outcome)))
            worst = &sr, at = sites[i].facility.point.id;
      if (!worst || !p.rule(id)) continue;
      RuleResult r = *worst;
      if (op.sites.size() > 1) r.note = "facility " + at + ": " + r.note;
      op.results.push_back(r);
    }
    CheckedSite tally;
    tally.results = op.results;
    summarize(tally);
    op.errors = tally.errors, op.warnings = tally.warnings, op.infos = tally.infos, op.missing = tally.missing;
    op.summary = tally.summary;
  }
  if (p.operations.mix_per_operator)
    for (auto& s : sites) {
      if (s.attributes.operator_id.empty())
        for (auto& r : s.results)
          if (std::find_if(std::begin(kMixRules), std::end(kMixRules), [&](const char* m) { return r.rule == m; }) !=
                  std::end(kMixRules) &&
              r.outcome != Outcome::NotApplicable)
            r.note += (r.note.empty() ? "" : "; ") + std::string("no operator given: counted for this facility alone");
      summarize(s);
    }
  return ops;
}

}  // namespace walkshed
