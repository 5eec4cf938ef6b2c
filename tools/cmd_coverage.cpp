#include "commands.hpp"

namespace cli {

void add_demand_options(CLI::App& app, walkshed::DemandInput& d) {
  app.add_option("--communities", d.communities.path, "Community polygons with households or population")->required();
  app.add_option("--communities-layer", d.communities.layer, "Community layer");
  app.add_option("--communities-srs", d.communities.source_srs, "CRS of the communities when the file has none");
  app.add_option("--communities-datum", d.communities.datum, "Datum of lon/lat coordinates: wgs84 (default), gcj02 (Amap, Tencent) or bd09 (Baidu)");
  app.add_option("--community-id-field", d.communities.id_field, "Community id (default: comm_id, id, code)");
  app.add_option("--households-field", d.communities.households_field, "Households (default: households, hh, 户数)");
  app.add_option("--population-field", d.communities.population_field, "Population, divided by the household size");
  app.add_option("--household-size", d.communities.household_size, "Persons per household (default: by --city)")
      ->check(CLI::PositiveNumber);
  app.add_option("--city", d.communities.city, "Defaults by city")
      ->capture_default_str()
      ->check(CLI::IsMember({"national", "beijing", "wuhan", "baotou"}));
  app.add_option("--street-field", d.communities.street_field, "Street (街道) field (default: street, 街道)");
  app.add_option("--qualified-field", d.communities.qualified_field, "Qualified-street flag (default: qualified)");
  app.add_option("--facilities", d.services.points.path, "Existing facilities (points or polygons)")->required();
  app.add_option("--facilities-layer", d.services.points.layer, "Facility layer");
  app.add_option("--facilities-srs", d.services.points.source_srs, "CRS of the facilities when the file has none");
  app.add_option("--facilities-datum", d.services.points.datum, "Datum of lon/lat coordinates: wgs84 (default), gcj02 (Amap, Tencent) or bd09 (Baidu)");
  app.add_option("--id-field", d.services.points.id_field, "Facility id field");
  app.add_option("--functions-field", d.services.functions_field,
                  "List field of functions (e.g. 'elderly_care;health'); default: 0/1 columns named by function "
                  "id, else OSM tags");
  app.add_flag("--osm-tags", d.services.osm_tags, "Infer functions from OSM tags and names (docs/rules.md, OSM tags)");
  app.add_option("--area-field", d.services.area_field, "Service floor area, m2 (default: area_m2, floor_area)");
  app.add_option("--buildings", d.buildings.path, "Residential buildings or residential land polygons");
  app.add_option("--buildings-layer", d.buildings.layer, "Building layer");
  app.add_option("--buildings-datum", d.buildings.datum, "Datum of lon/lat coordinates: wgs84 (default), gcj02 (Amap, Tencent) or bd09 (Baidu)");
  app.add_option("--floors-field", d.buildings.floors_field, "Floors (default: floors, building:levels)");
}

namespace {

struct CoverageArgs {
  NetworkArgs net;
  walkshed::CoverageJob job;
  std::string distances = "300,500,1000";
  std::string minutes;
  std::string area_share = "located";
  std::vector<std::string> age_fields, supply_fields, targets;
  std::string band_weights;
};

void run(CoverageArgs& a, const Common& common) {
  auto& job = a.job;
  parse_thresholds(a.distances, a.minutes, job.options.thresholds_m, job.options.thresholds_min);
  job.options.area_share = a.area_share == "catchment" ? walkshed::AreaShare::Catchment : walkshed::AreaShare::Located;
  job.demand.communities.age_fields = parse_fields(a.age_fields, "--age-field");
  job.supply_fields = parse_fields(a.supply_fields, "--supply-field");
  for (auto& [fn, text] : parse_fields(a.targets, "--access-target"))
    job.targets[fn] = parse_numbers(text, "--access-target").at(0);
  if (!a.band_weights.empty()) job.access.band_weights = parse_numbers(a.band_weights, "--band-weights");
  job.network = a.net.finish();
  const auto report = walkshed::run_coverage(job, make_progress(common), make_log(common));
  print_timings(common, report.timings);
}

}  // namespace

void setup_coverage(CLI::App& root, Common& common) {
  auto* app = root.add_subcommand("coverage", "Households within walking distance per service function, and "
                                              "floor area per 100 households per community");
  auto a = std::make_shared<CoverageArgs>();
  app->footer(
      "Example:\n"
      "  walkshed coverage --roads data/beijing_cau.osm.pbf --communities data/beijing_cau_communities.geojson \\\n"
      "      --facilities data/beijing_cau_facilities.geojson --city beijing -o out/coverage.gpkg\n"
      "Households: a households field, or population / household size (--city: national 2.62, beijing 2.31,\n"
      "wuhan 2.47, baotou 2.35 persons per household, 7th census). Demand sits on buildings (--buildings,\n"
      "by floor area) or on a grid inside each community. Area target: 30 m2 per 100 households, 80 where\n"
      "the community's 'qualified' field is true.\n"
      "Access (docs/method.md): each function serves a population group of the profile (elderly care:\n"
      "60+, infant care: 0-3 ...), from age columns or else census shares; supply in the profile's unit\n"
      "(beds, places) or 1 per facility; 2SFCA, E2SFCA, Gaussian 2SFCA and gravity per community, e.g.\n"
      "  ... --supply-field elderly_care=beds --access-target elderly_care=4 --age-field 60+=age60");
  app->add_option("--roads", a->net.input.roads.path, "Roads (OSM, GDAL line layer) or a saved graph (.wsg)")->required();
  add_network_options(*app, a->net);
  add_demand_options(*app, a->job.demand);
  auto* dist = app->add_option("--distances", a->distances, "Walking distances, metres")->capture_default_str();
  app->add_option("--minutes", a->minutes, "Walking times instead, minutes")->excludes(dist);
  app->add_option("--walk-speed", a->job.walk_speed, "Metres per minute for --minutes")->capture_default_str();
  app->add_option("--max-snap", a->job.options.max_snap, "Largest point-to-network distance, metres")->capture_default_str();
  app->add_option("--grid-spacing", a->job.options.grid_spacing, "Demand grid spacing without buildings, metres")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app->add_option("--target", a->job.options.target_per100, "m2 per 100 households")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  app->add_option("--qualified-target", a->job.options.qualified_target_per100, "m2 per 100 households, qualified streets")
      ->capture_default_str();
  app->add_option("--area-share", a->area_share,
                  "located: a facility's area counts in the community containing it; catchment: shared among "
                  "communities in proportion to the households within --share-distance")
      ->capture_default_str()
      ->check(CLI::IsMember({"located", "catchment"}));
  app->add_option("--share-distance", a->job.options.share_distance, "Catchment sharing distance (default: largest threshold)")
      ->check(CLI::PositiveNumber);
  app->add_option("--function-share", a->job.options.function_share,
                  "A function counts as present for a community when this share of households reach it")
      ->capture_default_str();
  app->add_option("--profile", a->job.profile,
                  "City profile (name or .yaml) for the population groups, supply columns and targets (default: --city)");
  app->add_option("--age-field", a->age_fields,
                  "Residents of an age band, BAND=COLUMN (e.g. 60+=old, 0-3=infants); default: columns named like "
                  "age_60_plus, age_0_3; without them the census shares of the profile")
      ->type_name("BAND=COLUMN");
  app->add_option("--supply-field", a->supply_fields,
                  "What a function's supply is counted in, FUNCTION=COLUMN (e.g. elderly_care=beds; 'area': floor area)")
      ->type_name("FUNCTION=COLUMN");
  app->add_option("--access-target", a->targets, "Supply per 100 residents of the group to aim for, FUNCTION=N")
      ->type_name("FUNCTION=N");
  app->add_option("--access-distance", a->job.access.distance,
                  "Catchment of the 2SFCA and Gaussian measures, metres (default: the largest distance)")
      ->check(CLI::NonNegativeNumber);
  app->add_option("--band-weights", a->band_weights,
                  "E2SFCA weight per distance band, e.g. 1,0.68,0.22 (default: the Gaussian kernel at the band middles)");
  app->add_option("--gravity-beta", a->job.access.gravity_beta, "Gravity decay per km: exp(-beta d / 1000)")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 100.0));
  app->add_option("-o,--output", a->job.output.path, "Output .gpkg, .geojson or .shp (see docs/outputs.md)")->capture_default_str();
  app->add_option("-f,--format", a->job.output.format, "Output format: GPKG, GeoJSON or Shapefile");
  app->add_flag("--overwrite", a->job.output.overwrite,
               "Replace existing output files that walkshed did not write (files an earlier run wrote are replaced without it)");
  app->add_flag("--csv-excel", a->job.output.csv_excel,
               "Tables for Excel: a UTF-8 byte-order mark (Chinese-locale Excel shows mojibake without it) and Chinese + English headers");
  app->add_option("--csv", a->job.output.csv, "Summary table (default: <output>_summary.csv)");
  app->add_option("--threads", a->job.options.threads, "Worker threads (0, the default: all cores)")
      ->check(CLI::NonNegativeNumber);
  add_timings(*app, common);
  add_common(*app, common);
  app->callback([a, &common]() { run(*a, common); });
}

}  // namespace cli
