#include <chrono>
#include <filesystem>
#include <iostream>

#include "commands.hpp"
#include "walkshed/catchment/catchment.hpp"

namespace cli {

namespace {

struct CatchmentArgs {
  NetworkArgs net;
  walkshed::PointLayerOptions facilities;
  walkshed::CatchmentOptions options;
  walkshed::CatchmentOutputOptions output;
  std::string distances = "300,500,1000";
  std::string minutes;
  double walk_speed = 60;  // metres per minute
  std::string mode = "per-facility";
  bool no_polygons = false;
  bool timings = false;
  std::string reached_nodes;
  bool no_layers = false;
};

void run(CatchmentArgs& a, const Common& common) {
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  auto& o = a.options;
  parse_thresholds(a.distances, a.minutes, a.walk_speed, o.thresholds_m, o.thresholds_min);
  o.mode = a.mode == "nearest" ? walkshed::CatchmentMode::Nearest : walkshed::CatchmentMode::PerFacility;
  o.polygons = !a.no_polygons && !a.no_layers;
  o.lines = !a.no_layers;
  o.keep_nodes = !a.reached_nodes.empty();
  walkshed::validate(o);

  a.net.graph.threads = a.net.roads.threads = o.threads;
  auto g = load_network(a.net, common);
  auto t = Clock::now();
  auto fac = walkshed::load_points(a.facilities, g.crs_wkt);
  const double t_fac = std::chrono::duration<double>(Clock::now() - t).count();
  crs_note(common, "facilities", fac.source_crs, a.net, g);
  say(common, "facilities: " + std::to_string(fac.items.size()) + " of " + std::to_string(fac.features_read) +
                  " features (" + std::to_string(fac.polygons) + " polygons as points on surface, " +
                  std::to_string(fac.empty_geometries) + " empty and " + std::to_string(fac.invalid_geometries) +
                  " unusable geometries skipped)");
  if (fac.items.empty()) throw walkshed::InputError("facilities file '" + a.facilities.path + "': no usable point");

  auto progress = make_progress(common);
  auto r = walkshed::compute_catchments(g, fac.items, o, progress);
  std::size_t routable = 0;
  double max_snap = 0;
  for (auto& s : r.snaps)
    if (s.routable) ++routable, max_snap = std::max(max_snap, s.snap.distance);
  say(common, "snapped: " + std::to_string(routable) + " routable (largest snap " + fmt(max_snap) + " m), " +
                  std::to_string(fac.items.size() - routable) + " not routable (beyond --max-snap " +
                  fmt(o.max_snap, 0) + " m; see layer not_routable)");

  t = Clock::now();
  a.output.inputs = {a.net.roads.path, a.facilities.path};
  std::vector<std::string> files;
  if (!a.no_layers) files = walkshed::write_catchments(g, fac.items, o, r, a.output, progress);
  if (!a.reached_nodes.empty()) {
    namespace fs = std::filesystem;
    std::error_code ec;
    for (auto& in : a.output.inputs)
      if (fs::weakly_canonical(in, ec) == fs::weakly_canonical(a.reached_nodes, ec))
        throw walkshed::OutputError("output '" + a.reached_nodes + "' is also an input; choose another name");
    walkshed::write_reached_nodes(g, fac.items, r, a.reached_nodes);
    files.push_back(a.reached_nodes);
  }
  const double t_write = std::chrono::duration<double>(Clock::now() - t).count();
  std::string bands;
  for (size_t b = 0; b < o.thresholds_m.size(); ++b)
    bands += (b ? "/" : "") + fmt(o.thresholds_m[b], 0);
  say(common, std::string(o.mode == walkshed::CatchmentMode::Nearest ? "nearest-facility" : "per-facility") +
                  " catchments at " + bands + " m: " + std::to_string(r.settled_nodes) + " nodes settled" +
                  (r.invalid_polygons_repaired ? ", " + std::to_string(r.invalid_polygons_repaired) + " polygons repaired" : ""));
  for (auto& f : files) say(common, "wrote " + f);
  if (a.timings) {
    std::string line = "timings (s): read roads " + fmt(a.net.read_s, 3) + ", build graph " + fmt(a.net.build_s, 3) +
                       ", facilities " + fmt(t_fac, 3);
    for (auto& [name, sec] : r.timings) line += ", " + name + " " + fmt(sec, 3);
    line += ", write " + fmt(t_write, 3) + ", total " +
            fmt(std::chrono::duration<double>(Clock::now() - start).count(), 3);
    print(common, line);
  }
}

}  // namespace

void setup_catchment(CLI::App& root, Common& common) {
  auto* app = root.add_subcommand("catchment", "Walking-distance catchments of facilities (lines and polygons)");
  auto a = std::make_shared<CatchmentArgs>();
  app->footer(
      "Examples:\n"
      "  walkshed catchment --roads data/beijing_cau.osm.pbf --facilities data/beijing_cau_facilities.geojson \\\n"
      "      --distances 300,500,1000 -o out/catchments.gpkg\n"
      "  walkshed catchment --roads out/cau.wsg --facilities data/beijing_cau_facilities.geojson \\\n"
      "      --minutes 5,10,15 --mode nearest -o out/nearest.gpkg\n"
      "Walking speed: 60 m/min by default, the speed implied by GB 50180-2018's 5-minute life circle\n"
      "(300 m); its 10- and 15-minute circles are 500 m and 800-1000 m, so prefer --distances.");
  app->add_option("--roads", a->net.roads.path, "Roads (OSM .pbf/.osm, any GDAL line layer) or a saved graph (.wsg)")
      ->required();
  add_network_options(*app, a->net);
  app->add_option("--facilities", a->facilities.path, "Facility points (polygons use a point on the surface)")
      ->required();
  app->add_option("--facilities-layer", a->facilities.layer, "Facility layer (default: the first)");
  app->add_option("--facilities-where", a->facilities.where, "OGR attribute filter on the facilities");
  app->add_option("--facilities-srs", a->facilities.source_srs, "CRS of the facilities when the file has none");
  app->add_option("--id-field", a->facilities.id_field, "Facility id field (default: feature id)");
  app->add_option("--name-field", a->facilities.name_field, "Facility name field (default: 'name' if present)");
  auto* dist = app->add_option("--distances", a->distances, "Walking distances in metres, ascending")
                   ->capture_default_str();
  app->add_option("--minutes", a->minutes, "Walking times in minutes instead of --distances")->excludes(dist);
  app->add_option("--walk-speed", a->walk_speed, "Walking speed for --minutes, metres per minute")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app->add_option("--mode", a->mode, "per-facility: one overlapping catchment per facility; nearest: every "
                                     "network location labelled with its nearest facility")
      ->capture_default_str()
      ->check(CLI::IsMember({"per-facility", "nearest"}));
  app->add_option("--max-snap", a->options.max_snap, "Largest facility-to-network distance, metres")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  app->add_option("--min-component", a->options.min_component,
                  "Do not snap facilities onto network components with fewer nodes")
      ->capture_default_str();
  app->add_option("--buffer", a->options.buffer_m, "Polygon: buffer around the reached lines, metres")
      ->capture_default_str();
  app->add_option("--fill-holes", a->options.fill_holes_m2, "Polygon: fill holes smaller than this, square metres")
      ->capture_default_str();
  app->add_flag("--no-polygons", a->no_polygons, "Skip the polygon layer");
  app->add_option("-o,--output", a->output.path,
                  "Output .gpkg (all layers), or .geojson/.shp (one file per layer: NAME_<layer>)")
      ->capture_default_str();
  app->add_option("-f,--format", a->output.format, "Output format: GPKG, GeoJSON or Shapefile");
  app->add_flag("!--no-spatial-index", a->output.spatial_index,
                "GeoPackage: skip the R-tree index (faster to write, slower to browse in QGIS)");
  app->add_option("--reached-nodes", a->reached_nodes, "CSV of every reached node per facility (fac_id,node,x,y,distance_m)");
  app->add_flag("--no-layers", a->no_layers, "Write no layers (with --reached-nodes: only the table)");
  app->add_option("--threads", a->options.threads, "Worker threads (default: all cores)");
  app->add_flag("--timings", a->timings, "Print the time of each phase");
  add_common(*app, common);
  app->callback([a, &common]() { run(*a, common); });
}

}  // namespace cli
