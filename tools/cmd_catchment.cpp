#include "commands.hpp"
#include "walkshed/jobs/catchment.hpp"

namespace cli {

namespace {

struct CatchmentArgs {
  NetworkArgs net;
  walkshed::CatchmentJob job;
  std::string distances = "300,500,1000";
  std::string minutes;
  std::string mode = "per-facility";
  bool no_polygons = false;
  bool no_layers = false;
};

void run(CatchmentArgs& a, const Common& common) {
  auto& job = a.job;
  parse_thresholds(a.distances, a.minutes, job.options.thresholds_m, job.options.thresholds_min);
  job.options.mode = a.mode == "nearest" ? walkshed::CatchmentMode::Nearest : walkshed::CatchmentMode::PerFacility;
  job.options.polygons = !a.no_polygons;
  job.layers = !a.no_layers;
  job.network = a.net.finish();
  const auto report = walkshed::run_catchment(job, make_progress(common), make_log(common));
  print_timings(common, report.timings);
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
  app->add_option("--roads", a->net.input.roads.path, "Roads (OSM .pbf/.osm, any GDAL line layer) or a saved graph (.wsg)")
      ->required();
  add_network_options(*app, a->net);
  app->add_option("--facilities", a->job.facilities.path, "Facility points (polygons use a point on the surface)")
      ->required();
  app->add_option("--facilities-layer", a->job.facilities.layer, "Facility layer (default: the first)");
  app->add_option("--facilities-where", a->job.facilities.where, "OGR attribute filter on the facilities");
  app->add_option("--facilities-srs", a->job.facilities.source_srs, "CRS of the facilities when the file has none");
  app->add_option("--facilities-datum", a->job.facilities.datum, "Datum of lon/lat coordinates: wgs84 (default), gcj02 (Amap, Tencent) or bd09 (Baidu)");
  app->add_option("--id-field", a->job.facilities.id_field, "Facility id field (default: feature id)");
  app->add_option("--name-field", a->job.facilities.name_field, "Facility name field (default: 'name' if present)");
  auto* dist = app->add_option("--distances", a->distances, "Walking distances in metres, ascending")
                   ->capture_default_str();
  app->add_option("--minutes", a->minutes, "Walking times in minutes instead of --distances")->excludes(dist);
  app->add_option("--walk-speed", a->job.walk_speed, "Walking speed for --minutes, metres per minute")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app->add_option("--mode", a->mode, "per-facility: one overlapping catchment per facility; nearest: every "
                                     "network location labelled with its nearest facility")
      ->capture_default_str()
      ->check(CLI::IsMember({"per-facility", "nearest"}));
  app->add_option("--max-snap", a->job.options.max_snap, "Largest facility-to-network distance, metres")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  app->add_option("--min-component", a->job.options.min_component,
                  "Do not snap facilities onto network components with fewer nodes")
      ->capture_default_str();
  app->add_option("--buffer", a->job.options.buffer_m, "Polygon: buffer around the reached lines, metres")
      ->capture_default_str();
  app->add_option("--fill-holes", a->job.options.fill_holes_m2, "Polygon: fill holes smaller than this, square metres")
      ->capture_default_str();
  app->add_flag("--no-polygons", a->no_polygons, "Skip the polygon layer");
  app->add_option("-o,--output", a->job.output.path,
                  "Output .gpkg (all layers), or .geojson/.shp (one file per layer: NAME_<layer>)")
      ->capture_default_str();
  app->add_option("-f,--format", a->job.output.format, "Output format: GPKG, GeoJSON or Shapefile");
  app->add_flag("--overwrite", a->job.output.overwrite,
               "Replace existing output files that walkshed did not write (files an earlier run wrote are replaced without it)");
  app->add_flag("!--no-spatial-index", a->job.output.spatial_index,
                "GeoPackage: skip the R-tree index (faster to write, slower to browse in QGIS)");
  app->add_option("--reached-nodes", a->job.reached_nodes, "CSV of every reached node per facility (fac_id,node,x,y,distance_m)");
  app->add_flag("--no-layers", a->no_layers, "Write no layers (with --reached-nodes: only the table)");
  app->add_option("--threads", a->job.options.threads, "Worker threads (0, the default: all cores)")
      ->check(CLI::NonNegativeNumber);
  add_timings(*app, common);
  add_common(*app, common);
  app->callback([a, &common]() { run(*a, common); });
}

}  // namespace cli
