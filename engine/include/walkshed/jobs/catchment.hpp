// The catchment job: network and facilities in, catchment layers and the reached-nodes table out.
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "walkshed/io/catchment.hpp"
#include "walkshed/io/points.hpp"
#include "walkshed/jobs/network.hpp"

namespace walkshed {

struct CatchmentJob {
  NetworkInput network;
  PointLayerOptions facilities;
  // options.thresholds_m, or options.thresholds_min walked at walk_speed (metres per minute).
  CatchmentOptions options;
  double walk_speed = 60;
  bool layers = true;          // write the layers to output.path
  OutputOptions output{"out/walkshed.gpkg"};
  std::string reached_nodes;   // CSV of every reached node per facility, or empty
};

struct CatchmentReport {
  NetworkReport network;
  PointLayer facilities;       // the facilities read, with their counts
  std::size_t routable = 0;
  double largest_snap_m = 0;
  std::int64_t settled_nodes = 0;
  std::vector<std::string> files;
  std::vector<std::pair<std::string, double>> timings;  // stage, seconds
};

// Thresholds in metres from minutes when given as times (options.thresholds_min).
void thresholds_from_minutes(std::vector<double>& metres, const std::vector<double>& minutes, double walk_speed);

CatchmentReport run_catchment(const CatchmentJob& job, const Progress& progress, const Log& log);

}  // namespace walkshed
