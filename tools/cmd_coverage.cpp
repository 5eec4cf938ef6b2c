#include <chrono>
#include <cmath>
#include <iostream>

#include "commands.hpp"
#include "walkshed/coverage/coverage.hpp"

namespace cli {

void add_demand_options(CLI::App& app, DemandArgs& d) {
  app.add_option("--communities", d.communities.path, "Community polygons with households or population")->required();
  app.add_option("--communities-layer", d.communities.layer, "Community layer");
  app.add_option("--communities-srs", d.communities.source_srs, "CRS of the communities when the file has none");
  app.add_option("--community-id-field", d.communities.id_field, "Community id (default: comm_id, id, code)");
  app.add_option("--households-field", d.communities.households_field, "Households (default: households, hh, 户数)");
  app.add_option("--population-field", d.communities.population_field, "Population, divided by the household size");
  app.add_option("--household-size", d.communities.household_size, "Persons per household (default: by --city)");
  app.add_option("--city", d.communities.city, "Defaults by city")
      ->capture_default_str()
      ->check(CLI::IsMember({"national", "beijing", "wuhan", "baotou"}));
  app.add_option("--street-field", d.communities.street_field, "Street (街道) field (default: street, 街道)");
  app.add_option("--qualified-field", d.communities.qualified_field, "Qualified-street flag (default: qualified)");
  app.add_option("--facilities", d.services.points.path, "Existing facilities (points or polygons)")->required();
  app.add_option("--facilities-layer", d.services.points.layer, "Facility layer");
  app.add_option("--facilities-srs", d.services.points.source_srs, "CRS of the facilities when the file has none");
  app.add_option("--id-field", d.services.points.id_field, "Facility id field");
  app.add_option("--functions-field", d.services.functions_field,
                  "List field of functions (e.g. 'elderly_care;health'); default: 0/1 columns named by function "
                  "id, else OSM tags");
  app.add_flag("--osm-tags", d.services.osm_tags, "Infer functions from OSM tags and names (RULES.md 5.6)");
  app.add_option("--area-field", d.services.area_field, "Service floor area, m2 (default: area_m2, floor_area)");
  app.add_option("--buildings", d.buildings.path, "Residential buildings or residential land polygons");
  app.add_option("--buildings-layer", d.buildings.layer, "Building layer");
  app.add_option("--floors-field", d.buildings.floors_field, "Floors (default: floors, building:levels)");
}

Demand load_demand(DemandArgs& a, const NetworkArgs& net, const walkshed::Graph& g, const Common& common) {
  Demand d;
  d.communities = walkshed::load_communities(a.communities, g.crs_wkt);
  auto& comm = d.communities;
  say(common, "communities: " + std::to_string(comm.items.size()) + ", households from " + comm.households_source +
                  (comm.problems ? ", " + std::to_string(comm.problems) + " with problems (see column 'problem')" : "") +
                  (comm.repaired_geometries ? ", " + std::to_string(comm.repaired_geometries) + " polygons repaired" : ""));
  crs_note(common, "communities", comm.source_crs, net, g);
  d.services = walkshed::load_services(a.services, g.crs_wkt);
  auto& svc = d.services;
  crs_note(common, "facilities", svc.source_crs, net, g);
  std::string unknown;
  for (auto& [name, n] : svc.unknown_functions) unknown += (unknown.empty() ? "" : ", ") + name + " x" + std::to_string(n);
  say(common, "facilities: " + std::to_string(svc.items.size()) + ", functions from " + svc.functions_source + ", " +
                  std::to_string(svc.without_functions) + " without any of the nine functions, " +
                  std::to_string(svc.without_area) + " without floor area" +
                  (svc.skipped ? ", " + std::to_string(svc.skipped) + " unusable geometries skipped" : ""));
  if (!unknown.empty()) std::cerr << "walkshed: warning: unknown function names: " << unknown << '\n';
  if (!a.buildings.path.empty()) {
    std::int64_t skipped = 0;
    d.buildings = walkshed::load_buildings(a.buildings, g.crs_wkt, &skipped);
    say(common, "buildings: " + std::to_string(d.buildings.size()) + " (" + std::to_string(skipped) + " skipped)");
  }
  return d;
}

void report_demand(const walkshed::CoverageResult& r) {
  if (r.overlapping_pairs)
    std::cerr << "walkshed: warning: " << r.overlapping_pairs
              << " pairs of communities overlap (each community's households count once; a building in an overlap "
                 "belongs to the first community)\n";
  if (r.grid_fallback_communities)
    std::cerr << "walkshed: warning: " << r.grid_fallback_communities
              << " communities have no building; their demand is on a grid\n";
}

namespace {

struct CoverageArgs {
  NetworkArgs net;
  DemandArgs demand;
  walkshed::CoverageOptions options;
  walkshed::CoverageOutputOptions output;
  std::string distances = "300,500,1000";
  std::string minutes;
  double walk_speed = 60;
  std::string area_share = "located";
  bool timings = false;
};

std::string pct(double part, double whole) { return whole > 0 ? fmt(100 * part / whole) + " %" : "-"; }

void run(CoverageArgs& a, const Common& common) {
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  auto& o = a.options;
  parse_thresholds(a.distances, a.minutes, a.walk_speed, o.thresholds_m, o.thresholds_min);
  o.area_share = a.area_share == "catchment" ? walkshed::AreaShare::Catchment : walkshed::AreaShare::Located;
  walkshed::validate(o);

  a.net.graph.threads = a.net.roads.threads = a.options.threads;
  auto g = load_network(a.net, common);
  auto t_inputs = Clock::now();
  auto d = load_demand(a.demand, a.net, g, common);
  const double inputs_s = std::chrono::duration<double>(Clock::now() - t_inputs).count();
  auto& comm = d.communities;
  auto& svc = d.services;
  auto r = walkshed::compute_coverage(g, comm.items, svc.items, d.buildings, o, make_progress(common));
  report_demand(r);
  a.output.inputs = {a.net.roads.path, a.demand.communities.path, a.demand.services.points.path, a.demand.buildings.path};
  const auto t_write = Clock::now();
  auto files = walkshed::write_coverage(g, comm.items, svc.items, o, r, a.output);
  const double write_s = std::chrono::duration<double>(Clock::now() - t_write).count();

  const auto& t = r.total.total;
  std::size_t routable = 0;
  for (auto& s : r.facility_snaps) routable += s.edge != walkshed::kInvalid;
  say(common, "demand: " + std::to_string(r.demand.size()) + " points (" + r.demand_method + "), " +
                  fmt(t.households, 0) + " households, " + pct(t.unreachable_households, t.households) +
                  " beyond --max-snap; facilities routable: " + std::to_string(routable) + " of " +
                  std::to_string(svc.items.size()));
  if (!common.quiet) {
    std::cout << "households within walking distance, whole area:\n";
    std::cout << "  function                    ";
    for (double d : o.thresholds_m) std::cout << "  <=" << fmt(d, 0) << " m";
    std::cout << '\n';
    for (int fn = 0; fn < walkshed::kFunctionCount; ++fn) {
      std::string line = "  " + std::string(walkshed::service_functions()[fn].id);
      line.resize(30, ' ');
      for (std::size_t b = 0; b < o.thresholds_m.size(); ++b) {
        std::string cell = pct(t.covered[fn][b], t.households);
        line += std::string(10 - std::min<std::size_t>(10, cell.size()), ' ') + cell;
      }
      std::cout << line << '\n';
    }
    std::cout << "floor area (" << (o.area_share == walkshed::AreaShare::Catchment ? "shared by households served" : "located in the community")
              << "): " << fmt(t.area_m2, 0) << " m2 = " << (std::isnan(t.per100) ? "-" : fmt(t.per100)) << " m2 per 100 households; "
              << r.total.failing << " of " << r.total.communities << " communities below target, gap " << fmt(t.gap_m2, 0) << " m2\n";
  }
  for (auto& f : files) say(common, "wrote " + f);
  if (a.timings) {
    std::string line = "timings (s): read roads " + fmt(a.net.read_s, 3) + ", build graph " + fmt(a.net.build_s, 3) +
                       ", communities, facilities and buildings " + fmt(inputs_s, 3) + ",";
    for (auto& [name, sec] : r.timings) line += " " + name + " " + fmt(sec, 3) + ",";
    std::cout << line << " write " << fmt(write_s, 3) << ", total " << fmt(std::chrono::duration<double>(Clock::now() - start).count(), 3) << '\n';
  }
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
      "the community's 'qualified' field is true.");
  app->add_option("--roads", a->net.roads.path, "Roads (OSM, GDAL line layer) or a saved graph (.wsg)")->required();
  add_network_options(*app, a->net);
  add_demand_options(*app, a->demand);
  auto* dist = app->add_option("--distances", a->distances, "Walking distances, metres")->capture_default_str();
  app->add_option("--minutes", a->minutes, "Walking times instead, minutes")->excludes(dist);
  app->add_option("--walk-speed", a->walk_speed, "Metres per minute for --minutes")->capture_default_str();
  app->add_option("--max-snap", a->options.max_snap, "Largest point-to-network distance, metres")->capture_default_str();
  app->add_option("--grid-spacing", a->options.grid_spacing, "Demand grid spacing without buildings, metres")
      ->capture_default_str();
  app->add_option("--target", a->options.target_per100, "m2 per 100 households")->capture_default_str();
  app->add_option("--qualified-target", a->options.qualified_target_per100, "m2 per 100 households, qualified streets")
      ->capture_default_str();
  app->add_option("--area-share", a->area_share,
                  "located: a facility's area counts in the community containing it; catchment: shared among "
                  "communities in proportion to the households within --share-distance")
      ->capture_default_str()
      ->check(CLI::IsMember({"located", "catchment"}));
  app->add_option("--share-distance", a->options.share_distance, "Catchment sharing distance (default: largest threshold)");
  app->add_option("--function-share", a->options.function_share,
                  "A function counts as present for a community when this share of households reach it")
      ->capture_default_str();
  app->add_option("-o,--output", a->output.path, "Output .gpkg, .geojson or .shp (see README)")->capture_default_str();
  app->add_option("-f,--format", a->output.format, "Output format: GPKG, GeoJSON or Shapefile");
  app->add_option("--csv", a->output.csv, "Summary table (default: <output>_summary.csv)");
  app->add_option("--threads", a->options.threads, "Worker threads (default: all cores)");
  app->add_flag("--timings", a->timings, "Print the time of each phase");
  add_common(*app, common);
  app->callback([a, &common]() { run(*a, common); });
}

}  // namespace cli
