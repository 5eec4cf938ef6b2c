// Test helpers: graphs from literal polylines, Boost's plain Dijkstra as the oracle.
#pragma once
#include <catch2/catch.hpp>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/dijkstra_shortest_paths.hpp>

#include <ogr_spatialref.h>

#include "walkshed/core/region.hpp"
#include "walkshed/io/roads.hpp"
#include "walkshed/network/graph.hpp"
#include "walkshed/routing/snap.hpp"

namespace test {

// An axis-aligned rectangle.
inline walkshed::Region rect(double x0, double y0, double x1, double y1) {
  walkshed::Region r;
  r.polygons.push_back({{{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}}});
  return r;
}

inline walkshed::RoadSet roads(const std::vector<walkshed::Polyline>& lines, int epsg = 32650) {
  walkshed::RoadSet r;
  OGRSpatialReference srs;
  srs.importFromEPSG(epsg);
  char* wkt = nullptr;
  srs.exportToWkt(&wkt);
  r.crs_wkt = wkt;
  CPLFree(wkt);
  r.epsg = epsg;
  std::int64_t id = 0;
  for (auto& l : lines) r.add_line(l, id++, "test");
  return r;
}

inline walkshed::Graph graph(const std::vector<walkshed::Polyline>& lines, walkshed::GraphOptions o = {}) {
  return walkshed::build_graph(roads(lines), o);
}

// An n x n grid of lines with `spacing` metres: rows and columns each drawn as one line with a
// vertex at every crossing, so every crossing is a node.
inline std::vector<walkshed::Polyline> grid_lines(int n, double spacing) {
  std::vector<walkshed::Polyline> out;
  for (int i = 0; i < n; ++i) {
    walkshed::Polyline row, col;
    for (int j = 0; j < n; ++j) {
      row.push_back({j * spacing, i * spacing});
      col.push_back({i * spacing, j * spacing});
    }
    out.push_back(row);
    out.push_back(col);
  }
  return out;
}

// The same grid cut at every crossing: 2 n (n - 1) edges of one block side each.
inline std::vector<walkshed::Polyline> grid_edges(int n, double spacing) {
  std::vector<walkshed::Polyline> out;
  for (int i = 0; i < n; ++i)
    for (int j = 0; j + 1 < n; ++j) {
      out.push_back({{j * spacing, i * spacing}, {(j + 1) * spacing, i * spacing}});
      out.push_back({{i * spacing, j * spacing}, {i * spacing, (j + 1) * spacing}});
    }
  return out;
}

// Every array of two graphs equal (nodes, edges with their geometry, search graph, components).
inline void check_same_graph(const walkshed::Graph& a, const walkshed::Graph& b) {
  REQUIRE(a.node_count() == b.node_count());
  REQUIRE(a.edge_count() == b.edge_count());
  CHECK(a.crs_wkt == b.crs_wkt);
  CHECK(a.node_x == b.node_x);
  CHECK(a.node_y == b.node_y);
  CHECK(a.edge_u == b.edge_u);
  CHECK(a.edge_v == b.edge_v);
  CHECK(a.edge_length == b.edge_length);
  CHECK(a.edge_first_point == b.edge_first_point);
  CHECK(a.point_x == b.point_x);
  CHECK(a.point_y == b.point_y);
  CHECK(a.class_names == b.class_names);
  CHECK(a.first_out == b.first_out);
  CHECK(a.head == b.head);
  CHECK(a.weight == b.weight);
  CHECK(a.component == b.component);
  CHECK(a.component_size == b.component_size);
}

inline std::uint32_t node_at(const walkshed::Graph& g, double x, double y) {
  for (std::uint32_t n = 0; n < g.node_count(); ++n)
    if (g.node_x[n] == x && g.node_y[n] == y) return n;
  return walkshed::kInvalid;
}

// Distances from a point at `offset` on edge `e` to every node, by Boost's plain Dijkstra on
// every edge (parallel edges included) plus one extra node for the point.
inline std::vector<double> boost_distances(const walkshed::Graph& g, std::uint32_t e, double offset) {
  using namespace boost;
  using BG = adjacency_list<vecS, vecS, undirectedS, no_property, property<edge_weight_t, double>>;
  const std::uint32_t n = g.node_count();
  BG bg(n + 1);
  for (std::uint32_t k = 0; k < g.edge_count(); ++k)
    if (g.edge_u[k] != g.edge_v[k]) add_edge(g.edge_u[k], g.edge_v[k], g.edge_length[k], bg);
  add_edge(n, g.edge_u[e], offset, bg);
  add_edge(n, g.edge_v[e], g.edge_length[e] - offset, bg);
  std::vector<double> d(n + 1);
  dijkstra_shortest_paths(bg, n, distance_map(make_iterator_property_map(d.begin(), get(vertex_index, bg))));
  d.pop_back();
  return d;
}

}  // namespace test
