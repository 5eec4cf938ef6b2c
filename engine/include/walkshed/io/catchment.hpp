// Writing catchment layers and the reached-nodes table.
#pragma once
#include <string>
#include <vector>

#include "walkshed/catchment/catchment.hpp"
#include "walkshed/io/output_options.hpp"

namespace walkshed {

// Writes facilities, not_routable, snap_lines, catchment_lines, catchment_polygons
// (and network_nearest in nearest mode). Returns the files written.
std::vector<std::string> write_catchments(const Graph& graph, const std::vector<Facility>& facilities,
                                          const CatchmentOptions& options, const CatchmentResult& result,
                                          const OutputOptions& output, const Progress& progress = {});

// CSV of reached nodes: fac_id,node,x,y,distance_m (keep_nodes), formatted on `threads` workers (0: all
// cores). Written to a temporary name first.
void write_reached_nodes(const Graph& graph, const std::vector<Facility>& facilities, const CatchmentResult& result,
                         const std::string& path, int threads = 0);

}  // namespace walkshed
