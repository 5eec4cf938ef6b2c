// Reading sites with their rule attributes, and writing the rule results.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "walkshed/io/coverage.hpp"
#include "walkshed/rules/operators.hpp"

namespace walkshed {

struct SiteLayerOptions {
  ServiceLayerOptions services;
  std::map<std::string, std::string> fields;  // attribute key -> column
};

struct SiteLayer {
  ServiceLayer services;
  std::vector<SiteAttributes> attributes;
  std::map<std::string, std::string> columns;  // key -> column used
  int bad_dates = 0;                           // date values that are not dates (read as unknown)
  std::string bad_date_example;
};

SiteLayer load_sites(const SiteLayerOptions& options, const std::string& target_wkt);

// What a check run is judged under: the reference date and the text's standing on it.
struct CheckContext {
  int as_of = kNoDate;
  std::string standing;  // "" in force; else text_standing()
  std::vector<double> bands_m;  // operators' reach columns (empty: none)
};

// Layers `checked` and `operators` (the operators layer only when some site names one), with
// <csv>_rules.csv and <csv>_operators.csv.
std::vector<std::string> write_check(const Profile& profile, const std::string& crs_wkt,
                                     const std::vector<CheckedSite>& sites, const std::vector<OperatorResult>& operators,
                                     const CheckContext& context, const OutputOptions& output);

}  // namespace walkshed
