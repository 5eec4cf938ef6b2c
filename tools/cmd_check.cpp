#include <iostream>

#include "commands.hpp"
#include "walkshed/io/check.hpp"
#include "walkshed/io/crs.hpp"

namespace cli {

namespace {

struct CheckArgs {
  std::string profile = "national";
  bool list = false;
  std::string show;
  walkshed::SiteLayerOptions sites;
  walkshed::LanduseLayerOptions landuse;
  std::vector<std::string> fields, overrides;
  walkshed::CheckOutputOptions output;
  bool fail_on_error = false;
};

constexpr int kExitRuleErrors = 6;

int run(CheckArgs& a, const Common& common) {
  if (a.list) {
    for (auto& [name, path] : walkshed::list_profiles()) {
      auto p = walkshed::load_profile(path);
      std::cout << name << "\t" << p.title << "\t" << path << '\n';
    }
    return 0;
  }
  if (!a.show.empty()) {
    std::cout << walkshed::describe(walkshed::load_profile(a.show));
    return 0;
  }
  if (a.sites.services.points.path.empty()) throw CLI::RequiredError("--facilities");
  auto profile = walkshed::load_profile(a.profile);
  a.sites.fields = parse_fields(a.fields);
  for (auto& o : a.overrides)
    if (!profile.rules.count(o)) throw walkshed::InputError("--override: profile " + profile.name + " has no rule '" + o + "'");
  const std::string wkt = walkshed::working_crs_for(a.sites.services.points);
  auto layer = walkshed::load_sites(a.sites, wkt);
  std::string cols;
  for (auto& [k, c] : layer.columns) cols += (cols.empty() ? "" : ", ") + k + "=" + c;
  say(common, "profile: " + profile.name + " (" + profile.title + ")");
  say(common, "sites: " + std::to_string(layer.services.items.size()) + ", functions from " +
                  layer.services.functions_source + "; attributes: " + (cols.empty() ? "none found" : cols));
  auto lu = load_landuse_index(a.landuse, profile, wkt, common);
  auto& index = lu.index;
  walkshed::CheckOptions options;
  options.overrides = a.overrides;
  options.landuse_given = index != nullptr;
  std::vector<walkshed::CheckedSite> sites;
  for (std::size_t i = 0; i < layer.services.items.size(); ++i) {
    walkshed::CheckedSite s;
    s.facility = layer.services.items[i];
    s.attributes = layer.attributes[i];
    if (index) {
      const auto& fac = s.facility.point;
      s.landuse = fac.footprint ? index->locate(*fac.footprint) : index->locate(fac.point);
    }
    walkshed::check_site(profile, options, s);
    sites.push_back(std::move(s));
  }
  a.output.inputs = {a.sites.services.points.path, a.landuse.path};
  auto files = walkshed::write_check(profile, wkt, sites, a.output);
  int pass = 0, warn = 0, fail = 0;
  for (auto& s : sites) (s.summary == "pass" ? pass : s.summary == "warning" ? warn : fail)++;
  say(common, "result: " + std::to_string(pass) + " pass, " + std::to_string(warn) + " with warnings, " +
                  std::to_string(fail) + " with errors");
  for (auto& f : files) say(common, "wrote " + f);
  return a.fail_on_error && fail > 0 ? kExitRuleErrors : 0;
}

}  // namespace

Landuse load_landuse_index(const walkshed::LanduseLayerOptions& options, const walkshed::Profile& profile,
                           const std::string& crs_wkt, const Common& common) {
  Landuse out;
  if (options.path.empty()) return out;
  out.layer = std::make_unique<walkshed::LanduseLayer>(walkshed::load_landuse(options, crs_wkt));
  out.index = std::make_unique<walkshed::ParcelIndex>(*out.layer, profile);
  const auto& lu = *out.layer;
  std::string unknown;
  for (auto& [code, n] : out.index->unknown_codes()) unknown += (unknown.empty() ? "" : ", ") + code + " x" + std::to_string(n);
  say(common, "land use: " + std::to_string(lu.parcels.size()) + " parcels, codes from " + lu.code_source +
                  (lu.repaired ? ", " + std::to_string(lu.repaired) + " invalid parcels repaired" : "") +
                  (lu.skipped ? ", " + std::to_string(lu.skipped) + " unusable skipped" : ""));
  if (!unknown.empty()) std::cerr << "walkshed: warning: land-use codes no class knows (not guessed): " << unknown << '\n';
  return out;
}

void setup_check(CLI::App& root, Common& common, int& exit_code) {
  auto* app = root.add_subcommand("check", "Check facilities or candidate sites against a city rule profile");
  auto a = std::make_shared<CheckArgs>();
  app->footer(
      "Examples:\n"
      "  walkshed check --list-profiles\n"
      "  walkshed check --show-profile baotou\n"
      "  walkshed check --profile baotou --facilities sites.gpkg --landuse parcels.gpkg -o out/check.gpkg\n"
      "Exit code: 0 when the check ran, whatever the results; with --fail-on-error 6 when an error rule fails.");
  app->add_flag("--list-profiles", a->list, "List the shipped profiles");
  app->add_option("--show-profile", a->show, "Print a profile's rules, thresholds and sources");
  app->add_option("--profile", a->profile, "Profile name (national, baotou, beijing, wuhan) or a .yaml file")
      ->capture_default_str();
  app->add_option("--facilities", a->sites.services.points.path, "Facilities or candidate sites (points or polygons)");
  app->add_option("--facilities-layer", a->sites.services.points.layer, "Layer");
  app->add_option("--facilities-srs", a->sites.services.points.source_srs, "CRS when the file has none or a wrong one");
  app->add_option("--id-field", a->sites.services.points.id_field, "Id field");
  app->add_option("--functions-field", a->sites.services.functions_field, "List field of service functions");
  app->add_flag("--osm-tags", a->sites.services.osm_tags, "Infer functions from OSM tags");
  app->add_option("--area-field", a->sites.services.area_field, "Floor area field, m2");
  app->add_option("--field", a->fields,
                  "KEY=COLUMN for beds, places, elderly_area, infant_area, floor, basement, complex, qualified, "
                  "new_residential, residents, indoor_fitness_m2, outdoor_fitness_m2, investment, government_nonprofit");
  app->add_option("--landuse", a->landuse.path, "Land-use parcels (2023 national codes, GB 50137 codes or OSM tags)");
  app->add_option("--landuse-layer", a->landuse.layer, "Land-use layer");
  app->add_option("--landuse-field", a->landuse.code_field, "Land-use code field");
  app->add_option("--landuse-srs", a->landuse.source_srs, "CRS of the land use when the file has none or a wrong one");
  app->add_option("--override", a->overrides, "Accept failures of these error_override rules (comma list)")->delimiter(',');
  app->add_flag("--fail-on-error", a->fail_on_error, "Exit with 6 when any error rule fails (for scripts)");
  app->add_option("-o,--output", a->output.path, "Checked layer (.gpkg/.geojson/.shp)")->capture_default_str();
  app->add_option("-f,--format", a->output.format, "Output format");
  app->add_option("--csv", a->output.csv, "Rule results, one row per site and rule (default: <output>_rules.csv)");
  add_common(*app, common);
  app->callback([a, &common, &exit_code]() { exit_code = run(*a, common); });
}

}  // namespace cli
