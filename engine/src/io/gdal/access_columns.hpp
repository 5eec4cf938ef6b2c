// Private: the access columns of the coverage layers and tables (docs/outputs.md, access).
#pragma once
#include <map>
#include <string>
#include <vector>

#include "walkshed/io/coverage.hpp"
#include "walkshed/io/schema.hpp"

namespace walkshed::detail {

// Access figures per row: the communities, then the streets (CoverageResult::streets order), then
// the whole area; streets and the area are people-weighted over their communities.
struct AccessRows {
  struct Function {
    double people = 0, fca = kUnknown, efca = kUnknown, gfca = kUnknown, gravity = kUnknown, shortfall = kUnknown;
    std::vector<double> covered;
  };
  std::vector<std::vector<double>> group_people;  // [row][group]
  std::vector<std::vector<int>> group_estimated;  // [row][group]: communities estimated from census shares
  std::vector<std::array<Function, kFunctionCount>> rows;
  std::size_t street_row(std::size_t s) const { return communities + s; }
  std::size_t total_row() const { return rows.size() - 1; }
  std::size_t communities = 0;
};

AccessRows access_rows(const std::vector<Community>& communities, const CoverageResult& coverage,
                       const CoverageOptions& options, const AccessTables& access);

// Columns over a row of AccessRows (community layer and the summary table).
Schema<std::size_t> access_columns(const AccessRows& rows, const CoverageOptions& options, const AccessTables& access);
// Columns over a demand point index.
Schema<std::size_t> demand_access_columns(const AccessTables& access);
// Columns over a facility index.
Schema<std::size_t> facility_access_columns(const AccessTables& access);

// One row per function: its group, residents, supply, shares within the bands and the measures.
std::string access_table(const AccessRows& rows, const CoverageOptions& options, const AccessTables& access,
                         std::map<std::string, std::string>& labels);

}  // namespace walkshed::detail
