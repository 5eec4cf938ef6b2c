// Catchment layers through GDAL (lines, polygons, facilities, network labels) and the
// reached-nodes CSV.
#include <charconv>
#include <cmath>
#include <cstdio>

#include "core/parallel.hpp"
#include "walkshed/core/temp.hpp"
#include "walkshed/core/written.hpp"
#include "walkshed/io/catchment.hpp"
#include "walkshed/core/error.hpp"
#include "io/gdal/styles.hpp"
#include "walkshed/io/output.hpp"

namespace walkshed {

namespace {

using I = std::int64_t;

// What a catchment layer's row points at.
struct BandRow {
  std::size_t facility, band;
  double value;  // length_m or area_m2
};

struct Context {
  const Graph& g;
  const std::vector<Facility>& facilities;
  const CatchmentOptions& o;
  const CatchmentResult& r;
  FieldValue band_min(std::size_t b) const {
    return o.thresholds_min.empty() ? FieldValue{} : FieldValue{o.thresholds_min[b]};
  }
};

Schema<std::size_t> facility_columns(const Context& c) {
  auto snap = [&c](std::size_t i) -> const FacilitySnap& { return c.r.snaps[i]; };
  return {
      {"fac_id", FieldType::Text, "", "设施编号", [&c](std::size_t i) { return FieldValue{c.facilities[i].id.c_str()}; }},
      {"name", FieldType::Text, "", "名称", [&c](std::size_t i) { return FieldValue{c.facilities[i].name.c_str()}; }},
      {"operator_id", FieldType::Text, "op_id", "运营商编号", [&c](std::size_t i) {
         const std::string& op = c.facilities[i].operator_id;
         return op.empty() ? FieldValue{} : FieldValue{op.c_str()};
       }},
      {"routable", FieldType::Integer, "", "可接入路网", [=](std::size_t i) { return FieldValue{I(snap(i).routable)}; }},
      {"snap_m", FieldType::Real, "", "到路网距离(米)",
       [=](std::size_t i) { return snap(i).routable ? FieldValue{snap(i).snap.distance} : FieldValue{}; }},
      {"edge_id", FieldType::Integer, "", "接入路段编号",
       [=](std::size_t i) { return snap(i).routable ? FieldValue{I(snap(i).snap.edge)} : FieldValue{}; }},
      {"offset_m", FieldType::Real, "", "沿路段位置(米)",
       [=](std::size_t i) { return snap(i).routable ? FieldValue{snap(i).snap.offset} : FieldValue{}; }},
      {"comp_nodes", FieldType::Integer, "", "所在路网连通分量节点数",
       [=, &c](std::size_t i) {
         return snap(i).routable ? FieldValue{I(c.g.component_size[c.g.component[c.g.edge_u[snap(i).snap.edge]]])} : FieldValue{};
       }},
      {"nodes_in", FieldType::Integer, "", "最大范围内节点数",
       [=, &c](std::size_t i) { return snap(i).routable ? FieldValue{I(c.r.catchments[i].reached_nodes)} : FieldValue{}; }},
  };
}

Schema<std::size_t> not_routable_columns(const Context& c) {
  return {
      {"fac_id", FieldType::Text, "", "设施编号", [&c](std::size_t i) { return FieldValue{c.facilities[i].id.c_str()}; }},
      {"name", FieldType::Text, "", "名称", [&c](std::size_t i) { return FieldValue{c.facilities[i].name.c_str()}; }},
      {"reason", FieldType::Text, "", "原因", [&c](std::size_t i) { return FieldValue{c.r.snaps[i].reason.c_str()}; }},
      {"nearest_m", FieldType::Real, "", "最近路段距离(米)",
       [&c](std::size_t i) { return c.r.snaps[i].nearest_m >= 0 ? FieldValue{c.r.snaps[i].nearest_m} : FieldValue{}; }},
  };
}

Schema<std::size_t> snap_line_columns(const Context& c) {
  return {
      {"fac_id", FieldType::Text, "", "设施编号", [&c](std::size_t i) { return FieldValue{c.facilities[i].id.c_str()}; }},
      {"snap_m", FieldType::Real, "", "到路网距离(米)", [&c](std::size_t i) { return FieldValue{c.r.snaps[i].snap.distance}; }},
  };
}

// catchment_lines (value: length_m) and catchment_polygons (value: area_m2).
Schema<BandRow> band_columns(const Context& c, const char* value, const char* label) {
  return {
      {"fac_id", FieldType::Text, "", "设施编号", [&c](const BandRow& b) { return FieldValue{c.facilities[b.facility].id.c_str()}; }},
      {"name", FieldType::Text, "", "名称", [&c](const BandRow& b) { return FieldValue{c.facilities[b.facility].name.c_str()}; }},
      {"band_m", FieldType::Real, "", "步行距离(米)", [&c](const BandRow& b) { return FieldValue{c.o.thresholds_m[b.band]}; }},
      {"band_min", FieldType::Real, "", "步行时间(分钟)", [&c](const BandRow& b) { return c.band_min(b.band); }},
      {value, FieldType::Real, "", label, [](const BandRow& b) { return FieldValue{b.value}; }},
  };
}

Schema<NetworkPiece> network_columns(const Context& c) {
  const std::size_t B = c.o.thresholds_m.size();
  auto fac = [&c](const NetworkPiece& p) -> const Facility* {
    return p.facility == kInvalid ? nullptr : &c.facilities[p.facility];
  };
  return {
      {"edge_id", FieldType::Integer, "", "路段编号", [](const NetworkPiece& p) { return FieldValue{I(p.edge)}; }},
      {"source_id", FieldType::Integer64, "source_id", "源数据编号",
       [&c](const NetworkPiece& p) { return FieldValue{I(c.g.edge_source_id[p.edge])}; }},
      {"class", FieldType::Text, "", "道路等级",
       [&c](const NetworkPiece& p) { return FieldValue{c.g.class_names[c.g.edge_class[p.edge]].c_str()}; }},
      {"nearest_facility", FieldType::Text, "nearest_fa", "最近设施编号",
       [=](const NetworkPiece& p) { return fac(p) ? FieldValue{fac(p)->id.c_str()} : FieldValue{}; }},
      {"fac_name", FieldType::Text, "", "最近设施名称",
       [=](const NetworkPiece& p) { return fac(p) ? FieldValue{fac(p)->name.c_str()} : FieldValue{}; }},
      {"distance_m", FieldType::Real, "", "最短步行距离(米)",
       [=](const NetworkPiece& p) { return fac(p) ? FieldValue{p.d_min} : FieldValue{}; }},
      {"dist_max_m", FieldType::Real, "", "最长步行距离(米)",
       [=](const NetworkPiece& p) { return fac(p) ? FieldValue{p.d_max} : FieldValue{}; }},
      {"band_m", FieldType::Real, "", "步行距离(米)",
       [&c, B](const NetworkPiece& p) { return p.band < B ? FieldValue{c.o.thresholds_m[p.band]} : FieldValue{}; }},
      {"band_min", FieldType::Real, "", "步行时间(分钟)",
       [&c, B](const NetworkPiece& p) { return p.band < B ? c.band_min(p.band) : FieldValue{}; }},
  };
}

OGRLineString* line_geom(const Polyline& l) {
  auto* ls = new OGRLineString();
  ls->setNumPoints(l.size());
  for (size_t i = 0; i < l.size(); ++i) ls->setPoint(i, l[i].x, l[i].y);
  return ls;
}

}  // namespace

std::vector<std::string> write_catchments(const Graph& g, const std::vector<Facility>& facilities,
                                          const CatchmentOptions& o, const CatchmentResult& r,
                                          const OutputOptions& out, const Progress& progress) {
  OutputTarget target(out);
  OutputSet& set = target.set();
  const OGRSpatialReference srs = working_srs(g.crs_wkt);
  const Context c{g, facilities, o, r};
  const std::size_t F = facilities.size(), B = o.thresholds_m.size();
  const std::size_t total = 2 * F + (o.polygons ? F : 0) + r.network.size();
  std::size_t done = 0;
  auto tick = [&]() {
    if (++done % 1024 == 0) report(progress, double(done) / total, "writing");
  };
  auto point = [&](std::size_t i) { return new OGRPoint(facilities[i].point.x, facilities[i].point.y); };
  {
    const auto schema = facility_columns(c);
    auto w = set.add_layer("facilities", wkbPoint, srs, schema);
    for (std::size_t i = 0; i < F; ++i) {
      auto f = w.new_feature(schema, i);
      f->SetGeometryDirectly(point(i));
      w.write(*f);
      tick();
    }
  }
  {
    const auto schema = not_routable_columns(c);
    auto w = set.add_layer("not_routable", wkbPoint, srs, schema);
    for (std::size_t i = 0; i < F; ++i) {
      if (r.snaps[i].routable) continue;
      auto f = w.new_feature(schema, i);
      f->SetGeometryDirectly(point(i));
      w.write(*f);
    }
  }
  {
    const auto schema = snap_line_columns(c);
    auto w = set.add_layer("snap_lines", wkbLineString, srs, schema);
    for (std::size_t i = 0; i < F; ++i) {
      if (!r.snaps[i].routable) continue;
      auto f = w.new_feature(schema, i);
      f->SetGeometryDirectly(line_geom({facilities[i].point, r.snaps[i].snap.point}));
      w.write(*f);
    }
  }
  {
    const auto schema = band_columns(c, "length_m", "可达路网长度(米)");
    auto w = set.add_layer("catchment_lines", wkbMultiLineString, srs, schema);
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
        auto f = w.new_feature(schema, BandRow{i, b, length});
        f->SetGeometryDirectly(multi);
        w.write(*f);
      }
      tick();
    }
  }
  if (o.polygons) {
    const auto schema = band_columns(c, "area_m2", "服务范围面积(平方米)");
    auto w = set.add_layer("catchment_polygons", wkbMultiPolygon, srs, schema);
    for (std::size_t i = 0; i < F; ++i) {
      if (!r.snaps[i].routable) continue;
      for (std::size_t b = 0; b < B; ++b) {
        const std::string& wkb = r.catchments[i].polygons[b];
        if (wkb.empty()) continue;
        OGRGeometry* geom = nullptr;
        if (OGRGeometryFactory::createFromWkb(wkb.data(), nullptr, &geom, wkb.size()) != OGRERR_NONE)
          throw std::runtime_error("internal error: bad polygon WKB");
        geom = OGRGeometryFactory::forceToMultiPolygon(geom);
        auto f = w.new_feature(schema, BandRow{i, b, r.catchments[i].areas_m2[b]});
        f->SetGeometryDirectly(geom);
        w.write(*f);
      }
      tick();
    }
  }
  if (o.mode == CatchmentMode::Nearest) {
    const auto schema = network_columns(c);
    auto w = set.add_layer("network_nearest", wkbLineString, srs, schema);
    for (auto& p : r.network) {
      const std::unique_ptr<OGRGeometry> line(line_geom(slice_edge(g, p.edge, p.from, p.to)));
      w.write(schema, p, line.get());
      tick();
    }
  }
  report(progress, 1.0, "writing");
  detail::style_catchment_layers(set, o.thresholds_m, o.polygons, o.mode == CatchmentMode::Nearest);
  return target.commit();
}

