// Checking facilities and candidate sites against a city profile.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "walkshed/core/date.hpp"
#include "walkshed/coverage/coverage.hpp"
#include "walkshed/rules/landuse.hpp"
#include "walkshed/rules/profile.hpp"

namespace walkshed {

// Attributes read per site; NaN / -1 = unknown.
struct SiteAttributes {
  double beds = kUnknown, places = kUnknown;       // elderly-care beds, infant-care places (托位)
  double elderly_area = kUnknown, infant_area = kUnknown;  // m² of those parts; unknown: the whole floor area
  double max_floor = kUnknown;                     // highest above-ground floor used
  int basement = -1, complex = -1, qualified = -1, new_residential = -1;  // 1 / 0 / -1 unknown
  double residents = kUnknown, indoor_fitness_m2 = kUnknown, outdoor_fitness_m2 = kUnknown;
  double investment = kUnknown;                    // CNY
  double eligible_area = kUnknown;                 // m² of the functions a subsidy covers (Beijing)
  int government_nonprofit = -1;                   // built by government as a non-profit public service
  // Who runs it and how it is held to account (docs/rules.md §11); "" / kNoDate unknown.
  std::string operator_id, operator_name, model, grade;
  int quarterly_report = kNoDate, yearly_report = kNoDate;     // the last report of each kind
  int self_assessment = kNoDate, third_party_evaluation = kNoDate;
  int suspension = kNoDate, suspension_notice = kNoDate;       // a suspension or termination, its written notice
};

// Attribute keys and the column names guessed for them; --field KEY=COLUMN overrides.
const std::map<std::string, std::vector<std::string>>& site_attribute_guesses();

enum class Outcome { Pass, Fail, NotApplicable, MissingData, Overridden };
const char* outcome_name(Outcome o);

struct RuleResult {
  std::string rule;
  Outcome outcome = Outcome::NotApplicable;
  double value = kUnknown, threshold = kUnknown;
  std::string unit, source, note;
  Severity severity = Severity::Info;
};

struct CheckedSite {
  ServiceFacility facility;
  SiteAttributes attributes;
  SiteLanduse landuse;  // parcel -1 and NoParcel when no land-use layer
  std::vector<RuleResult> results;
  std::string categories;           // "elderly_care:inclusive;..."
  double subsidy_cny = kUnknown;
  std::string subsidy_basis;        // how subsidy_cny was found (an upper bound, say so)
  int errors = 0, warnings = 0, infos = 0, missing = 0;
  std::string summary;              // pass / warning / fail / incomplete (a rule that applies lacks data)
};

struct CheckOptions {
  std::vector<std::string> overrides;  // error_override rules accepted as overridden
  bool landuse_given = false;
  int as_of = kNoDate;                 // the date reporting duties are judged on; kNoDate: today
  // The input has operations fields (operator, model, grade or report dates); without any, the
  // operations rules do not apply (a siting study rarely has them).
  bool operations_given = false;
};

// The rules, in output order, with a short (Shapefile) column name and a Chinese label each.
struct RuleColumn {
  std::string id, short_name, label;
};
const std::vector<RuleColumn>& check_columns();

RuleResult check_rule(const Profile& p, const std::string& rule, const ServiceFacility& f, const SiteAttributes& a,
                      const CheckOptions& o);
// The function mix rules (min_functions, core_four, elderly_or_infant) on a set of functions: a
// facility's, or an operator's across its facilities.
RuleResult check_mix(const Profile& p, const std::string& rule, FunctionSet functions, bool known,
                     const CheckOptions& o);
void check_site(const Profile& p, const CheckOptions& o, CheckedSite& site);
// errors, warnings, infos, missing and summary from the results.
void summarize(CheckedSite& site);

}  // namespace walkshed
