// The coverage job: households served per function and floor area per 100 households, per
// community, street and the whole area.
#pragma once
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "walkshed/access/access.hpp"
#include "walkshed/io/coverage.hpp"
#include "walkshed/jobs/network.hpp"

namespace walkshed {

// Where people live and the facilities that serve them (coverage and site).
struct DemandInput {
  CommunityLayerOptions communities;
  ServiceLayerOptions services;
  BuildingLayerOptions buildings;  // path empty: demand on a grid inside each community
};

struct Demand {
  CommunityLayer communities;
  ServiceLayer services;
  std::vector<Building> buildings;
  std::int64_t buildings_skipped = 0;
};

// Reads the three layers into the graph's CRS and logs what was read.
Demand load_demand(const DemandInput& input, const NetworkReport& network, const Graph& graph, const Log& log);
// Warnings about the demand points (overlapping communities, communities without buildings).
void warn_demand(const CoverageResult& result, const Log& log);

struct CoverageJob {
  NetworkInput network;
  DemandInput demand;
  CoverageOptions options;  // thresholds_m, or thresholds_min walked at walk_speed
  double walk_speed = 60;
  OutputOptions output{"out/coverage.gpkg"};
  bool keep_state = false;  // return the graph, demand and searches for later steps (CoverageReport::state)
  // Access: the profile's population groups, supply and targets (empty: the profile of
  // demand.communities.city), changed per function by the maps below.
  std::string profile;
  std::map<std::string, std::string> supply_fields;  // function -> facility column ("area": floor area)
  std::map<std::string, double> targets;             // function -> supply per 100 residents of its group
  AccessOptions access;
};

// What a coverage run read and computed, for the later steps of a study: siting on the same graph
// and demand does not read the layers or search from the facilities again.
struct CoverageState {
  Graph graph;
  NetworkReport network;
  Demand demand;
  CoverageOptions options;  // with the thresholds in metres
  CoverageResult result;
  std::shared_ptr<const AccessResult> access;
};

struct CoverageReport {
  NetworkReport network;
  std::size_t communities = 0, facilities = 0, routable_facilities = 0;
  CoverageResult result;
  std::shared_ptr<const AccessResult> access;  // shared with the state
  PopulationProfile population;  // as used (groups, census)
  SupplyProfile supply;          // as used: a column the facilities lack falls back to 1 per facility
  std::vector<std::string> files;
  std::vector<std::pair<std::string, double>> timings;
  std::shared_ptr<const CoverageState> state;  // with CoverageJob::keep_state
};

CoverageReport run_coverage(const CoverageJob& job, const Progress& progress, const Log& log);

}  // namespace walkshed
