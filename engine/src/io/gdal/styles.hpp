// Private to io: the default QGIS style of each output layer, in one place (colours, bands, labels).
#pragma once
#include <string>
#include <vector>

namespace walkshed {
class OutputSet;
}

namespace walkshed::detail {

// Catchment layers: bands (metres) from near to far.
void style_catchment_layers(OutputSet& set, const std::vector<double>& bands, bool polygons, bool nearest);
void style_coverage_layers(OutputSet& set);
void style_check_layer(OutputSet& set, bool operators);
void style_site_layers(OutputSet& set);
void style_graph_layers(OutputSet& set);

}  // namespace walkshed::detail
