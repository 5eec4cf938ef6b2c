// Reading sites with their rule attributes, and writing the rule results.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "walkshed/io/coverage.hpp"
#include "walkshed/rules/check.hpp"

namespace walkshed {

struct SiteLayerOptions {
  ServiceLayerOptions services;
  std::map<std::string, std::string> fields;  // attribute key -> column
};

struct SiteLayer {
  ServiceLayer services;
  std::vector<SiteAttributes> attributes;
  std::map<std::string, std::string> columns;  // key -> column used
};

SiteLayer load_sites(const SiteLayerOptions& options, const std::string& target_wkt);

std::vector<std::string> write_check(const Profile& profile, const std::string& crs_wkt,
                                     const std::vector<CheckedSite>& sites, const OutputOptions& output);

}  // namespace walkshed
