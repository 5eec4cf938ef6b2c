#include "walkshed/jobs/network.hpp"

#include <algorithm>
#include <filesystem>
#include <sstream>
#include <unordered_map>

#include "jobs/clock.hpp"
#include "walkshed/core/china_datum.hpp"
#include "walkshed/core/text.hpp"
#include "walkshed/core/error.hpp"
#include "walkshed/io/graph.hpp"
#include "walkshed/io/output.hpp"
#include "walkshed/io/roads.hpp"
#include "walkshed/routing/snap.hpp"

namespace walkshed {

using detail::Clock;
using detail::seconds_since;

std::string graph_summary(const Graph& g, const GraphReport* rep) {
  std::ostringstream s;
  const auto n = g.node_count();
  s << "graph: " << n << " nodes, " << g.edge_count() << " edges, " << g.arc_count() / 2
    << " node pairs searched, EPSG:" << g.epsg << "\n";
  if (n > 0) {
    const auto [x0, x1] = std::minmax_element(g.node_x.begin(), g.node_x.end());
    const auto [y0, y1] = std::minmax_element(g.node_y.begin(), g.node_y.end());
    s << "extent: " << fixed(*x0, 1) << ' ' << fixed(*y0, 1) << ' ' << fixed(*x1, 1) << ' ' << fixed(*y1, 1)
      << " (junctions, working CRS)\n";
  }
  s << "components: " << g.component_size.size();
  if (!g.component_size.empty())
    s << " (largest " << g.component_size[0] << " nodes = " << fixed(100.0 * g.component_size[0] / n, 1) << " %)";
  s << "\n";
  if (rep) {
    s << "length: " << fixed(rep->total_length_m / 1000, 2) << " km in " << rep->lines_in << " lines\n";
    s << "checks: " << rep->dead_ends << " dead ends, " << rep->near_miss_ends << " near-miss ends, "
      << rep->snapped_ends << " ends snapped, " << rep->parallel_edges << " parallel edges (" << rep->duplicate_edges
      << " duplicates), " << rep->loop_edges << " loops, " << rep->spike_vertices << " spike vertices, "
      << rep->repeated_points << " repeated points removed, " << rep->degenerate_lines << " degenerate lines dropped";
    if (rep->ends_off_node) s << ", " << rep->ends_off_node << " lines with an end away from its node";
    if (rep->non_finite_lines) s << ", " << rep->non_finite_lines << " lines with a coordinate that is not a number dropped";
    if (rep->long_segment_lines) s << ", " << rep->long_segment_lines << " lines with a segment over 100 km dropped";
    if (!rep->implausible_ids.empty()) {
      s << " (ids";
      for (auto id : rep->implausible_ids) s << ' ' << id;
      s << ")";
    }
    s << "\n";
  }
  return s.str();
}

Graph open_network(const NetworkInput& in, const Progress& progress, const Log& log, NetworkReport* report) {
  NetworkReport local;
  NetworkReport& rep = report ? *report : local;
  rep = {};
  auto t = Clock::now();
  if (is_graph_file(in.roads.path)) {
    Graph g = load_graph(in.roads.path);
    rep.saved_graph = true;
    rep.read_s = seconds_since(t);
    log.info("loaded graph " + in.roads.path + " in " + fixed(rep.read_s * 1000, 1) + " ms");
    std::string summary = graph_summary(g, nullptr);
    summary.pop_back();
    log.info(summary);
    return g;
  }
  RoadOptions roads_options = in.roads;
  roads_options.threads = in.threads;
  const RoadSet roads = load_roads(roads_options, progress);
  rep.source_crs = roads.source_crs;
  rep.features_read = roads.features_read;
  rep.lines_kept = roads.lines.size();
  rep.dropped = roads.dropped;
  rep.read_s = seconds_since(t);
  t = Clock::now();
  GraphOptions graph_options = in.graph;
  graph_options.threads = in.threads;
  Graph g = build_graph(roads, graph_options, &rep.checks);
  rep.build_s = seconds_since(t);
  std::string dropped;
  std::int64_t ndropped = 0;
  for (auto& [reason, n] : roads.dropped) {
    dropped += (dropped.empty() ? "" : ", ") + reason + " " + std::to_string(n);
    ndropped += n;
  }
  log.info("roads: " + std::to_string(roads.features_read) + " features read from " + in.roads.path +
           (roads.osm ? " (OSM walking rule)"
            : roads.walking_rule ? " (OSM walking rule on its highway field; `roads.walking_rule` to keep every line)"
                                 : "") +
           (roads.from_node.empty() ? "" : " (nodes from fields " + in.roads.from_node_field + "," + in.roads.to_node_field + ")") +
           ", " + std::to_string(roads.lines.size()) + " lines kept, " + std::to_string(ndropped) + " dropped" +
           (dropped.empty() ? "" : " (" + dropped + ")"));
  if (rep.checks.non_finite_lines + rep.checks.long_segment_lines > 0) {
    std::string ids;
    for (auto id : rep.checks.implausible_ids) ids += (ids.empty() ? "" : ", ") + std::to_string(id);
    log.warning(std::to_string(rep.checks.non_finite_lines + rep.checks.long_segment_lines) + " road lines of " +
                in.roads.path + " dropped: a coordinate that is not a number, or a segment over 100 km (a stray "
                "vertex, or coordinates in another CRS than the layer states); first ids " + ids);
  }
  log.info(graph_summary(g, &rep.checks) + "time: read " + fixed(rep.read_s, 3) + " s, build " + fixed(rep.build_s, 3) + " s");
  return g;
}

Graph open_network(NetworkInput input, int threads, const Progress& progress, const Log& log, NetworkReport& report,
                   std::vector<std::pair<std::string, double>>& timings) {
  input.threads = threads;
  Graph g = open_network(input, progress, log, &report);
  timings.emplace_back("read roads", report.read_s);
  timings.emplace_back("build graph", report.build_s);
  poll(progress);
  return g;
}

void note_crs(const Log& log, const std::string& what, const std::string& layer_crs, const NetworkReport& net,
              const Graph& graph) {
  if (net.source_crs.empty() || layer_crs == net.source_crs) return;
  log.note(what + " are in " + layer_crs + ", the roads in " + net.source_crs +
           "; both are reprojected to the working CRS EPSG:" + std::to_string(graph.epsg));
}

void warn_duplicate_ids(const Log& log, const std::string& what, const std::vector<std::string>& ids) {
  std::unordered_map<std::string, int> seen;
  std::vector<std::string> repeated;
  std::int64_t n = 0;
  for (auto& id : ids)
    if (++seen[id] == 2) {
      ++n;
      if (repeated.size() < 5) repeated.push_back(id);
    }
  if (!n) return;
  std::string list;
  for (auto& id : repeated) list += (list.empty() ? "" : ", ") + id;
  log.warning(std::to_string(n) + " " + what + " ids are used more than once (" + list + (n > 5 ? ", ..." : "") +
              "): the results cannot be joined back by id");
}

void warn_encoding(const Log& log, const std::string& path, std::int64_t invalid) {
  if (invalid <= 0) return;
  log.warning(std::to_string(invalid) + " text values of " + path +
              " are not UTF-8 (their bad bytes are written as U+FFFD): the file is probably in a local encoding; "
              "for a Shapefile without .cpg give `encoding` (e.g. GBK)");
}

namespace {

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
  return v[v.size() / 2];
}

}  // namespace

