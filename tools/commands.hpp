// Subcommands of the walkshed tool.
#pragma once
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli_common.hpp"
#include "walkshed/io/catchment.hpp"
#include "walkshed/io/coverage.hpp"
#include "walkshed/io/landuse.hpp"
#include "walkshed/io/roads.hpp"
#include "walkshed/network/graph.hpp"

namespace cli {

struct NetworkArgs {
  walkshed::RoadOptions roads;
  walkshed::GraphOptions graph;
  std::string highways;
  std::vector<std::string> node_fields;  // --node-fields FROM,TO
  std::string source_crs;  // filled by load_network (empty for a saved graph)
  double read_s = 0, build_s = 0;  // filled by load_network: reading the roads (or the saved graph), building
};

// "graph: N nodes, ..." lines; with the build report when given.
std::string graph_summary(const walkshed::Graph& g, const walkshed::GraphReport* rep);

// Tells the user when a layer's CRS differs from the roads' (everything is reprojected anyway).
void crs_note(const Common& common, const std::string& what, const std::string& layer_crs, const NetworkArgs& net,
              const walkshed::Graph& graph);

void add_network_options(CLI::App& app, NetworkArgs& args);
// Loads a saved graph file or builds the graph from a road layer, printing a short summary.
walkshed::Graph load_network(NetworkArgs& args, const Common& common);

// Communities, existing facilities and buildings (coverage and site).
struct DemandArgs {
  walkshed::CommunityLayerOptions communities;
  walkshed::ServiceLayerOptions services;
  walkshed::BuildingLayerOptions buildings;
};
struct Demand {
  walkshed::CommunityLayer communities;
  walkshed::ServiceLayer services;
  std::vector<walkshed::Building> buildings;
};
void add_demand_options(CLI::App& app, DemandArgs& args);
Demand load_demand(DemandArgs& args, const NetworkArgs& net, const walkshed::Graph& graph, const Common& common);
void report_demand(const walkshed::CoverageResult& result);

// Land-use parcels and their index under a profile, with the summary and unknown codes reported.
struct Landuse {
  std::unique_ptr<walkshed::LanduseLayer> layer;
  std::unique_ptr<walkshed::ParcelIndex> index;  // null when no land-use layer was given
};
Landuse load_landuse_index(const walkshed::LanduseLayerOptions& options, const walkshed::Profile& profile,
                           const std::string& crs_wkt, const Common& common);

void setup_graph(CLI::App& app, Common& common);
void setup_catchment(CLI::App& app, Common& common);
void setup_coverage(CLI::App& app, Common& common);
// exit_code: set by the command when it ran but wants a non-zero exit (check --fail-on-error).
void setup_check(CLI::App& app, Common& common, int& exit_code);
void setup_site(CLI::App& app, Common& common);

}  // namespace cli
