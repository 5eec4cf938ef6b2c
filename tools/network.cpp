// The road network of every command: options, loading or building, summary.
#include <chrono>
#include <iostream>
#include <sstream>

#include "commands.hpp"

namespace cli {

std::string graph_summary(const walkshed::Graph& g, const walkshed::GraphReport* rep) {
  std::ostringstream s;
  const auto n = g.node_count();
  s << "graph: " << n << " nodes, " << g.edge_count() << " edges, " << g.arc_count() / 2
    << " node pairs searched, EPSG:" << g.epsg << "\n";
  s << "components: " << g.component_size.size();
  if (!g.component_size.empty())
    s << " (largest " << g.component_size[0] << " nodes = " << fmt(100.0 * g.component_size[0] / n) << " %)";
  s << "\n";
  if (rep) {
    s << "length: " << fmt(rep->total_length_m / 1000, 2) << " km in " << rep->lines_in << " lines\n";
    s << "checks: " << rep->dead_ends << " dead ends, " << rep->near_miss_ends << " near-miss ends, "
      << rep->snapped_ends << " ends snapped, " << rep->parallel_edges << " parallel edges (" << rep->duplicate_edges
      << " duplicates), " << rep->loop_edges << " loops, " << rep->spike_vertices << " spike vertices, "
      << rep->repeated_points << " repeated points removed, " << rep->degenerate_lines << " degenerate lines dropped";
    if (rep->ends_off_node) s << ", " << rep->ends_off_node << " lines with an end away from its node";
    s << "\n";
  }
  return s.str();
}

void add_network_options(CLI::App& app, NetworkArgs& a) {
  app.add_option("--layer", a.roads.layer, "Roads layer (default: 'lines' for OSM files, else the first)");
  app.add_option("--where", a.roads.where, "OGR attribute filter on the roads layer (e.g. \"class <> 'motorway'\")");
  app.add_option("--roads-srs", a.roads.source_srs, "CRS of the roads when the file has none or a wrong one");
  app.add_option("--crs", a.roads.target_srs,
                 "Working metric CRS (default: CGCS2000 3-degree GK zone in China, else UTM)");
  app.add_option("--class-field", a.roads.class_field, "Non-OSM: field kept as the edge class (default: highway)");
  app.add_option("--node-fields", a.node_fields,
                 "Non-OSM: integer fields with each line's start and end node (e.g. u,v of walkshed's exported "
                 "edges or OSMnx, source,target of pgRouting): the layer's own topology, no noding by geometry; "
                 "outputs keep these node ids")
      ->delimiter(',')
      ->expected(2);
  app.add_option("--highways", a.highways,
                 "OSM: comma list of highway values to walk on, replacing the default list");
  app.add_flag("--allow-private", a.roads.allow_private, "OSM: keep access=private/no ways");
  app.add_option("--snap-tolerance", a.graph.snap_tolerance,
                 "Join line ends to another line this close, metres (default: 0.001 for non-OSM lines, "
                 "0 for OSM)")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--near-miss", a.graph.near_miss_distance,
                 "Report line ends this close to another line without meeting it (metres)")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
}

walkshed::Graph load_network(NetworkArgs& a, const Common& common) {
  using Clock = std::chrono::steady_clock;
  auto t = Clock::now();
  if (walkshed::is_graph_file(a.roads.path)) {
    auto g = walkshed::load_graph(a.roads.path);
    a.read_s = std::chrono::duration<double>(Clock::now() - t).count();
    say(common, "loaded graph " + a.roads.path + " in " +
                    fmt(std::chrono::duration<double>(Clock::now() - t).count() * 1000, 1) + " ms");
    say(common, graph_summary(g, nullptr));
    return g;
  }
  if (!a.highways.empty()) {
    std::stringstream ss(a.highways);
    std::string h;
    while (std::getline(ss, h, ',')) a.roads.highways.push_back(h);
  }
  if (a.node_fields.size() == 2) a.roads.from_node_field = a.node_fields[0], a.roads.to_node_field = a.node_fields[1];
  auto progress = make_progress(common);
  walkshed::RoadSet roads = walkshed::load_roads(a.roads, progress);
  a.source_crs = roads.source_crs;
  const double t_read = a.read_s = std::chrono::duration<double>(Clock::now() - t).count();
  t = Clock::now();
  walkshed::GraphReport rep;
  auto g = walkshed::build_graph(roads, a.graph, &rep);
  const double t_build = a.build_s = std::chrono::duration<double>(Clock::now() - t).count();
  std::string dropped;
  std::int64_t ndropped = 0;
  for (auto& [reason, n] : roads.dropped) {
    dropped += (dropped.empty() ? "" : ", ") + reason + " " + std::to_string(n);
    ndropped += n;
  }
  say(common, "roads: " + std::to_string(roads.features_read) + " features read from " + a.roads.path +
                  (roads.osm ? " (OSM walking rule)" : "") +
                  (roads.from_node.empty() ? "" : " (nodes from fields " + a.node_fields[0] + "," + a.node_fields[1] + ")") + ", " + std::to_string(roads.lines.size()) +
                  " lines kept, " + std::to_string(ndropped) + " dropped" + (dropped.empty() ? "" : " (" + dropped + ")"));
  say(common, graph_summary(g, &rep) + "time: read " + fmt(t_read, 3) + " s, build " + fmt(t_build, 3) + " s");
  return g;
}

void crs_note(const Common& common, const std::string& what, const std::string& layer_crs, const NetworkArgs& net,
              const walkshed::Graph& graph) {
  if (common.quiet || net.source_crs.empty() || layer_crs == net.source_crs) return;
  std::cerr << "walkshed: note: " << what << " are in " << layer_crs << ", the roads in " << net.source_crs
            << "; both are reprojected to the working CRS EPSG:" << graph.epsg << "\n";
}

}  // namespace cli
