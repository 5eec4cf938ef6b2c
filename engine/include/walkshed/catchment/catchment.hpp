// Walking-distance catchments: per facility (overlapping) or nearest facility (one search).
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "walkshed/routing/edge_pieces.hpp"
#include "walkshed/core/facility.hpp"
#include "walkshed/network/graph.hpp"
#include "walkshed/core/progress.hpp"
#include "walkshed/routing/snap.hpp"

namespace walkshed {

enum class CatchmentMode { PerFacility, Nearest };

struct CatchmentOptions {
  std::vector<double> thresholds_m = {300, 500, 1000};  // ascending; a location is inside when d <= t
  std::vector<double> thresholds_min;  // the same thresholds in minutes when given as times
  CatchmentMode mode = CatchmentMode::PerFacility;
  double max_snap = 250;            // metres from a facility to the network
  std::uint32_t min_component = 1;  // do not snap onto components with fewer nodes
  bool lines = true;                // cut reached edges into pieces (lines layer; needed for polygons)
  bool polygons = true;
  double buffer_m = 50;             // polygon = union of the reached lines buffered by this
  double fill_holes_m2 = 0;         // fill polygon holes smaller than this
  int threads = 0;                  // 0: all cores
  bool keep_nodes = false;          // keep each facility's reached nodes (FacilityCatchment::nodes)
  double nearest_limit = 0;         // Nearest mode: label the network only this far (0: all of it)
};

struct FacilitySnap {
  bool routable = false;
  std::string reason;  // why not routable
  Snap snap;
  double nearest_m = 0;  // distance to the nearest edge when beyond max_snap (or -1: none)
};

// A reached part of an edge.
struct EdgePiece {
  std::uint32_t edge;
  double from, to, d_min, d_max;
  std::uint32_t band;
};

struct FacilityCatchment {
  std::vector<EdgePiece> pieces;       // each piece in exactly one band (split at thresholds)
  std::vector<std::string> polygons;   // WKB per band (cumulative), empty when not computed
  std::vector<double> areas_m2;
  std::uint32_t reached_nodes = 0;     // nodes within the largest threshold
  std::vector<std::pair<std::uint32_t, double>> nodes;  // (node, distance) when keep_nodes
};

struct NetworkPiece {
  std::uint32_t edge;
  double from, to, d_min, d_max;
  std::uint32_t facility;  // kInvalid when unreachable
  std::uint32_t band;      // thresholds.size() when beyond every threshold
};

struct CatchmentResult {
  std::vector<FacilitySnap> snaps;           // one per facility
  std::vector<FacilityCatchment> catchments; // one per facility
  std::vector<NetworkPiece> network;         // nearest mode: every edge, split by nearest facility
  std::int64_t settled_nodes = 0;
  std::int64_t invalid_polygons_repaired = 0;
  std::vector<std::pair<std::string, double>> timings;  // phase, seconds
};

// Checks the options; throws InputError.
void validate(const CatchmentOptions& options);

CatchmentResult compute_catchments(const Graph& graph, const std::vector<Facility>& facilities,
                                   const CatchmentOptions& options, const Progress& progress = {});

// Geometry of edge `e` between `from` and `to` metres.
Polyline slice_edge(const Graph& graph, std::uint32_t e, double from, double to);

}  // namespace walkshed
