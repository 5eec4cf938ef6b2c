// Candidate scoring and site selection on allowed land.
#pragma once
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "walkshed/rules/check.hpp"
#include "walkshed/coverage/coverage.hpp"
#include "walkshed/rules/landuse.hpp"
#include "walkshed/siting/selection.hpp"

namespace walkshed {

struct Candidate {
  std::string id, name, origin;  // origin: "layer" or "parcel <id>"
  XY point;
  double area_m2 = kUnknown;
  SiteAttributes attributes;
  std::shared_ptr<const Region> footprint;
};

// One candidate per eligible parcel at the point of its outline nearest the network, plus (with
// spacing > 0) a grid of points inside large parcels.
// Only parcels that meet the study area (the extent of the communities) are used.
std::vector<Candidate> candidates_from_landuse(const Graph& graph, const LanduseLayer& layer, const ParcelIndex& index,
                                               double spacing, const std::vector<Community>& study_area);
std::vector<Candidate> candidates_from_sites(const std::vector<ServiceFacility>& sites,
                                             const std::vector<SiteAttributes>& attributes);

struct SiteOptions {
  std::vector<int> functions;   // service function indices (a bundle for a complex)
  double distance = 500;        // walking threshold, metres
  int k = 5;                    // MCLP: sites to choose
  double target_share = -1;     // LSCP when >= 0: share of the coverable need to cover
  double min_spacing = 0;       // metres, straight line, between chosen sites
  double capacity = 0;          // households per site; 0 = unlimited, or from the area (area_capacity)
  bool area_capacity = true;    // capacity 0: a candidate of known area serves the households it provides for
  std::string solver = "auto";  // greedy | exact | auto (exact when the instance is small)
  double time_limit = 60;       // seconds for the exact solver
  double exact_limit = 3e5;     // auto: exact when candidates x demand pairs within reach <= this
  double max_snap = 250;
  std::map<std::string, double> weights = {
      {"marginal", 0.5}, {"reached", 0.2}, {"central", 0.1}, {"area", 0.1}, {"landuse", 0.1}, {"gap", 0}};
  // households: serve the most need (MCLP / LSCP); area_gap: with --k, close the most floor-area
  // gap of the communities (m² short of the standard per 100 households) with the candidates' areas.
  std::string objective = "households";
};

struct CandidateResult {
  bool eligible = false;
  std::string reason;  // why not eligible, or notes
  Snap snap;
  SiteLanduse landuse;
  double reached = 0, marginal = 0;  // households within reach; of those, not yet served
  double central_m = kUnknown;       // walking distance to the centre of its community
  double area_adequacy = kUnknown;   // area / required minimum, at most 1
  double landuse_pref = kUnknown;    // 1 allowed, 0.5 other construction land (warning)
  double area_gap_m2 = 0;            // the gap of the communities it reaches, in proportion to their households reached
  std::vector<std::pair<std::uint32_t, double>> reach;  // (community, households within reach)
  double score = 0;
  int rank = 0;                      // among eligible candidates, 1 = best score
  int order = 0;                     // order of choice, 0 = not chosen
  double gain = 0;                   // households added when chosen
  std::vector<std::pair<std::uint32_t, double>> served;  // (community, households newly served)
  // The standard for all embedded-service floor area together (BT 第十条: m² per 100 households) x
  // households served / 100: what the served households call for across every function, not what
  // this site's function needs (that is function_area_m2).
  double all_services_area_m2 = 0;
  double function_area_m2 = kUnknown;  // the function's own minimum floor area (350 m², beds x 35 m², ...)
  double capacity = 0;                 // households it may serve in the selection; 0 unlimited
};

struct SiteResult {
  std::vector<CandidateResult> candidates;
  std::vector<std::uint32_t> chosen;  // candidate indices in order of choice
  Selection selection;                // the selection used
  double heuristic_objective = 0, bound = kUnknown, gap = kUnknown;
  std::string gap_note;
  double need_total = 0, need_coverable = 0;  // unserved households (need), and those any eligible candidate reaches
  std::vector<double> community_before, community_after;  // households served per community
  // Floor-area gap per community (m² short of the standard per 100 households) before and after the
  // chosen sites, each site's known area shared over the communities it reaches by households.
  std::vector<double> gap_before, gap_after;
};

// Checks the options; throws InputError.
void validate(const SiteOptions& options);

SiteResult select_sites(const Graph& graph, const std::vector<Community>& communities, const CoverageResult& coverage,
                        const std::vector<Candidate>& candidates, const Profile& profile, const ParcelIndex* landuse,
                        const SiteOptions& options);

}  // namespace walkshed