void suggest_datum(const Log& log, const Graph& g, const PointLayerOptions& layer, const std::vector<double>& snap_m,
                   double max_snap, const std::string& option) {
  const double as_read = median(snap_m);
  if (!layer.datum.empty() || snap_m.size() < 5 || as_read < 10) return;  // close enough as it is
  const EdgeIndex edges(g);
  double best = as_read;
  Datum best_datum = Datum::WGS84;
  for (Datum d : {Datum::GCJ02, Datum::BD09}) {
    PointLayerOptions o = layer;
    o.datum = datum_name(d);
    PointLayer shifted;
    try {
      shifted = load_points(o, g.crs_wkt);
    } catch (const InputError&) {
      return;  // not a lon/lat layer
    }
    std::vector<double> m;
    for (auto& f : shifted.items) {
      const Snap s = edges.nearest(f.point, max_snap);
      m.push_back(s.edge == kInvalid ? max_snap : s.distance);
    }
    const double at = median(m);
    if (at < best) best = at, best_datum = d;
  }
  if (best_datum == Datum::WGS84 || best > 0.7 * as_read || as_read - best < 5) return;
  log.warning("the points of " + layer.path + " sit a median " + fixed(as_read, 0) + " m from the network, but " +
              fixed(best, 0) + " m read as " + datum_name(best_datum) + " (" +
              (best_datum == Datum::GCJ02 ? "Amap, Tencent" : "Baidu") +
              " coordinates): if they come from such a map service, give `" + option + "` " + datum_name(best_datum));
}

GraphJobReport run_graph(const GraphJob& job, const Progress& progress, const Log& log) {
  GraphJobReport rep;
  if (!job.export_edges.empty()) output_format(job.export_edges, "");
  const std::string ext = std::filesystem::path(job.save).extension().string();
  if (!job.save.empty() && ext != ".wsg")
    throw OutputError("graph file '" + job.save + "': a saved graph is walkshed's own format; name it .wsg");
  check_outputs({job.save, job.export_edges}, {job.network.roads.path}, job.overwrite);
  const Graph g = open_network(job.network, progress, log, &rep.network);
  poll(progress);
  if (!job.save.empty()) {
    save_graph(g, job.save);
    log.info("saved " + job.save);
    rep.files.push_back(job.save);
  }
  if (!job.export_edges.empty()) {
    OutputOptions out{job.export_edges};
    out.inputs = {job.network.roads.path, job.save};
    out.overwrite = job.overwrite;
    write_graph_layers(g, out);
    log.info("wrote " + job.export_edges);
    rep.files.push_back(job.export_edges);
  }
  return rep;
}

}  // namespace walkshed
