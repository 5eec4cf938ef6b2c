#include "commands.hpp"

#include "walkshed/jobs/study.hpp"

namespace cli {

void setup_study(CLI::App& root, Common& common, int& exit_code) {
  auto* app = root.add_subcommand("study", "A planning study in one run: graph, catchments, coverage, rule check and "
                                           "siting from one YAML file, into one folder");
  auto job = std::make_shared<walkshed::StudyJob>();
  app->footer(
      "Example:\n"
      "  walkshed study data/beijing_cau_study.yaml -o out/study\n"
      "The study file names the inputs (paths relative to it), the profile, the distances and the siting\n"
      "goals; see docs/method.md, \"Studies\". The folder gets graph.wsg, catchments.gpkg, coverage.gpkg,\n"
      "check.gpkg, sites_<function>.gpkg and tables/ (Excel-ready CSV, study_steps.csv). A failing step is\n"
      "reported and the others still run; the exit code is then 7.");
  app->add_option("study", job->file, "Study file (.yaml)")->required()->check(CLI::ExistingFile);
  app->add_option("-o,--output", job->output, "Output folder")->capture_default_str();
  app->add_flag("--overwrite", job->overwrite,
                "Replace existing output files that walkshed did not write (files an earlier run wrote are replaced without it)");
  app->add_option("--threads", job->threads, "Worker threads (0: all cores)")->check(CLI::NonNegativeNumber);
  app->add_option("--lang", job->lang, "Language of the report: zh, en or both")
      ->check(CLI::IsMember({"zh", "en", "both"}))
      ->capture_default_str();
  add_common(*app, common);
  app->callback([job, &common, &exit_code]() {
    const auto report = walkshed::run_study(*job, make_progress(common), make_log(common));
    if (report.failed() > 0) exit_code = kExitStepsFailed;
  });
}

}  // namespace cli
