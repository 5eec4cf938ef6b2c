// Households within walking distance of each service function, and floor area per 100
// households per community.
#pragma once
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "walkshed/core/age.hpp"
#include "walkshed/core/facility.hpp"
#include "walkshed/core/region.hpp"
#include "walkshed/core/functions.hpp"
#include "walkshed/network/graph.hpp"
#include "walkshed/core/progress.hpp"
#include "walkshed/routing/snap.hpp"

namespace walkshed {

constexpr double kUnknown = std::numeric_limits<double>::quiet_NaN();

// Persons per family household, 7th census (docs/rules.md §8).
double household_size_for(const std::string& city);  // national, beijing, wuhan, baotou

struct Community {
  std::string id, name, street;
  bool qualified = false;          // 有条件的街镇: the 80 m² target applies
  double households = 0;           // after conversion from population when needed
  double residents = 0;            // persons: the population field, or households x household size
  std::vector<std::pair<AgeBand, double>> ages;  // residents per age band, from fields (may be empty)
  std::string problem;             // households missing / negative / ... (then households = 0)
  Region geometry;                 // working CRS; empty when unusable
};

struct ServiceFacility {
  Facility point;                  // id, name, location (working CRS)
  FunctionSet functions = 0;
  bool functions_known = true;     // false: the functions field was empty (not "none offered")
  double area_m2 = kUnknown;       // service floor area
  std::array<double, kFunctionCount> supply;  // beds, places ... per function from a field; NaN: not given
  ServiceFacility() { supply.fill(kUnknown); }
};

struct Building {
  Region geometry;
  double floors = 1;
};

enum class AreaShare { Located, Catchment };

// The most demand points the grid of one community may have (an error beyond: a stray vertex, or a
// spacing far too small).
constexpr double kMaxGridPoints = 2e6;

struct CoverageOptions {
  std::vector<double> thresholds_m = {300, 500, 1000};
  std::vector<double> thresholds_min;
  double max_snap = 250;
  double grid_spacing = 50;      // demand grid when no buildings are given (metres)
  double target_per100 = 30;     // m² per 100 households
  double qualified_target_per100 = 80;
  double function_share = 0.5;   // a function counts for a community when this share is covered
  AreaShare area_share = AreaShare::Located;
  double share_distance = 0;     // catchment sharing distance; 0: the largest threshold
  double nearest_limit = 0;      // distances to the nearest facility known only this far (0: any distance)
  int threads = 0;
};

struct DemandPoint {
  XY point;
  std::uint32_t community;
  double households;
  Snap snap;  // edge == kInvalid: not reachable (beyond max_snap)
  std::array<double, kFunctionCount> distance;  // metres to the nearest facility; inf when none
};

struct CommunityResult {
  double households = 0, unreachable_households = 0;
  std::uint32_t demand_points = 0;
  // covered[function][band]: households within the threshold
  std::array<std::vector<double>, kFunctionCount> covered;
  int functions_reached = 0;       // functions covering >= function_share of households at the outer threshold
  double area_m2 = 0;              // counted floor area (located or shared)
  double per100 = kUnknown;        // area per 100 households
  double target_per100 = 0, gap_m2 = 0;
  bool pass = false;
};

struct Summary {  // a street or the whole area
  std::string name;
  std::uint32_t communities = 0, failing = 0;
  CommunityResult total;
};

struct CoverageResult {
  std::string demand_method;        // buildings / grid
  std::vector<DemandPoint> demand;
  std::vector<Snap> facility_snaps;
  std::vector<std::uint32_t> facility_community;  // containing community or kInvalid
  std::vector<std::vector<std::pair<std::uint32_t, double>>> facility_share;  // (community, m²)
  std::vector<CommunityResult> communities;
  std::vector<Summary> streets;
  Summary total;
  std::int64_t overlapping_pairs = 0, grid_fallback_communities = 0, facilities_outside = 0;
  std::vector<std::pair<std::string, double>> timings;
};

void validate(const CoverageOptions& options);

// The communities' polygons prepared for point tests, with a grid index (the first one containing a
// point is the community a building or facility belongs to).
RegionIndex community_index(const std::vector<Community>& communities);

// buildings may be empty (demand on a grid inside each community).
CoverageResult compute_coverage(const Graph& graph, const std::vector<Community>& communities,
                                const std::vector<ServiceFacility>& facilities,
                                const std::vector<Building>& buildings, const CoverageOptions& options,
                                const Progress& progress = {});

// Households within each threshold of at least one facility of a group that offers the function:
// the union over the group's facilities (an operator's), not the sum. groups hold facility indices;
// result[group][function][band].
std::vector<std::array<std::vector<double>, kFunctionCount>> group_reach(
    const Graph& graph, const CoverageResult& coverage, const std::vector<ServiceFacility>& facilities,
    const std::vector<std::vector<std::uint32_t>>& groups, const std::vector<double>& thresholds_m, int threads = 0,
    const Progress& progress = {});

}  // namespace walkshed
