// Subcommands of the walkshed tool.
#pragma once
#include <string>

#include <CLI/CLI.hpp>

#include "cli_common.hpp"
#include "walkshed/graph.hpp"

namespace cli {

struct NetworkArgs {
  walkshed::RoadOptions roads;
  walkshed::GraphOptions graph;
  std::string highways;
};

void add_network_options(CLI::App& app, NetworkArgs& args);
// Loads a saved graph file or builds the graph from a road layer, printing a short summary.
walkshed::Graph load_network(NetworkArgs& args, const Common& common);

void setup_graph(CLI::App& app, Common& common);
void setup_catchment(CLI::App& app, Common& common);
void setup_coverage(CLI::App& app, Common& common);

}  // namespace cli
