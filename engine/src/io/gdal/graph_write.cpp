// The graph's edges and nodes as layers.
#include "walkshed/io/graph.hpp"

#include "io/gdal/styles.hpp"
#include "walkshed/io/output.hpp"

namespace walkshed {

void write_graph_layers(const Graph& g, const OutputOptions& output) {
  using I = std::int64_t;
  using U = std::uint32_t;
  OutputTarget target(output);
  OutputSet& set = target.set();
  const OGRSpatialReference srs = working_srs(g.crs_wkt);
  // Node ids: the layer's own when the graph was built from node id fields.
  const FieldType id_type = g.node_source_id.empty() ? FieldType::Integer : FieldType::Integer64;
  const Schema<U> edges = {
      {"edge_id", FieldType::Integer, "", "路段编号", [](U e) { return FieldValue{I(e)}; }},
      {"u", id_type, "", "起点节点编号", [&g](U e) { return FieldValue{I(g.node_id(g.edge_u[e]))}; }},
      {"v", id_type, "", "终点节点编号", [&g](U e) { return FieldValue{I(g.node_id(g.edge_v[e]))}; }},
      {"length_m", FieldType::Real, "", "长度(米)", [&g](U e) { return FieldValue{g.edge_length[e]}; }},
      {"source_id", FieldType::Integer64, "", "源数据编号", [&g](U e) { return FieldValue{I(g.edge_source_id[e])}; }},
      {"class", FieldType::Text, "", "道路等级", [&g](U e) { return FieldValue{g.class_names[g.edge_class[e]].c_str()}; }},
      {"component", FieldType::Integer, "", "连通分量", [&g](U e) { return FieldValue{I(g.component[g.edge_u[e]])}; }}};
  auto w = set.add_layer("edges", wkbLineString, srs, edges);
  for (U e = 0; e < g.edge_count(); ++e) {
    auto f = w.new_feature(edges, e);
    auto* ls = new OGRLineString();
    for (auto p = g.edge_first_point[e]; p < g.edge_first_point[e + 1]; ++p) ls->addPoint(g.point_x[p], g.point_y[p]);
    f->SetGeometryDirectly(ls);
    w.write(*f);
  }
  const Schema<U> nodes = {
      {"node_id", id_type, "", "节点编号", [&g](U n) { return FieldValue{I(g.node_id(n))}; }},
      {"degree", FieldType::Integer, "", "连接路段数", [&g](U n) { return FieldValue{I(g.inc_first[n + 1] - g.inc_first[n])}; }},
      {"component", FieldType::Integer, "", "连通分量", [&g](U n) { return FieldValue{I(g.component[n])}; }}};
  auto wn = set.add_layer("nodes", wkbPoint, srs, nodes);
  for (U n = 0; n < g.node_count(); ++n) {
    auto f = wn.new_feature(nodes, n);
    f->SetGeometryDirectly(new OGRPoint(g.node_x[n], g.node_y[n]));
    wn.write(*f);
  }
  detail::style_graph_layers(set);
  target.commit();
}

}  // namespace walkshed
