// Shared pieces of the walkshed subcommands: messages, progress, number lists, exit codes.
#pragma once
#include <exception>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <CLI/CLI.hpp>

#include "walkshed/core/log.hpp"
#include "walkshed/core/progress.hpp"

namespace cli {

struct Common {
  bool quiet = false;
  bool timings = false;
  bool progress_lines = false;  // "PROGRESS <percent> <stage>" lines on stderr, for other programs
};

// The engine names options by field in backquotes (`max_snap`); this is the flag for each.
std::string with_flags(const std::string& message);

// Info on stdout and notes on stderr unless quiet; warnings on stderr always.
walkshed::Log make_log(const Common& common);

// The exit code of a failed run, its message on stderr (codes: docs/outputs.md "Exit codes").
int report_failure(CLI::App& app, const std::exception_ptr& failure);

// SIGINT and SIGTERM cancel the job at its next progress step (exit 4, its outputs not written);
// a second signal stops at once.
void catch_signals();

// GDAL-style "0...10...20" progress on stderr when it is a terminal and not quiet; always the
// question whether a signal asked to stop.
walkshed::Progress make_progress(const Common& common);

// "300,500,1000" -> {300, 500, 1000}; throws CLI::ValidationError naming the option.
std::vector<double> parse_numbers(const std::string& text, const std::string& option);

// "key=column" items of a repeated option (--field) into a map; throws CLI::ValidationError naming it.
std::map<std::string, std::string> parse_fields(const std::vector<std::string>& items, const std::string& option = "--field");

// Adds -q/--quiet.
void add_common(CLI::App& app, Common& common);
// Adds --timings.
void add_timings(CLI::App& app, Common& common);
// "timings (s): read roads 0.1, ..." when --timings was given.
void print_timings(const Common& common, const std::vector<std::pair<std::string, double>>& timings);

std::string fmt(double v, int decimals = 1);

}  // namespace cli
