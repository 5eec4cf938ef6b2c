#include <sstream>

#include "commands.hpp"
#include "walkshed/jobs/site.hpp"

namespace cli {

namespace {

struct SiteArgs {
  NetworkArgs net;
  walkshed::SiteJob job;
  std::string weights;
  std::vector<std::string> fields;
};

void run(SiteArgs& a, const Common& common) {
  auto& job = a.job;
  job.candidates.fields = parse_fields(a.fields);
  if (job.candidates_from_landuse == !job.candidates.services.points.path.empty())
    throw CLI::ValidationError("--candidates", "give either --candidates or --candidates-from-landuse");
  if (job.candidates_from_landuse && job.landuse.path.empty())
    throw CLI::ValidationError("--candidates-from-landuse", "needs --landuse");
  std::stringstream ss(a.weights);
  std::string item;
  while (std::getline(ss, item, ',')) {
    auto eq = item.find('=');
    if (eq == std::string::npos)
      throw CLI::ValidationError("--weights", "expected marginal=,reached=,central=,area=,landuse=, got '" + item + "'");
    job.weights[item.substr(0, eq)] = parse_numbers(item.substr(eq + 1), "--weights")[0];
  }
  job.network = a.net.finish();
  walkshed::run_site(job, make_progress(common), make_log(common));
}

}  // namespace

void setup_site(CLI::App& root, Common& common) {
  auto* app = root.add_subcommand("site", "Score candidate sites and choose new ones (maximal coverage or set cover)");
  auto a = std::make_shared<SiteArgs>();
  app->footer(
      "Examples:\n"
      "  walkshed site --roads data/beijing_cau.osm.pbf --communities data/beijing_cau_communities.geojson \\\n"
      "      --facilities data/beijing_cau_facilities.geojson --landuse data/beijing_cau.osm.pbf \\\n"
      "      --candidates-from-landuse --profile beijing --function elderly_care --distance 500 --k 3 -o out/sites.gpkg\n"
      "  (--target-share 0.9 instead of --k: the fewest sites that serve 90 % of the households within reach)");
  app->add_option("--roads", a->net.input.roads.path, "Roads (OSM, GDAL line layer) or a saved graph (.wsg)")->required();
  add_network_options(*app, a->net);
  add_demand_options(*app, a->job.demand);
  app->add_option("--candidates", a->job.candidates.services.points.path, "Candidate sites (points or polygons)");
  app->add_option("--candidates-layer", a->job.candidates.services.points.layer, "Candidate layer");
  app->add_option("--candidates-datum", a->job.candidates.services.points.datum, "Datum of lon/lat coordinates: wgs84 (default), gcj02 (Amap, Tencent) or bd09 (Baidu)");
  app->add_option("--candidates-id-field", a->job.candidates.services.points.id_field, "Candidate id field");
  app->add_option("--candidates-area-field", a->job.candidates.services.area_field, "Candidate floor area field, m2");
  app->add_option("--field", a->fields, "Candidate attribute KEY=COLUMN (floor, basement, ... as in check)");
  app->add_flag("--candidates-from-landuse", a->job.candidates_from_landuse,
                "One candidate per eligible land-use parcel within the communities' extent");
  app->add_option("--parcel-spacing", a->job.parcel_spacing, "Also candidates on a grid of this spacing inside parcels, m")
      ->check(CLI::PositiveNumber);
  app->add_option("--landuse", a->job.landuse.path, "Land-use parcels (codes as in check)");
  app->add_option("--landuse-layer", a->job.landuse.layer, "Land-use layer");
  app->add_option("--landuse-field", a->job.landuse.code_field, "Land-use code field");
  app->add_option("--landuse-srs", a->job.landuse.source_srs, "CRS of the land use when the file has none or a wrong one");
  app->add_option("--landuse-datum", a->job.landuse.datum, "Datum of lon/lat coordinates: wgs84 (default), gcj02 (Amap, Tencent) or bd09 (Baidu)");
  app->add_option("--profile", a->job.profile, "Rule profile (name or .yaml)")->capture_default_str();
  app->add_option("--function", a->job.functions, "Service function(s) to site; several = a complex")
      ->required()
      ->delimiter(',');
  app->add_option("--distance", a->job.options.distance, "Walking threshold, metres")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  auto* k = app->add_option("--k", a->job.options.k, "Maximal coverage: number of new sites")
                ->capture_default_str()
                ->check(CLI::PositiveNumber);
  app->add_option("--objective", a->job.options.objective,
                  "households: serve the most need; area_gap: with --k, close the most floor-area gap of the "
                  "communities with the candidates' known areas")
      ->check(CLI::IsMember({"households", "area_gap"}))
      ->capture_default_str();
  app->add_option("--target-share", a->job.options.target_share,
                  "Set cover: fewest sites serving this share of the households within reach of any candidate")
      ->check(CLI::Range(0.0, 1.0))
      ->excludes(k);
  app->add_option("--min-spacing", a->job.options.min_spacing, "Minimum straight-line distance between chosen sites, m")
      ->check(CLI::NonNegativeNumber);
  app->add_option("--capacity", a->job.options.capacity, "Households one site can serve (0: no limit)")
      ->check(CLI::NonNegativeNumber);
  app->add_flag("!--no-area-capacity", a->job.options.area_capacity,
                "Without --capacity, do not limit a candidate of known floor area to the households it provides for");
  app->add_option("--solver", a->job.options.solver, "greedy, exact (GLPK) or auto (exact when small)")
      ->capture_default_str()
      ->check(CLI::IsMember({"greedy", "exact", "auto"}));
  app->add_option("--time-limit", a->job.options.time_limit, "Exact solver time limit, seconds")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app->add_option("--exact-limit", a->job.options.exact_limit,
                  "auto: solve exactly when candidate-demand pairs within reach are at most this")
      ->capture_default_str();
  app->add_option("--weights", a->weights, "Score weights, e.g. marginal=0.5,reached=0.2,central=0.1,area=0.1,landuse=0.1");
  app->add_option("--grid-spacing", a->job.grid_spacing, "Demand grid spacing without buildings, metres")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app->add_option("--max-snap", a->job.options.max_snap, "Largest point-to-network distance, metres")->capture_default_str();
  app->add_option("-o,--output", a->job.output.path, "Output .gpkg/.geojson/.shp")->capture_default_str();
  app->add_option("-f,--format", a->job.output.format, "Output format");
  app->add_flag("--overwrite", a->job.output.overwrite,
               "Replace existing output files that walkshed did not write (files an earlier run wrote are replaced without it)");
  app->add_flag("--csv-excel", a->job.output.csv_excel,
               "Tables for Excel: a UTF-8 byte-order mark (Chinese-locale Excel shows mojibake without it) and Chinese + English headers");
  app->add_option("--csv", a->job.output.csv, "Chosen sites table (default: <output>_chosen.csv)");
  add_common(*app, common);
  app->callback([a, &common]() { run(*a, common); });
}

}  // namespace cli
