// Catchment layers through GDAL (lines, polygons, facilities, network labels) and the
// reached-nodes CSV.
#include <charconv>
#include <cmath>
#include <cstdio>

#include "core/parallel.hpp"
#include "walkshed/io/catchment.hpp"
#include "walkshed/core/error.hpp"
#include "walkshed/io/output.hpp"

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

void write_reached_nodes(const Graph& g, const std::vector<Facility>& facilities, const CatchmentResult& r,
                         const std::string& path) {
  const std::string tmp = path + ".tmp";
  std::FILE* f = std::fopen(tmp.c_str(), "w");
  if (!f) throw OutputError("cannot write '" + path + "'");
  bool ok = std::fputs("fac_id,node,x,y,distance_m\n", f) >= 0;
  // "node,x,y," of each reached node formatted once (a node is in several catchments), on all cores.
  const std::size_t N = g.node_count();
  std::vector<std::uint8_t> used(N, 0);
  for (auto& c : r.catchments)
    for (auto& nd : c.nodes) used[nd.first] = 1;
  const int runs = detail::thread_count(0, N / 16384 + 1);
  std::vector<std::string> part(runs);  // run k: nodes [N k / runs, N (k + 1) / runs)
  std::vector<std::uint32_t> start(N);  // node n's text begins at start[n] in its run's part
  auto run_end = [&](std::size_t k) { return N * (k + 1) / runs; };
  detail::parallel_for(runs, runs, {}, "", [&](std::size_t k, int) {
    std::string& s = part[k];
    char num[24];
    for (std::size_t n = N * k / runs; n < run_end(k); ++n) {
      start[n] = static_cast<std::uint32_t>(s.size());
      if (!used[n]) continue;
      s.append(num, std::to_chars(num, num + sizeof num, g.node_id(n)).ptr);
      s += ',';
      append_fixed(s, g.node_x[n], 3), s += ',', append_fixed(s, g.node_y[n], 3), s += ',';
    }
  });
  auto node_text = [&](std::size_t n, std::string& out) {
    std::size_t k = 0;
    while (n >= run_end(k)) ++k;
    const std::size_t end = n + 1 == run_end(k) ? part[k].size() : start[n + 1];
    out.append(part[k], start[n], end - start[n]);
  };

  // Blocks of facilities formatted on all cores, written in order, a wave at a time.
  constexpr std::size_t kBlock = 32;
  const std::size_t blocks = (facilities.size() + kBlock - 1) / kBlock;
  const int threads = detail::thread_count(0, blocks);
  std::vector<std::string> text(std::min<std::size_t>(blocks, 4 * threads));
  for (std::size_t first = 0; ok && first < blocks; first += text.size()) {
    const std::size_t count = std::min(text.size(), blocks - first);
    detail::parallel_for(count, threads, {}, "", [&](std::size_t k, int) {
      std::string& buf = text[k];
      buf.clear();
      const std::size_t end = std::min(facilities.size(), (first + k + 1) * kBlock);
      for (std::size_t i = (first + k) * kBlock; i < end; ++i) {
        const std::string id = csv_text(facilities[i].id) + ',';
        for (auto& [n, d] : r.catchments[i].nodes) {
          buf += id;
          node_text(n, buf);
          append_fixed(buf, d, 6), buf += '\n';
        }
      }
    });
    for (std::size_t k = 0; ok && k < count; ++k) ok = std::fwrite(text[k].data(), 1, text[k].size(), f) == text[k].size();
  }
  ok = ok && std::fflush(f) == 0 && !std::ferror(f);
  std::fclose(f);
  if (!ok || std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    throw OutputError("cannot write '" + path + "'");
  }
}

}  // namespace walkshed
