#include <iostream>

#include "commands.hpp"
#include "walkshed/core/error.hpp"
#include "walkshed/jobs/check.hpp"

namespace cli {

namespace {

struct CheckArgs {
  walkshed::CheckJob job;
  bool list = false;
  std::string show;
  std::vector<std::string> fields;
  std::string as_of;
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
  if (a.job.sites.services.points.path.empty()) throw CLI::RequiredError("--facilities");
  a.job.sites.fields = parse_fields(a.fields);
  if (!a.as_of.empty() && (a.job.as_of = walkshed::parse_date(a.as_of)) == walkshed::kNoDate)
    throw walkshed::InputError("--as-of '" + a.as_of + "' is not a date (YYYY-MM-DD)");
  const auto report = walkshed::run_check(a.job, make_progress(common), make_log(common));
  return a.fail_on_error && report.errors > 0 ? kExitRuleErrors : 0;
}

}  // namespace

void setup_check(CLI::App& root, Common& common, int& exit_code) {
  auto* app = root.add_subcommand("check", "Check facilities or candidate sites against a city rule profile");
  auto a = std::make_shared<CheckArgs>();
  app->footer(
      "Examples:\n"
      "  walkshed check --list-profiles\n"
      "  walkshed check --show-profile baotou\n"
      "  walkshed check --profile baotou --facilities sites.gpkg --landuse parcels.gpkg -o out/check.gpkg\n"
      "  walkshed check --profile wuhan --facilities fac.gpkg --field operator_id=运营商 --as-of 2026-06-30 -o out/wh.gpkg\n"
      "With an operator id per facility the output also has an operators layer and <output>_operators.csv\n"
      "(docs/rules.md §11: models, grades and reporting duties, judged as of --as-of).\n"
      "Exit code: 0 when the check ran, whatever the results; with --fail-on-error 6 when an error rule fails.");
  app->add_flag("--list-profiles", a->list, "List the shipped profiles");
  app->add_option("--show-profile", a->show, "Print a profile's rules, thresholds and sources");
  app->add_option("--profile", a->job.profile, "Profile name (national, baotou, beijing, wuhan) or a .yaml file")
      ->capture_default_str();
  app->add_option("--facilities", a->job.sites.services.points.path, "Facilities or candidate sites (points or polygons)");
  app->add_option("--facilities-layer", a->job.sites.services.points.layer, "Layer");
  app->add_option("--facilities-srs", a->job.sites.services.points.source_srs, "CRS when the file has none or a wrong one");
  app->add_option("--facilities-datum", a->job.sites.services.points.datum, "Datum of lon/lat coordinates: wgs84 (default), gcj02 (Amap, Tencent) or bd09 (Baidu)");
  app->add_option("--id-field", a->job.sites.services.points.id_field, "Id field");
  app->add_option("--functions-field", a->job.sites.services.functions_field, "List field of service functions");
  app->add_flag("--osm-tags", a->job.sites.services.osm_tags, "Infer functions from OSM tags");
  app->add_option("--area-field", a->job.sites.services.area_field, "Floor area field, m2");
  app->add_option("--field", a->fields,
                  "KEY=COLUMN for beds, places, elderly_area, infant_area, floor, basement, complex, qualified, "
                  "new_residential, residents, indoor_fitness_m2, outdoor_fitness_m2, investment, government_nonprofit, "
                  "operator_id, operator_name, model, grade, quarterly_report, yearly_report, self_assessment, "
                  "third_party_evaluation, suspension, suspension_notice (dates YYYY-MM-DD)");
  app->add_option("--as-of", a->as_of,
                  "Date the reporting duties and the text's validity are judged on, YYYY-MM-DD (default: today)");
  app->add_option("--landuse", a->job.landuse.path, "Land-use parcels (2023 national codes, GB 50137 codes or OSM tags)");
  app->add_option("--landuse-layer", a->job.landuse.layer, "Land-use layer");
  app->add_option("--landuse-field", a->job.landuse.code_field, "Land-use code field");
  app->add_option("--landuse-srs", a->job.landuse.source_srs, "CRS of the land use when the file has none or a wrong one");
  app->add_option("--landuse-datum", a->job.landuse.datum, "Datum of lon/lat coordinates: wgs84 (default), gcj02 (Amap, Tencent) or bd09 (Baidu)");
  app->add_option("--override", a->job.overrides, "Accept failures of these error_override rules (comma list)")->delimiter(',');
  app->add_flag("--fail-on-error", a->fail_on_error, "Exit with 6 when any error rule fails (for scripts)");
  app->add_option("-o,--output", a->job.output.path, "Checked layer (.gpkg/.geojson/.shp)")->capture_default_str();
  app->add_option("-f,--format", a->job.output.format, "Output format");
  app->add_flag("--overwrite", a->job.output.overwrite,
               "Replace existing output files that walkshed did not write (files an earlier run wrote are replaced without it)");
  app->add_flag("--csv-excel", a->job.output.csv_excel,
               "Tables for Excel: a UTF-8 byte-order mark (Chinese-locale Excel shows mojibake without it) and Chinese + English headers");
  app->add_option("--csv", a->job.output.csv, "Rule results, one row per site and rule (default: <output>_rules.csv)");
  add_common(*app, common);
  app->callback([a, &common, &exit_code]() { exit_code = run(*a, common); });
}

}  // namespace cli
