// walkshed_bench: the search kernel against a plain CSR Dijkstra (binary heap, timestamped distances)
// on the same graph and sources, and the thread speed-up of the catchment batch; or reading a
// GeoPackage line table: walkshed's reader (SQLite) against GDAL's Arrow stream. Not a test.
//   walkshed_bench GRAPH.wsg [--facilities 1000] [--distance 1000] [--runs 5]
//   walkshed_bench --read ROADS.gpkg [--layer NAME] [--runs 5]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <queue>
#include <random>
#include <string>
#include <vector>

#include <gdal_priv.h>
#include <ogr_recordbatch.h>
#include <ogrsf_frmts.h>

#include "walkshed/catchment/catchment.hpp"
#include "walkshed/core/error.hpp"
#include "walkshed/io/crs.hpp"
#include "walkshed/io/roads.hpp"
#include "walkshed/routing/search.hpp"

namespace {

using Clock = std::chrono::steady_clock;

// The reference: textbook Dijkstra on the CSR arrays, no labels, no settled flags.
struct Plain {
  const walkshed::Graph& g;
  std::vector<double> dist;
  std::vector<std::uint32_t> stamp;
  std::uint32_t now = 0;
  std::vector<std::pair<double, std::uint32_t>> heap;
  explicit Plain(const walkshed::Graph& graph) : g(graph), dist(graph.node_count()), stamp(graph.node_count(), 0) {}
  std::size_t run(std::uint32_t u, double du, std::uint32_t v, double dv, double limit) {
    ++now;
    heap.clear();
    std::size_t settled = 0;
    auto relax = [&](std::uint32_t n, double d) {
      if (d > limit || (stamp[n] == now && dist[n] <= d)) return;
      stamp[n] = now, dist[n] = d;
      heap.push_back({d, n});
      std::push_heap(heap.begin(), heap.end(), std::greater<>());
    };
    relax(u, du), relax(v, dv);
    while (!heap.empty()) {
      std::pop_heap(heap.begin(), heap.end(), std::greater<>());
      auto [d, n] = heap.back();
      heap.pop_back();
      if (d != dist[n]) continue;
      ++settled;
      for (auto a = g.first_out[n]; a < g.first_out[n + 1]; ++a) relax(g.head[a], d + g.weight[a]);
    }
    return settled;
  }
};

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// Appends the lines of an ISO/OGC WKB LineString or MultiLineString (any dimension); false otherwise.
bool add_wkb(const unsigned char* p, std::size_t n, walkshed::LineSet& out, std::size_t& used) {
  if (n < 9) return false;
  const bool le = p[0] == 1;
  auto u32 = [&](const unsigned char* q) {
    std::uint32_t v;
    std::memcpy(&v, q, 4);
    return le ? v : __builtin_bswap32(v);
  };
  auto f64 = [&](const unsigned char* q) {
    std::uint64_t v;
    std::memcpy(&v, q, 8);
    if (!le) v = __builtin_bswap64(v);
    double d;
    std::memcpy(&d, &v, 8);
    return d;
  };
  std::uint32_t type = u32(p + 1);
  const int dims = 2 + (type / 1000 == 1 || type / 1000 == 2) + (type / 1000 == 3) * 2 + (type & 0x80000000u ? 1 : 0);
  type %= 1000;
  if (type == 5) {
    const std::uint32_t parts = u32(p + 5);
    std::size_t at = 9;
    for (std::uint32_t k = 0; k < parts; ++k) {
      std::size_t u = 0;
      if (!add_wkb(p + at, n - at, out, u)) return false;
      at += u;
    }
    used = at;
    return true;
  }
  if (type != 2) return false;
  const std::uint32_t count = u32(p + 5);
  if (9 + std::size_t(count) * dims * 8 > n) return false;
  std::vector<walkshed::XY> pts(count);
  for (std::uint32_t i = 0; i < count; ++i) pts[i] = {f64(p + 9 + i * dims * 8), f64(p + 17 + i * dims * 8)};
  out.add(pts.data(), pts.size());
  used = 9 + std::size_t(count) * dims * 8;
  return true;
}

// Every line of the layer through OGR_L_GetArrowStream (geometry as WKB) into a RoadSet with FIDs and
// the class field, and the working CRS chosen as load_roads chooses it.
std::size_t read_arrow(const std::string& path, const std::string& layer_name) {
  GDALAllRegister();
  std::unique_ptr<GDALDataset> ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
  if (!ds) throw walkshed::InputError("cannot open " + path);
  OGRLayer* layer = layer_name.empty() ? ds->GetLayer(0) : ds->GetLayerByName(layer_name.c_str());
  if (!layer) throw walkshed::InputError("no layer " + layer_name);
  ArrowArrayStream stream;
  if (!layer->GetArrowStream(&stream, nullptr)) throw walkshed::InputError("no Arrow stream");
  ArrowSchema schema;
  if (stream.get_schema(&stream, &schema) != 0) throw walkshed::InputError("no Arrow schema");
  int geom = -1;
  const std::string geom_name = layer->GetGeometryColumn();
  for (int64_t i = 0; i < schema.n_children; ++i)
    if (geom_name == schema.children[i]->name || (geom_name.empty() && std::string(schema.children[i]->name) == "wkb_geometry"))
      geom = static_cast<int>(i);
  if (geom < 0) throw walkshed::InputError("no geometry column in the Arrow schema");
  int cls = -1;
  for (int64_t i = 0; i < schema.n_children; ++i)
    if (!std::strcmp(schema.children[i]->name, "highway") || !std::strcmp(schema.children[i]->name, "class"))
      cls = static_cast<int>(i);
  walkshed::RoadSet roads;
  walkshed::LineSet lines;
  std::string road_class;
  while (true) {
    ArrowArray batch;
    if (stream.get_next(&stream, &batch) != 0) throw walkshed::InputError("Arrow stream failed");
    if (!batch.release) break;
    const ArrowArray* g = batch.children[geom];
    const auto* offsets = static_cast<const std::int32_t*>(g->buffers[1]);
    const auto* data = static_cast<const unsigned char*>(g->buffers[2]);
    const ArrowArray* fid = batch.children[0];
    const auto* fid_values = static_cast<const std::int64_t*>(fid->buffers[1]);
    const ArrowArray* c = cls >= 0 ? batch.children[cls] : nullptr;
    for (int64_t r = 0; r < batch.length; ++r) {
      const int64_t k = r + g->offset;
      std::size_t used = 0;
      lines = {};
      if (offsets[k + 1] <= offsets[k] || !add_wkb(data + offsets[k], offsets[k + 1] - offsets[k], lines, used)) continue;
      road_class.clear();
      if (c) {
        const auto* co = static_cast<const std::int32_t*>(c->buffers[1]) + c->offset;
        road_class.assign(static_cast<const char*>(c->buffers[2]) + co[r], co[r + 1] - co[r]);
      }
      for (std::uint32_t i = 0; i < lines.size(); ++i)
        roads.add_line(&lines.points[lines.first[i]], lines.count(i), fid_values[r + fid->offset], road_class);
    }
    batch.release(&batch);
  }
  schema.release(&schema);
  stream.release(&stream);
  OGREnvelope e;
  if (layer->GetExtent(&e) != OGRERR_NONE) return 0;
  OGRSpatialReference srs(*layer->GetSpatialRef());
  srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  roads.epsg = walkshed::metric_epsg_at(srs, (e.MinX + e.MaxX) / 2, (e.MinY + e.MaxY) / 2, path);
  roads.source_crs = walkshed::srs_label(srs);
  return roads.lines.size();
}

int read_bench(const std::string& path, const std::string& layer, int runs) {
  std::vector<double> t_walkshed, t_arrow;
  std::size_t n_walkshed = 0, n_arrow = 0;
  for (int r = 0; r < runs; ++r) {
    auto t = Clock::now();
    walkshed::RoadOptions o;
    o.path = path;
    o.layer = layer;
    const walkshed::RoadSet roads = walkshed::load_roads(o);
    n_walkshed = roads.lines.size();
    t_walkshed.push_back(std::chrono::duration<double>(Clock::now() - t).count());
    if (!roads.read_by_sqlite) std::printf("note: walkshed's reader did not take the SQLite path\n");
    t = Clock::now();
    n_arrow = read_arrow(path, layer);
    t_arrow.push_back(std::chrono::duration<double>(Clock::now() - t).count());
  }
  const double w = median(t_walkshed), a = median(t_arrow);
  std::printf("%s: medians of %d runs\n", path.c_str(), runs);
  std::printf("walkshed load_roads (SQLite; lines, ids, classes, CRS)  %8.4f s  %zu lines\n", w, n_walkshed);
  std::printf("GDAL Arrow stream (the same, WKB parsed)                %8.4f s  %zu lines  ratio %.2f\n", a, n_arrow,
              a / w);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || !std::strcmp(argv[1], "--help")) {
    std::printf("usage: walkshed_bench GRAPH.wsg [--facilities N] [--distance M] [--runs R]\n"
                "       walkshed_bench --read ROADS.gpkg [--layer NAME] [--runs R]\n"
                "example: walkshed graph city.osm.pbf -o city.wsg && walkshed_bench city.wsg --runs 5\n");
    return argc < 2 ? 1 : 0;
  }
  if (!std::strcmp(argv[1], "--read") && argc > 2) {
    std::string layer;
    int runs = 5;
    for (int i = 3; i + 1 < argc; i += 2) {
      if (!std::strcmp(argv[i], "--layer")) layer = argv[i + 1];
      else if (!std::strcmp(argv[i], "--runs")) runs = std::atoi(argv[i + 1]);
    }
    try {
      return read_bench(argv[2], layer, runs);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "walkshed_bench: error: %s\n", e.what());
      return 2;
    }
  }
  int count = 1000, runs = 5;
  double limit = 1000;
  for (int i = 2; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--facilities")) count = std::atoi(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--distance")) limit = std::atof(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--runs")) runs = std::atoi(argv[i + 1]);
  }
  try {
    const walkshed::Graph g = walkshed::load_graph(argv[1]);
    // Facilities: nodes of the largest component, evenly spread, at offset 0 of an incident edge.
    std::vector<walkshed::Facility> facs;
    std::vector<std::uint32_t> nodes;
    for (std::uint32_t n = 0; n < g.node_count(); ++n)
      if (g.component[n] == 0) nodes.push_back(n);
    const std::size_t step = std::max<std::size_t>(1, nodes.size() / count);
    for (std::size_t k = 0; k < nodes.size() && (int)facs.size() < count; k += step)
      facs.push_back({std::to_string(nodes[k]), "", g.node(nodes[k]), nullptr});

    walkshed::Search search(g);
    Plain plain(g);
    std::vector<double> t_plain, t_search, t_batch1, t_batch2;
    std::size_t settled_plain = 0, settled_search = 0;
    for (int r = 0; r < runs; ++r) {
      auto t = Clock::now();
      settled_plain = 0;
      for (auto& f : facs) {
        const auto n = std::stoul(f.id);
        settled_plain += plain.run(n, 0, n, 0, limit);
      }
      t_plain.push_back(std::chrono::duration<double>(Clock::now() - t).count());
      t = Clock::now();
      settled_search = 0;
      for (auto& f : facs) {
        const auto n = std::stoul(f.id);
        search.clear();
        search.add_source(n, 0, 0);
        search.run(limit);
        settled_search += search.reached().size();
      }
      t_search.push_back(std::chrono::duration<double>(Clock::now() - t).count());
      for (int threads : {1, 2}) {
        walkshed::CatchmentOptions o;
        o.thresholds_m = {limit};
        o.polygons = false;
        o.lines = false;
        o.threads = threads;
        auto res = walkshed::compute_catchments(g, facs, o);
        for (auto& [name, sec] : res.timings)
          if (name == "catchments") (threads == 1 ? t_batch1 : t_batch2).push_back(sec);
      }
    }
    const double p = median(t_plain), s = median(t_search), b1 = median(t_batch1), b2 = median(t_batch2);
    std::printf("graph %u nodes, %u arcs; %zu facilities, %.0f m, medians of %d runs\n", g.node_count(),
                g.arc_count(), facs.size(), limit, runs);
    std::printf("plain CSR Dijkstra      %8.4f s  %6.2f M settled/s (%zu settled)\n", p, settled_plain / p / 1e6,
                settled_plain);
    std::printf("walkshed Search         %8.4f s  %6.2f M settled/s (%zu settled)  ratio %.2f\n", s,
                settled_search / s / 1e6, settled_search, s / p);
    std::printf("catchment batch 1 thread %7.4f s, 2 threads %.4f s: speed-up %.2f\n", b1, b2, b1 / b2);
    return settled_plain == settled_search ? 0 : 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "walkshed_bench: error: %s\n", e.what());
    return 2;
  }
}
