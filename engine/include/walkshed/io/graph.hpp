// The noded network as layers: edges and nodes, to inspect in QGIS or to feed other tools.
#pragma once
#include <string>
#include <vector>

#include "walkshed/io/output_options.hpp"
#include "walkshed/network/graph.hpp"

namespace walkshed {

// Layers `edges` (edge_id, u, v, length_m, source_id, class, component) and `nodes` (node_id,
// degree, component). Node ids are the layer's own when the graph was built from node id fields.
void write_graph_layers(const Graph& graph, const OutputOptions& output);

}  // namespace walkshed
