// The walking network of every job: a saved graph, or a road layer read and noded; and the graph
// job (build, check, save, export).
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "walkshed/core/log.hpp"
#include "walkshed/core/progress.hpp"
#include "walkshed/io/points.hpp"
#include "walkshed/network/graph.hpp"
#include "walkshed/network/roads.hpp"

namespace walkshed {

struct NetworkInput {
  RoadOptions roads;  // roads.path: a road layer, or a graph saved by save_graph (.wsg)
  GraphOptions graph;
  int threads = 0;    // reading and building; 0: all cores
};

struct NetworkReport {
  bool saved_graph = false;         // read from a .wsg file
  std::string source_crs;           // the road layer's CRS (empty for a saved graph)
  std::int64_t features_read = 0, lines_kept = 0;
  std::map<std::string, std::int64_t> dropped;  // reason -> lines
  GraphReport checks;               // when built here
  double read_s = 0, build_s = 0;
};

// Logs what was read and the graph's figures (nodes, components, checks).
Graph open_network(const NetworkInput& input, const Progress& progress, const Log& log,
                   NetworkReport* report = nullptr);

// The same with `threads` workers, the reading and building times appended to `timings`, and a
// point to stop after it (the start of every job that builds a network).
Graph open_network(NetworkInput input, int threads, const Progress& progress, const Log& log, NetworkReport& report,
                   std::vector<std::pair<std::string, double>>& timings);

// "graph: N nodes, ..." lines; with the build checks when given.
std::string graph_summary(const Graph& graph, const GraphReport* checks);

// A note when a layer's CRS differs from the roads' (everything is reprojected to the graph's CRS).
void note_crs(const Log& log, const std::string& what, const std::string& layer_crs, const NetworkReport& network,
              const Graph& graph);

// A warning when ids repeat (results would not join back to the input): how many, and the first few.
void warn_duplicate_ids(const Log& log, const std::string& what, const std::vector<std::string>& ids);

// A warning when text of a file was not UTF-8 (its bad bytes were replaced): the likely encoding.
void warn_encoding(const Log& log, const std::string& path, std::int64_t invalid_values);

// A warning when the points of a lon/lat layer in China sit far from the network as given but close
// to it read as GCJ-02 or BD-09 (coordinates from Amap, Tencent or Baidu): the datum option to give.
// snap_m: each point's distance to the network as read (unroutable ones at max_snap).
void suggest_datum(const Log& log, const Graph& graph, const PointLayerOptions& layer, const std::vector<double>& snap_m,
                   double max_snap, const std::string& option);

struct GraphJob {
  NetworkInput network;
  std::string save;          // .wsg path, or empty
  std::string export_edges;  // edges and nodes layers (GPKG/GeoJSON/Shapefile), or empty
  bool overwrite = false;    // may replace existing files walkshed did not write
};

struct GraphJobReport {
  NetworkReport network;
  std::vector<std::string> files;
};

GraphJobReport run_graph(const GraphJob& job, const Progress& progress, const Log& log);

}  // namespace walkshed
