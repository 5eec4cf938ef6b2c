#include "commands.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <thread>

#include "walkshed/core/temp.hpp"
#include "walkshed/core/written.hpp"
#include "walkshed/jobs/study.hpp"

namespace cli {

namespace {

// report.pdf printed from report.html by headless Chromium (Debian `chromium`), under a temporary
// name first; false with a message when it cannot be made.
bool print_pdf(const std::filesystem::path& html, std::string& message) {
  namespace fs = std::filesystem;
  const fs::path pdf = html.parent_path() / "report.pdf";
  const std::string tmp = walkshed::temp_path_for(pdf.string());
  const std::string url = "file://" + fs::absolute(html).string();
  const std::string out = "--print-to-pdf=" + tmp;
  const pid_t pid = fork();
  if (pid == 0) {
    const int null = open("/dev/null", O_WRONLY);
    if (null >= 0) dup2(null, 1), dup2(null, 2);
    for (const char* exe : {"chromium", "chromium-browser"})
      execlp(exe, exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
             "--print-to-pdf-no-header", out.c_str(), url.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  if (pid < 0) return message = "cannot start chromium", false;
  int status = 0;
  for (int waited = 0; waitpid(pid, &status, WNOHANG) == 0; ++waited) {  // two minutes at most
    if (waited > 1200) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      std::error_code ec;
      fs::remove(tmp, ec);
      return message = "chromium did not finish printing within 2 minutes", false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  std::error_code ec;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || !fs::exists(tmp, ec) || fs::file_size(tmp, ec) == 0) {
    fs::remove(tmp, ec);
    message = WIFEXITED(status) && WEXITSTATUS(status) == 127 ? "chromium is not installed (Debian package chromium)"
                                                               : "chromium could not print the report";
    return false;
  }
  fs::rename(tmp, pdf, ec);
  if (ec) return fs::remove(tmp, ec), message = "cannot move the PDF into place", false;
  walkshed::note_written(pdf.string(), {pdf.string()});
  message = pdf.string();
  return true;
}

}  // namespace

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
    const auto report = walkshed::run_study(*job, make_progress(common), make_log(common));
    const std::filesystem::path html = std::filesystem::path(job->output) / "report.html";
    std::error_code ec;
    if (*pdf && std::filesystem::exists(html, ec)) {
      std::string message;
      if (print_pdf(html, message)) {
        if (!common.quiet) std::cout << "wrote " << message << '\n';
      } else {
        std::cerr << "walkshed: warning: report.pdf not made: " << message << " (--no-pdf to skip it)\n";
      }
    }
    if (report.failed() > 0) exit_code = kExitStepsFailed;
  });
}

}  // namespace cli
