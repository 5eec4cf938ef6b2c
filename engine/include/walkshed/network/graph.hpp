// The walking graph: noded edges with geometry, and a CSR search graph over them.
#pragma once
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "walkshed/core/geometry.hpp"
#include "walkshed/network/roads.hpp"

namespace walkshed {

constexpr std::uint32_t kInvalid = std::numeric_limits<std::uint32_t>::max();

struct Graph {
  std::string crs_wkt;
  int epsg = 0;

  // Nodes: junctions, line ends and repeated vertices.
  std::vector<double> node_x, node_y;
  std::vector<std::int64_t> node_source_id;  // the roads layer's node ids (node id fields); else empty

  // Edges: pieces of input lines between nodes, all kept (also parallel edges and loops).
  std::vector<std::uint32_t> edge_u, edge_v;
  std::vector<double> edge_length;               // metres along the geometry
  std::vector<std::uint32_t> edge_first_point;   // size edges+1, into point_x/point_y
  std::vector<double> point_x, point_y;
  std::vector<std::int64_t> edge_source_id;      // OSM way id / feature id
  std::vector<std::uint16_t> edge_class;         // index into class_names
  std::vector<std::string> class_names;

  // Node -> incident edges (each loop edge listed once).
  std::vector<std::uint32_t> inc_first, inc_edge;

  // Search graph (CSR): arcs in both directions, loops dropped, the shortest of parallel edges.
  std::vector<std::uint32_t> first_out, head;
  std::vector<double> weight;

  // Connected component of each node, numbered by decreasing size (0 = largest).
  std::vector<std::uint32_t> component;
  std::vector<std::uint32_t> component_size;

  std::uint32_t node_count() const { return static_cast<std::uint32_t>(node_x.size()); }
  std::uint32_t edge_count() const { return static_cast<std::uint32_t>(edge_u.size()); }
  std::uint32_t arc_count() const { return static_cast<std::uint32_t>(head.size()); }
  XY node(std::uint32_t n) const { return {node_x[n], node_y[n]}; }
  // The id shown in outputs: the layer's node id when the graph was built from one, else n.
  std::int64_t node_id(std::uint32_t n) const { return node_source_id.empty() ? n : node_source_id[n]; }
};

// With node ids on the roads (RoadSet::from_node), each line is one edge between its two nodes: the
// snap tolerance does not apply and near_miss_distance only bounds how far a line end may lie from its node.
struct GraphOptions {
  // Join a dead end to a vertex, or into a segment, of another line this close (metres). Negative:
  // automatic, 1 mm for non-OSM lines (an end lying on another line is a junction: "T" without a
  // shared vertex) and 0 for OSM, whose junctions are shared nodes.
  double snap_tolerance = -1;
  double near_miss_distance = 1;  // report dead ends this close to another line (metres)
  int threads = 0;                 // 0: all cores
};

struct GraphReport {
  std::int64_t lines_in = 0;
  std::int64_t degenerate_lines = 0;    // fewer than 2 distinct points
  std::int64_t repeated_points = 0;     // consecutive duplicate vertices removed
  std::int64_t spike_vertices = 0;      // a line passing the same vertex twice (noded there)
  std::int64_t near_miss_ends = 0;      // dead ends within near_miss_distance of another line, not joined
  std::int64_t snapped_ends = 0;        // of those, merged (snap_tolerance)
  std::int64_t parallel_edges = 0;      // edges sharing both end nodes with an earlier edge
  std::int64_t duplicate_edges = 0;     // of those, the same length (within 1 mm)
  std::int64_t loop_edges = 0;          // edges starting and ending at the same node
  std::int64_t dead_ends = 0;
  std::int64_t ends_off_node = 0;       // node id fields: lines with an end farther than near_miss_distance from its node
  std::int64_t non_finite_lines = 0;    // dropped: a coordinate that is not a finite number
  std::int64_t long_segment_lines = 0;  // dropped: a segment over 100 km (a stray vertex)
  std::vector<std::int64_t> implausible_ids;  // source ids of the first of those
  double total_length_m = 0;
};

Graph build_graph(const RoadSet& roads, const GraphOptions& options, GraphReport* report = nullptr);

// Throws InputError when an invariant does not hold (used after loading a saved graph).
void validate_graph(const Graph& graph, const std::string& what);

void save_graph(const Graph& graph, const std::string& path);
Graph load_graph(const std::string& path);

// True if the file starts with the walkshed graph signature.
bool is_graph_file(const std::string& path);

}  // namespace walkshed
