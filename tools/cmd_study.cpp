#include "commands.hpp"
#include "pdf.hpp"

#include <array>
#include <filesystem>
#include <iostream>

#include "walkshed/jobs/study.hpp"

namespace cli {

void setup_study(CLI::App& root, Common& common, int& exit_code) {
  auto* app = root.add_subcommand("study", "A planning study in one run: graph, catchments, coverage, rule check and "
                                           "siting from one YAML file, into one folder, with a report");
  auto job = std::make_shared<walkshed::StudyJob>();
  auto pdf = std::make_shared<bool>(true);
  app->footer(
      "Examples:\n"
      "  walkshed study data/beijing_cau_study.yaml -o out/study\n"
      "  walkshed study data/beijing_cau_study.yaml --profile baotou --distances 300,500 -o out/baotou\n"
      "  walkshed study --roads city.osm.pbf --communities comm.gpkg --facilities fac.gpkg \\\n"
      "      --set communities.households_field=hh --set 'siting=[{largest_gaps: 3, k: 5}]' -o out/city\n"
      "The study file names the inputs (paths relative to it), the profile, the distances and the siting\n"
      "goals; every key can also be given (or replaced) on the command line, with --set KEY=VALUE or the\n"
      "flags below (paths relative to the current folder); see docs/method.md, \"Studies\". The folder gets\n"
      "graph.wsg, study.gpkg (every layer, styled), study.qgs (a QGIS project with print layouts),\n"
      "report.html, report.pdf (headless chromium) and tables/ (Excel-ready CSV, study_steps.csv). A\n"
      "failing step is reported and the others still run; the exit code is then 7.");
  app->add_option("study", job->file, "Study file (.yaml); optional when the keys are given as settings")
      ->check(CLI::ExistingFile);
  auto settings = std::make_shared<std::vector<std::string>>();  // from the flags, applied after --set
  app->add_option("--set", job->set, "A study key, KEY=VALUE (dotted for nested keys, the value as YAML); repeatable")
      ->type_name("KEY=VALUE");
  // The usual keys as flags of their own, applied after --set.
  for (const auto& [flag, key, help] : std::vector<std::array<const char*, 3>>{
           {"--title", "title", "Title of the report"},
           {"--profile", "profile", "City profile: national, baotou, beijing, wuhan or a .yaml file"},
           {"--roads", "roads.path", "Roads: OSM PBF/XML, a GDAL layer or a saved graph (.wsg)"},
           {"--communities", "communities.path", "Communities (polygons with households or population)"},
           {"--facilities", "facilities.path", "Existing facilities"},
           {"--landuse", "landuse.path", "Land-use parcels"},
           {"--candidates", "candidates", "Candidate sites: a layer, or from_landuse"},
           {"--distances", "distances", "Walking distances, metres, comma-separated (e.g. 300,500,1000)"}}) {
    const std::string k = key;
    app->add_option_function<std::string>(
        flag,
        [settings, k](const std::string& v) {
          const bool list = k == "distances";
          const bool candidates_layer = k == "candidates" && v != "from_landuse";
          settings->push_back((candidates_layer ? "candidates.path" : k) + "=" + (list ? "[" + v + "]" : v));
        },
        help);
  }
  app->add_option("-o,--output", job->output, "Output folder")->capture_default_str();
  app->add_flag("--overwrite", job->overwrite,
                "Replace existing output files that walkshed did not write (files an earlier run wrote are replaced without it)");
  app->add_option("--threads", job->threads, "Worker threads (0: all cores)")->check(CLI::NonNegativeNumber);
  app->add_option("--lang", job->lang, "Language of the report: zh, en or both")
      ->check(CLI::IsMember({"zh", "en", "both"}))
      ->capture_default_str();
  app->add_flag("!--no-pdf", *pdf, "Do not print report.pdf (made with headless chromium)");
  add_common(*app, common);
  app->callback([job, pdf, settings, &common, &exit_code]() {
    job->set.insert(job->set.end(), settings->begin(), settings->end());
    PdfPrinter printer;
    if (*pdf) printer.start();  // starts up while the study runs
    const auto report = walkshed::run_study(*job, make_progress(common), make_log(common));
    const std::filesystem::path html = std::filesystem::path(job->output) / "report.html";
    std::error_code ec;
    if (*pdf && std::filesystem::exists(html, ec)) {
      std::string message;
      if (printer.print(html, message)) {
        if (!common.quiet) std::cout << "wrote " << message << '\n';
      } else {
        std::cerr << "walkshed: warning: report.pdf not made: " << message << " (--no-pdf to skip it)\n";
      }
    }
    if (report.failed() > 0) exit_code = kExitStepsFailed;
  });
}

}  // namespace cli
