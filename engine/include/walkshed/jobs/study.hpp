// The study job: one YAML file names the inputs, the profile, the bands and the siting goals; the
// graph is built once and every step (catchments, coverage, rule check, siting) runs on it, each
// writing into one output folder. A failing step is reported and the others still run.
#pragma once
#include <string>
#include <vector>

#include "walkshed/core/log.hpp"
#include "walkshed/core/progress.hpp"

namespace walkshed {

struct StudyJob {
  std::string file;                  // the study YAML (paths in it relative to its folder), or empty
  // KEY=VALUE settings over the file's, a dotted key and a YAML value ("communities.households_field=hh",
  // "distances=[300, 500]"); paths relative to the current folder.
  std::vector<std::string> set;
  std::string output = "out/study";  // folder
  bool overwrite = false;            // may replace existing files walkshed did not write
  std::string lang = "both";         // the report: zh, en or both
  int threads = 0;
};

struct StudyStep {
  std::string name;                // graph, catchments, coverage, check, site <functions>
  std::string status = "ok";       // ok, failed, skipped
  std::string message;             // the error of a failed step, why one was skipped
  std::vector<std::string> files;  // written
  double seconds = 0;
};

struct StudyReport {
  std::string title;
  std::vector<StudyStep> steps;
  int failed() const {
    int n = 0;
    for (auto& s : steps) n += s.status == "failed";
    return n;
  }
};

// Throws InputError for a bad study file (unknown key, wrong type, missing input: file and line)
// before any step runs; step failures are in the report, and its table study_steps.csv.
StudyReport run_study(const StudyJob& job, const Progress& progress, const Log& log);

}  // namespace walkshed
