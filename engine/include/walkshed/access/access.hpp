// Who each service is for and how much of it each resident can reach: residents by age group,
// facility supply per function, and the floating-catchment access measures (docs/method.md, Access).
#pragma once
#include <array>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "walkshed/core/age.hpp"
#include "walkshed/core/functions.hpp"
#include "walkshed/core/progress.hpp"
#include "walkshed/coverage/coverage.hpp"
#include "walkshed/network/graph.hpp"

namespace walkshed {

// Shares of the resident population by census age band (7th census; docs/rules.md §10).
struct CensusShares {
  std::vector<std::pair<AgeBand, double>> bands;  // disjoint, from 0 up
  std::string source;
  bool verified = true;  // false: the figure could not be checked against a bulletin
};

struct PopulationGroup {
  std::string id, label;  // "elderly", "60岁及以上老年人"
  AgeBand ages;
  bool everyone = false;  // all residents (no age band)
};

// The population side of a profile: the groups, which group each function serves, the census shares.
struct PopulationProfile {
  std::vector<PopulationGroup> groups;            // groups[0] is everyone
  std::array<int, kFunctionCount> function_group;  // index into groups
  std::string groups_source;
  CensusShares census;
};
PopulationProfile default_population();  // everyone only, national census shares

// Share of the residents in `band` from the census: a band lying within one census band takes its
// share in proportion to the years covered (uniform within the band; `estimated` is then set). -1
// when the band cannot be made from the census bands (a part of an open band).
double census_share(const CensusShares& census, const AgeBand& band, bool* estimated);

// Residents of a community in each group: from its age-band counts when they add up to the group's
// band exactly, else from the census shares times its residents.
struct GroupCount {
  double people = 0;
  bool from_census = false;  // estimated from census shares
  bool interpolated = false;  // the census share itself is spread over years (see census_share)
};
GroupCount group_people(const PopulationGroup& group, double residents,
                        const std::vector<std::pair<AgeBand, double>>& counts, const CensusShares& census);

// What a facility offers per function, and the unit it is counted in.
struct SupplySpec {
  std::string field;        // facility attribute; "area" takes the floor area; empty: every facility counts 1
  std::string unit = "facility";  // beds, places, m2, facility ...
  double fallback = 1;      // when the attribute is missing
  double target_per100 = kUnknown;  // supply per 100 residents of the group the profile asks for
  std::string source;
};
using SupplyProfile = std::array<SupplySpec, kFunctionCount>;
SupplyProfile default_supply();

struct AccessOptions {
  double distance = 0;                // catchment D (m); 0: the largest coverage threshold
  std::vector<double> band_weights;   // E2SFCA weight per coverage band; empty: Gaussian at band midpoints
  double gravity_beta = 1;            // exponential decay per km: exp(-beta d / 1000)
  int threads = 0;
};

// The E2SFCA weight of each band (thresholds ascending, the last one D).
std::vector<double> band_weights(const std::vector<double>& thresholds, const std::vector<double>& given);
// Gaussian 2SFCA kernel (Dai 2010): 1 at d = 0, 0 at d = D.
double gaussian_weight(double d, double D);

// Per function: residents and access per demand point and per community.
struct FunctionAccess {
  // per demand point (index as CoverageResult::demand)
  std::vector<double> people, fca, efca, gfca, gravity;
  // per community
  std::vector<double> community_people;
  std::vector<std::vector<double>> covered;  // [community][band]: people of the group within the band
  std::vector<double> community_fca, community_efca, community_gfca, community_gravity;  // people-weighted means
  std::vector<double> shortfall;  // supply units short of target_per100; NaN without a target
  // whole area
  double people_total = 0, supply_total = 0;
  std::vector<double> covered_total;
  double fca_total = kUnknown, efca_total = kUnknown, gfca_total = kUnknown, gravity_total = kUnknown;
  double shortfall_total = kUnknown;
  // per facility: supply and the 2SFCA supply-to-demand ratio R_j (NaN when not offered)
  std::vector<double> supply, ratio;
};

struct AccessResult {
  double distance = 0;
  std::vector<std::vector<GroupCount>> groups;  // [community][group]
  std::vector<double> band_weights;
  std::array<FunctionAccess, kFunctionCount> functions;
  std::int64_t pairs = 0;  // facility x demand point pairs within D
  std::vector<std::pair<std::string, double>> timings;
};

// The residents of each group in each community (GroupCount per [community][group]).
std::vector<std::vector<GroupCount>> community_groups(const std::vector<Community>& communities,
                                                      const PopulationProfile& population);

// Every measure of every function from one bounded search per facility (pairs within D). A
// community's residents of a group reach its demand points in proportion to their households.
AccessResult compute_access(const Graph& graph, const std::vector<Community>& communities,
                            const CoverageResult& coverage, const std::vector<ServiceFacility>& facilities,
                            const CoverageOptions& coverage_options, const PopulationProfile& population,
                            const SupplyProfile& supply, const AccessOptions& options, const Progress& progress = {});

// Facility f's supply for function fn by the profile's rule (0 when not offered).
double facility_supply(const ServiceFacility& facility, int fn, const SupplySpec& spec);

}  // namespace walkshed
