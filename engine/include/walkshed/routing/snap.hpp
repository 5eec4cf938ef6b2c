// Projecting points onto the nearest edge (uniform grid index over edge segments).
#pragma once
#include <cstdint>
#include <vector>

#include "walkshed/network/graph.hpp"

namespace walkshed {

struct Snap {
  std::uint32_t edge = kInvalid;
  double offset = 0;    // metres along the edge from edge_u
  double distance = 0;  // metres from the point to the edge
  XY point;             // the projected point
};

class EdgeIndex {
 public:
  // Edges in components smaller than min_component nodes are not indexed.
  explicit EdgeIndex(const Graph& graph, std::uint32_t min_component = 1);
  // Nearest edge within max_distance; edge == kInvalid when none. Ties: smaller edge id.
  Snap nearest(XY p, double max_distance) const;

 private:
  const Graph& g_;
  double x0_ = 0, y0_ = 0, cell_ = 100, inv_ = 0.01;
  std::int64_t nx_ = 0, ny_ = 0;
  std::vector<std::uint32_t> cell_first_, cell_segment_;  // segment = global index of its first point
  std::vector<std::uint32_t> point_edge_;                 // edge of each point
};

// EdgeIndex::nearest for each point (the same edges, distances and ties). For few points against a
// large network, one pass over the segments against a grid of the points on `threads` workers (0:
// all cores) instead of building the index.
std::vector<Snap> snap_points(const Graph& graph, const std::vector<XY>& points, double max_distance,
                              std::uint32_t min_component = 1, int threads = 0);

}  // namespace walkshed
