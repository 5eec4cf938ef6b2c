// The graph's edges and nodes as layers.
#include "walkshed/io/graph.hpp"

#include "walkshed/io/output.hpp"

namespace walkshed {

void write_graph_layers(const Graph& g, const std::string& path, const std::vector<std::string>& inputs) {
  OutputSet set(path, "", inputs);
  OGRSpatialReference srs;
  srs.importFromWkt(g.crs_wkt.c_str());
  srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  // Node ids: the layer's own when the graph was built from node id fields.
  const auto id_type = g.node_source_id.empty() ? OFTInteger : OFTInteger64;
  auto w = set.add_layer("edges", wkbLineString, srs,
                         {{"edge_id", OFTInteger, ""},
                          {"u", id_type, ""},
                          {"v", id_type, ""},
                          {"length_m", OFTReal, ""},
                          {"source_id", OFTInteger64, ""},
                          {"class", OFTString, ""},
                          {"component", OFTInteger, ""}});
  for (std::uint32_t e = 0; e < g.edge_count(); ++e) {
    auto f = w.new_feature();
    f->SetField(w.field("edge_id"), static_cast<int>(e));
    f->SetField(w.field("u"), static_cast<GIntBig>(g.node_id(g.edge_u[e])));
    f->SetField(w.field("v"), static_cast<GIntBig>(g.node_id(g.edge_v[e])));
    f->SetField(w.field("length_m"), g.edge_length[e]);
    f->SetField(w.field("source_id"), static_cast<GIntBig>(g.edge_source_id[e]));
    f->SetField(w.field("class"), g.class_names[g.edge_class[e]].c_str());
    f->SetField(w.field("component"), static_cast<int>(g.component[g.edge_u[e]]));
    auto* ls = new OGRLineString();
    for (auto p = g.edge_first_point[e]; p < g.edge_first_point[e + 1]; ++p) ls->addPoint(g.point_x[p], g.point_y[p]);
    f->SetGeometryDirectly(ls);
    w.write(*f);
  }
  auto wn = set.add_layer("nodes", wkbPoint, srs,
                          {{"node_id", id_type, ""}, {"degree", OFTInteger, ""}, {"component", OFTInteger, ""}});
  for (std::uint32_t n = 0; n < g.node_count(); ++n) {
    auto f = wn.new_feature();
    f->SetField(wn.field("node_id"), static_cast<GIntBig>(g.node_id(n)));
    f->SetField(wn.field("degree"), static_cast<int>(g.inc_first[n + 1] - g.inc_first[n]));
    f->SetField(wn.field("component"), static_cast<int>(g.component[n]));
    f->SetGeometryDirectly(new OGRPoint(g.node_x[n], g.node_y[n]));
    wn.write(*f);
  }
  set.commit();
}

}  // namespace walkshed
