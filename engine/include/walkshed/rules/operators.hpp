// Operators and operations (docs/rules.md §11): the operating model, the grade and the reporting
// duties of each facility as of a date, and the operators themselves — the facilities each runs,
// the functions offered across them and, where a text counts the function mix per operator (WH
// 第二条), the mix judged on the operator.
#pragma once
#include <array>
#include <string>
#include <vector>

#include "walkshed/rules/check.hpp"

namespace walkshed {

bool is_operation_rule(const std::string& rule);
// operating_model, operator_grade, quarterly_report, yearly_report, self_assessment,
// third_party_evaluation, suspension_notice on one facility (o.as_of: the reference date).
RuleResult check_operation(const Profile& p, const std::string& rule, const ServiceFacility& f, const SiteAttributes& a,
                           const CheckOptions& o);

struct OperatorResult {
  std::string id, name;
  std::vector<std::size_t> sites;  // indices into the checked sites
  FunctionSet functions = 0;       // offered across its facilities
  bool functions_known = true;
  std::string models, grades;      // the distinct values its facilities give, ';'-separated
  double area_m2 = 0;              // floor area, where known
  std::vector<RuleResult> results;  // per rule: the mix on its functions, the duties at their worst
  int errors = 0, warnings = 0, infos = 0, missing = 0;
  std::string summary;
  // households within each band of one of its facilities offering the function (NaN: not computed)
  std::array<std::vector<double>, kFunctionCount> reached;
};

// Groups the sites by operator id (sites without one are left out) and judges each operator. With
// the mix counted per operator, each site's mix rules are replaced by its operator's (noted) and its
// summary recomputed; a site without an operator keeps its own count (noted).
std::vector<OperatorResult> check_operators(const Profile& p, const CheckOptions& o, std::vector<CheckedSite>& sites);

}  // namespace walkshed
