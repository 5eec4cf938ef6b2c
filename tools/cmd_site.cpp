#include <cmath>
#include <iostream>
#include <sstream>

#include "commands.hpp"
#include "walkshed/io/check.hpp"
#include "walkshed/io/site.hpp"

namespace cli {

namespace {

struct SiteArgs {
  NetworkArgs net;
  DemandArgs demand;
  walkshed::SiteLayerOptions candidates;
  bool from_landuse = false;
  double parcel_spacing = 0;
  walkshed::LanduseLayerOptions landuse;
  std::string profile = "national";
  std::vector<std::string> functions;
  std::string weights;
  std::vector<std::string> fields;
  walkshed::SiteOptions options;
  walkshed::SiteOutputOptions output;
  double grid_spacing = 50;
};

void run(SiteArgs& a, const Common& common) {
  auto& o = a.options;
  for (auto& f : a.functions) {
    int i = walkshed::function_index(f);
    if (i < 0) throw walkshed::InputError("--function: unknown service function '" + f + "'");
    o.functions.push_back(i);
  }
  a.candidates.fields = parse_fields(a.fields);
  if (a.from_landuse == !a.candidates.services.points.path.empty())
    throw CLI::ValidationError("--candidates", "give either --candidates or --candidates-from-landuse");
  if (a.from_landuse && a.landuse.path.empty())
    throw CLI::ValidationError("--candidates-from-landuse", "needs --landuse");

  auto profile = walkshed::load_profile(a.profile);
  for (auto& [k, v] : profile.site_weights) o.weights[k] = v;  // the command line below may change them
  if (!a.weights.empty()) {
    std::stringstream ss(a.weights);
    std::string item;
    while (std::getline(ss, item, ',')) {
      auto eq = item.find('=');
      if (eq == std::string::npos || !o.weights.count(item.substr(0, eq)))
        throw CLI::ValidationError("--weights", "expected marginal=,reached=,central=,area=,landuse=, got '" + item + "'");
      o.weights[item.substr(0, eq)] = parse_numbers(item.substr(eq + 1), "--weights")[0];
    }
  }
  auto g = load_network(a.net, common);
  if (a.demand.communities.household_size <= 0) a.demand.communities.household_size = profile.household_size;
  auto d = load_demand(a.demand, a.net, g, common);
  walkshed::CoverageOptions copts;
  copts.thresholds_m = {o.distance};
  copts.max_snap = o.max_snap;
  copts.grid_spacing = a.grid_spacing;
  auto cov = walkshed::compute_coverage(g, d.communities.items, d.services.items, d.buildings, copts);
  report_demand(cov);

  auto landuse = load_landuse_index(a.landuse, profile, g.crs_wkt, common);
  auto& lu = landuse.layer;
  if (lu) crs_note(common, "land-use parcels", lu->source_crs, a.net, g);
  auto& index = landuse.index;
  std::vector<walkshed::Candidate> cands;
  if (a.from_landuse) {
    cands = walkshed::candidates_from_landuse(g, *lu, *index, a.parcel_spacing, d.communities.items);
  } else {
    a.candidates.services.osm_tags = false;
    a.candidates.services.need_functions = false;
    auto layer = walkshed::load_sites(a.candidates, g.crs_wkt);
    cands = walkshed::candidates_from_sites(layer.services.items, layer.attributes);
  }
  if (cands.empty()) throw walkshed::InputError("no candidate site");
  auto r = walkshed::select_sites(g, d.communities.items, cov, cands, profile, index.get(), o);

  int eligible = 0;
  for (auto& c : r.candidates) eligible += c.eligible;
  std::string bundle;
  for (int f : o.functions) bundle += (bundle.empty() ? "" : "+") + std::string(walkshed::service_functions()[f].id);
  say(common, "candidates: " + std::to_string(cands.size()) + (a.from_landuse ? " from eligible parcels in the study area" : "") + ", " +
                  std::to_string(eligible) + " eligible (the others keep their reason in the output)");
  say(common, "need: " + fmt(r.need_total, 0) + " households without " + bundle + " within " + fmt(o.distance, 0) +
                  " m; " + fmt(r.need_coverable, 0) + " of them within reach of an eligible candidate");
  say(common, "chosen (" + r.selection.method + "):");
  double cum = 0;
  for (auto c : r.chosen) {
    const auto& cr = r.candidates[c];
    cum += cr.gain;
    say(common, "  " + std::to_string(cr.order) + ". " + cands[c].id + "  +" + fmt(cr.gain, 0) + " households (total " +
                    fmt(cum, 0) + "), floor area for them " + fmt(cr.area_for_served_m2, 0) + " m2");
  }
  say(common, "gap: " + r.gap_note);
  a.output.inputs = {a.net.roads.path, a.demand.communities.path, a.demand.services.points.path,
                     a.demand.buildings.path, a.candidates.services.points.path, a.landuse.path};
  for (auto& f : walkshed::write_sites(g, d.communities.items, cands, r, a.output)) say(common, "wrote " + f);
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
  app->add_option("--roads", a->net.roads.path, "Roads (OSM, GDAL line layer) or a saved graph (.wsg)")->required();
  add_network_options(*app, a->net);
  add_demand_options(*app, a->demand);
  app->add_option("--candidates", a->candidates.services.points.path, "Candidate sites (points or polygons)");
  app->add_option("--candidates-layer", a->candidates.services.points.layer, "Candidate layer");
  app->add_option("--candidates-id-field", a->candidates.services.points.id_field, "Candidate id field");
  app->add_option("--candidates-area-field", a->candidates.services.area_field, "Candidate floor area field, m2");
  app->add_option("--field", a->fields, "Candidate attribute KEY=COLUMN (floor, basement, ... as in check)");
  app->add_flag("--candidates-from-landuse", a->from_landuse,
                "One candidate per eligible land-use parcel within the communities' extent");
  app->add_option("--parcel-spacing", a->parcel_spacing, "Also candidates on a grid of this spacing inside parcels, m");
  app->add_option("--landuse", a->landuse.path, "Land-use parcels (codes as in check)");
  app->add_option("--landuse-layer", a->landuse.layer, "Land-use layer");
  app->add_option("--landuse-field", a->landuse.code_field, "Land-use code field");
  app->add_option("--landuse-srs", a->landuse.source_srs, "CRS of the land use when the file has none or a wrong one");
  app->add_option("--profile", a->profile, "Rule profile (name or .yaml)")->capture_default_str();
  app->add_option("--function", a->functions, "Service function(s) to site; several = a complex")
      ->required()
      ->delimiter(',');
  app->add_option("--distance", a->options.distance, "Walking threshold, metres")->capture_default_str();
  app->add_option("--k", a->options.k, "Maximal coverage: number of new sites")->capture_default_str();
  app->add_option("--target-share", a->options.target_share,
                  "Set cover: fewest sites serving this share of the households within reach of any candidate");
  app->add_option("--min-spacing", a->options.min_spacing, "Minimum straight-line distance between chosen sites, m");
  app->add_option("--capacity", a->options.capacity, "Households one site can serve (0: no limit)");
  app->add_option("--solver", a->options.solver, "greedy, exact (GLPK) or auto (exact when small)")
      ->capture_default_str()
      ->check(CLI::IsMember({"greedy", "exact", "auto"}));
  app->add_option("--time-limit", a->options.time_limit, "Exact solver time limit, seconds")->capture_default_str();
  app->add_option("--exact-limit", a->options.exact_limit,
                  "auto: solve exactly when candidate-demand pairs within reach are at most this")
      ->capture_default_str();
  app->add_option("--weights", a->weights, "Score weights, e.g. marginal=0.5,reached=0.2,central=0.1,area=0.1,landuse=0.1");
  app->add_option("--grid-spacing", a->grid_spacing, "Demand grid spacing without buildings, metres")
      ->capture_default_str();
  app->add_option("--max-snap", a->options.max_snap, "Largest point-to-network distance, metres")->capture_default_str();
  app->add_option("-o,--output", a->output.path, "Output .gpkg/.geojson/.shp")->capture_default_str();
  app->add_option("-f,--format", a->output.format, "Output format");
  app->add_option("--csv", a->output.csv, "Chosen sites table (default: <output>_chosen.csv)");
  add_common(*app, common);
  app->callback([a, &common]() { run(*a, common); });
}

}  // namespace cli
