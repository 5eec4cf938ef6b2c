// The check job: facilities or candidate sites against a city profile, with their land use.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "walkshed/core/log.hpp"
#include "walkshed/core/progress.hpp"
#include "walkshed/io/check.hpp"
#include "walkshed/io/landuse.hpp"
#include "walkshed/jobs/coverage.hpp"

namespace walkshed {

// Land-use parcels and their index under a profile.
struct Landuse {
  std::unique_ptr<LanduseLayer> layer;
  std::unique_ptr<ParcelIndex> index;  // null when no land-use layer was given
};

// Reads the parcels (none when options.path is empty) and logs their summary and unknown codes.
Landuse load_landuse_index(const LanduseLayerOptions& options, const Profile& profile, const std::string& crs_wkt,
                           const Log& log);

struct CheckJob {
  std::string profile = "national";  // a shipped profile's name or a .yaml file
  SiteLayerOptions sites;
  LanduseLayerOptions landuse;       // path empty: land-use rules are `missing`
  std::vector<std::string> overrides;  // error_override rules accepted as overridden
  int as_of = kNoDate;                 // reporting duties and the text's validity judged on; kNoDate: today
  // A coverage run over the same facilities (matched by id): the operators' households reached.
  std::shared_ptr<const CoverageState> coverage;
  OutputOptions output{"out/check.gpkg"};
};

struct CheckReport {
  std::vector<CheckedSite> sites;
  std::vector<OperatorResult> operators;
  int as_of = kNoDate;
  std::string standing;  // the text's standing on as_of ("" in force)
  int pass = 0, warnings = 0, errors = 0, incomplete = 0;  // sites by summary
  std::vector<std::string> files;
};

CheckReport run_check(const CheckJob& job, const Progress& progress, const Log& log);

}  // namespace walkshed
