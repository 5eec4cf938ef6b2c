// Catchment layers through GDAL (lines, polygons, facilities, network labels).
#include <cmath>

#include "walkshed/catchment.hpp"
#include "walkshed/error.hpp"
#include "walkshed/output.hpp"

namespace walkshed {

std::vector<std::string> write_catchments(const Graph& g, const std::vector<Facility>& facilities,
                                          const CatchmentOptions& o, const CatchmentResult& r,
                                          const CatchmentOutputOptions& out, const Progress& progress) {
  OutputSet set(out.path, out.format, out.inputs, out.spatial_index);
  OGRSpatialReference srs;
  srs.importFromWkt(g.crs_wkt.c_str());
  srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  const bool minutes = !o.thresholds_min.empty();
  const std::size_t F = facilities.size(), B = o.thresholds_m.size();
  const std::size_t total = 2 * F + (o.polygons ? F : 0) + r.network.size();
  std::size_t done = 0;
  auto tick = [&]() {
    if (++done % 1024 == 0) report(progress, double(done) / total, "writing");
  };
  auto line_geom = [](const Polyline& l) {
    auto* ls = new OGRLineString();
    ls->setNumPoints(l.size());
    for (size_t i = 0; i < l.size(); ++i) ls->setPoint(i, l[i].x, l[i].y);
    return ls;
  };
  auto set_band = [&](OGRFeature& f, const LayerWriter& w, std::size_t b) {
    f.SetField(w.field("band_m"), o.thresholds_m[b]);
    if (minutes)
      f.SetField(w.field("band_min"), o.thresholds_min[b]);
    else
      f.SetFieldNull(w.field("band_min"));
  };

  {
    auto w = set.add_layer("facilities", wkbPoint, srs,
                           {{"fac_id", OFTString, ""},
                            {"name", OFTString, ""},
                            {"routable", OFTInteger, ""},
                            {"snap_m", OFTReal, ""},
                            {"edge_id", OFTInteger, ""},
                            {"offset_m", OFTReal, ""},
                            {"comp_nodes", OFTInteger, ""},
                            {"nodes_in", OFTInteger, ""}});
    for (std::size_t i = 0; i < F; ++i) {
      auto f = w.new_feature();
      const auto& s = r.snaps[i];
      f->SetField(w.field("fac_id"), facilities[i].id.c_str());
      f->SetField(w.field("name"), facilities[i].name.c_str());
      f->SetField(w.field("routable"), s.routable ? 1 : 0);
      if (s.routable) {
        f->SetField(w.field("snap_m"), s.snap.distance);
        f->SetField(w.field("edge_id"), static_cast<int>(s.snap.edge));
        f->SetField(w.field("offset_m"), s.snap.offset);
        f->SetField(w.field("comp_nodes"), static_cast<int>(g.component_size[g.component[g.edge_u[s.snap.edge]]]));
        f->SetField(w.field("nodes_in"), static_cast<int>(r.catchments[i].reached_nodes));
      }
      f->SetGeometryDirectly(new OGRPoint(facilities[i].point.x, facilities[i].point.y));
      w.write(*f);
      tick();
    }
  }
  {
    auto w = set.add_layer("not_routable", wkbPoint, srs,
                           {{"fac_id", OFTString, ""}, {"name", OFTString, ""}, {"reason", OFTString, ""},
                            {"nearest_m", OFTReal, ""}});
    for (std::size_t i = 0; i < F; ++i) {
      if (r.snaps[i].routable) continue;
      auto f = w.new_feature();
      f->SetField(w.field("fac_id"), facilities[i].id.c_str());
      f->SetField(w.field("name"), facilities[i].name.c_str());
      f->SetField(w.field("reason"), r.snaps[i].reason.c_str());
      if (r.snaps[i].nearest_m >= 0) f->SetField(w.field("nearest_m"), r.snaps[i].nearest_m);
      f->SetGeometryDirectly(new OGRPoint(facilities[i].point.x, facilities[i].point.y));
      w.write(*f);
    }
  }
  {
    auto w = set.add_layer("snap_lines", wkbLineString, srs, {{"fac_id", OFTString, ""}, {"snap_m", OFTReal, ""}});
    for (std::size_t i = 0; i < F; ++i) {
      if (!r.snaps[i].routable) continue;
      auto f = w.new_feature();
      f->SetField(w.field("fac_id"), facilities[i].id.c_str());
      f->SetField(w.field("snap_m"), r.snaps[i].snap.distance);
      f->SetGeometryDirectly(line_geom({facilities[i].point, r.snaps[i].snap.point}));
      w.write(*f);
    }
  }
  const std::vector<FieldDef> band_fields = {{"fac_id", OFTString, ""},
                                             {"name", OFTString, ""},
                                             {"band_m", OFTReal, ""},
                                             {"band_min", OFTReal, ""}};
  {
    auto fields = band_fields;
    fields.push_back({"length_m", OFTReal, ""});
    auto w = set.add_layer("catchment_lines", wkbMultiLineString, srs, fields);
    for (std::size_t i = 0; i < F; ++i) {
      if (!r.snaps[i].routable) continue;
      for (std::size_t b = 0; b < B; ++b) {
        auto* multi = new OGRMultiLineString();
        double length = 0;
        for (auto& p : r.catchments[i].pieces)
          if (p.band <= b) {
            multi->addGeometryDirectly(line_geom(slice_edge(g, p.edge, p.from, p.to)));
            length += p.to - p.from;
          }
        auto f = w.new_feature();
        f->SetField(w.field("fac_id"), facilities[i].id.c_str());
        f->SetField(w.field("name"), facilities[i].name.c_str());
        set_band(*f, w, b);
        f->SetField(w.field("length_m"), length);
        f->SetGeometryDirectly(multi);
        w.write(*f);
      }
      tick();
    }
  }
  if (o.polygons) {
    auto fields = band_fields;
    fields.push_back({"area_m2", OFTReal, ""});
    auto w = set.add_layer("catchment_polygons", wkbMultiPolygon, srs, fields);
    for (std::size_t i = 0; i < F; ++i) {
      if (!r.snaps[i].routable) continue;
      for (std::size_t b = 0; b < B; ++b) {
        const std::string& wkb = r.catchments[i].polygons[b];
        if (wkb.empty()) continue;
        OGRGeometry* geom = nullptr;
        if (OGRGeometryFactory::createFromWkb(wkb.data(), nullptr, &geom, wkb.size()) != OGRERR_NONE)
          throw std::runtime_error("internal error: bad polygon WKB");
        geom = OGRGeometryFactory::forceToMultiPolygon(geom);
        auto f = w.new_feature();
        f->SetField(w.field("fac_id"), facilities[i].id.c_str());
        f->SetField(w.field("name"), facilities[i].name.c_str());
        set_band(*f, w, b);
        f->SetField(w.field("area_m2"), r.catchments[i].areas_m2[b]);
        f->SetGeometryDirectly(geom);
        w.write(*f);
      }
      tick();
    }
  }
  if (o.mode == CatchmentMode::Nearest) {
    auto w = set.add_layer("network_nearest", wkbLineString, srs,
                           {{"edge_id", OFTInteger, ""},
                            {"source_id", OFTInteger64, "source_id"},
                            {"class", OFTString, ""},
                            {"nearest_facility", OFTString, "nearest_fa"},
                            {"fac_name", OFTString, ""},
                            {"distance_m", OFTReal, ""},
                            {"dist_max_m", OFTReal, ""},
                            {"band_m", OFTReal, ""},
                            {"band_min", OFTReal, ""}});
    for (auto& p : r.network) {
      auto f = w.new_feature();
      f->SetField(w.field("edge_id"), static_cast<int>(p.edge));
      f->SetField(w.field("source_id"), static_cast<GIntBig>(g.edge_source_id[p.edge]));
      f->SetField(w.field("class"), g.class_names[g.edge_class[p.edge]].c_str());
      if (p.facility != kInvalid) {
        f->SetField(w.field("nearest_facility"), facilities[p.facility].id.c_str());
        f->SetField(w.field("fac_name"), facilities[p.facility].name.c_str());
        f->SetField(w.field("distance_m"), p.d_min);
        f->SetField(w.field("dist_max_m"), p.d_max);
      }
      if (p.band < B) {
        f->SetField(w.field("band_m"), o.thresholds_m[p.band]);
        if (minutes) f->SetField(w.field("band_min"), o.thresholds_min[p.band]);
      }
      f->SetGeometryDirectly(line_geom(slice_edge(g, p.edge, p.from, p.to)));
      w.write(*f);
      tick();
    }
  }
  report(progress, 1.0, "writing");
  set.commit();
  return set.paths();
}

}  // namespace walkshed
