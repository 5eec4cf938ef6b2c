// The site job: score candidate sites and choose new ones for a function (or a complex of functions).
#pragma once
#include <map>
#include <string>
#include <vector>

#include "walkshed/io/site.hpp"
#include "walkshed/jobs/check.hpp"
#include "walkshed/jobs/coverage.hpp"

namespace walkshed {

struct SiteJob {
  NetworkInput network;
  DemandInput demand;             // communities.household_size 0: the profile's
  SiteLayerOptions candidates;    // a candidate layer, or
  bool candidates_from_landuse = false;  // one candidate per eligible parcel (needs landuse)
  double parcel_spacing = 0;      // also a grid of candidates inside parcels, metres
  LanduseLayerOptions landuse;
  std::string profile = "national";
  std::vector<std::string> functions;  // service function ids; several: a complex
  std::map<std::string, double> weights;  // score weights replacing the profile's
  SiteOptions options;            // options.functions is filled from `functions`
  double grid_spacing = 50;       // demand grid without buildings, metres
  OutputOptions output{"out/sites.gpkg"};
  // A study's coverage step: its graph, demand and searches are used instead of reading and computing
  // them again, when its distances reach options.distance with the same snap limit and grid.
  std::shared_ptr<const CoverageState> shared;
};

struct SiteReport {
  std::vector<Candidate> candidates;
  SiteResult result;
  std::vector<std::string> files;
};

SiteReport run_site(const SiteJob& job, const Progress& progress, const Log& log);

}  // namespace walkshed
