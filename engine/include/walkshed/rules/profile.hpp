// City rule profiles: rules as data (YAML files in data/profiles), each with its threshold, unit,
// severity and source. A profile may extend another and change any value.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "walkshed/access/access.hpp"
#include "walkshed/core/date.hpp"

namespace walkshed {

// docs/rules.md §2: 应 -> error, 原则上 -> error_override, 宜 -> warning, 鼓励 -> info.
enum class Severity { Error, ErrorOverride, Warning, Info };
const char* severity_name(Severity s);

struct Rule {
  std::string id;
  double value = 0;
  std::string unit;
  Severity severity = Severity::Error;
  std::string source;
  bool enabled = true;
};

struct LanduseClass {
  std::string name;
  std::vector<std::string> codes;
  bool construction = true;
  // A class the profile restricts for a reason of its own (a fuel station: not a safe place), with
  // the severity, the reason and its source; restricted = false for the others.
  bool restricted = false;
  Severity severity = Severity::Warning;
  std::string note, source;
};

struct Subsidy {
  bool enabled = false;
  double rate = 0, cap = 0;
  std::string rate_source, cap_source;
  std::vector<std::string> eligible;  // categories
  std::string base = "project";       // project | eligible_share
};

// The city text's own standing (docs/rules.md §11): draft for comment, trial or in force, and for
// how long.
struct TextStatus {
  std::string status;            // draft | trial | in_force; "" not recorded
  int issued = kNoDate, effective = kNoDate;
  double valid_years = 0;        // 0: no period stated
  std::string source;
};

// An operating model the text names, with the service categories it is meant for (empty: any).
struct OperatingModel {
  std::string id, name;          // e.g. public_built_private_run, 公建民营
  std::vector<std::string> fits;
  std::string source;
};

struct Operations {
  bool mix_per_operator = false;  // the function mix counts per operator (WH 第二条), not per facility
  std::string mix_source;
  std::vector<OperatingModel> models;
  std::vector<std::string> grades;   // the text's grades or ratings, lowest first
  std::vector<std::string> removed;  // grades that remove the operator from the list (BT 第四十四条)
  std::string grades_source;
};

struct Profile {
  std::string name, title;
  std::vector<std::string> files;  // the chain of files read, base first
  double household_size = 2.62;
  std::string household_size_source;
  std::map<std::string, Rule> rules;
  std::vector<std::string> allowed;  // land-use classes
  Severity unlisted = Severity::Warning, non_construction = Severity::Error;
  std::string unlisted_source, non_construction_source;
  // A government-built non-profit facility may keep the parcel's land use for some years (BT 第三条).
  double transitional_years = 0;  // 0: no such exemption
  Severity transitional = Severity::Warning;
  std::string transitional_source;
  std::map<std::string, std::string> aliases;  // local code -> class
  std::vector<LanduseClass> classes;
  std::map<std::string, std::string> categories;  // function id -> category
  std::string categories_source;
  Subsidy subsidy;
  std::map<std::string, double> site_weights;  // walkshed site score weights (marginal, reached, ...)
  std::string site_weights_source;
  PopulationProfile population = default_population();  // age groups, function -> group, census shares
  SupplyProfile supply = default_supply();                // what each function's supply is counted in
  TextStatus text;
  Operations operations;

  const Rule* rule(const std::string& id) const;  // null when absent or disabled
  const LanduseClass* landuse_class(const std::string& name) const;  // null when the profile has none
};

// Rule ids the engine knows, with their required unit.
const std::map<std::string, std::string>& known_rules();

// Folders searched for NAME.yaml: $WALKSHED_PROFILES (colon-separated), <program>/../share/walkshed/profiles
// when installed, then the source tree's data/profiles.
std::vector<std::string> profile_dirs();
// (name, path) of every profile found.
std::vector<std::pair<std::string, std::string>> list_profiles();
// A name (looked up in profile_dirs) or a path to a .yaml file. Throws InputError naming file and line.
Profile load_profile(const std::string& name_or_path);
// The text's standing on a date, as one sentence: "" when it is in force (or nothing is recorded),
// else why its rules are shown for reference only (a draft, not yet in force, lapsed).
std::string text_standing(const Profile& profile, int as_of);
// Human-readable listing of a profile (for --show-profile).
std::string describe(const Profile& profile);

}  // namespace walkshed