void write_reached_nodes(const Graph& g, const std::vector<Facility>& facilities, const CatchmentResult& r,
                         const std::string& path, int threads) {
  const std::string tmp = temp_path_for(path);
  std::FILE* f = std::fopen(tmp.c_str(), "w");
  if (!f) throw OutputError("cannot write '" + path + "'");
  bool ok = std::fputs("fac_id,node,x,y,distance_m\n", f) >= 0;
  // "node,x,y," of each reached node formatted once (a node is in several catchments).
  const std::size_t N = g.node_count();
  std::vector<std::uint8_t> used(N, 0);
  for (auto& c : r.catchments)
    for (auto& nd : c.nodes) used[nd.first] = 1;
  const int runs = detail::thread_count(threads, N / 16384 + 1);
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

  // Blocks of facilities formatted in parallel, written in order, a wave at a time.
  constexpr std::size_t kBlock = 32;
  const std::size_t blocks = (facilities.size() + kBlock - 1) / kBlock;
  const int workers = detail::thread_count(threads, blocks);
  std::vector<std::string> text(std::min<std::size_t>(blocks, 4 * workers));
  for (std::size_t first = 0; ok && first < blocks; first += text.size()) {
    const std::size_t count = std::min(text.size(), blocks - first);
    detail::parallel_for(count, workers, {}, "", [&](std::size_t k, int) {
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
  note_written(path, {path});
}

}  // namespace walkshed
