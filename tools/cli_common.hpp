// Shared pieces of the walkshed subcommands: progress rendering, number lists, messages.
#pragma once
#include <exception>
#include <map>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "walkshed/core/progress.hpp"

namespace cli {

struct Common {
  bool quiet = false;
};

// The exit code of a failed run, its message on stderr (codes: README "Commands").
int report_failure(CLI::App& app, const std::exception_ptr& failure);

// GDAL-style "0...10...20" progress on stderr when it is a terminal and not quiet.
walkshed::Progress make_progress(const Common& common);

// "300,500,1000" -> {300, 500, 1000}; throws CLI::ValidationError naming the option.
std::vector<double> parse_numbers(const std::string& text, const std::string& option);

// Thresholds in metres from --distances, or from --minutes x walk speed (then `minutes` is filled too).
void parse_thresholds(const std::string& distances, const std::string& minutes_text, double walk_speed,
                      std::vector<double>& metres, std::vector<double>& minutes);

// "key=column" items of a repeated --field option into a map; throws CLI::ValidationError.
std::map<std::string, std::string> parse_fields(const std::vector<std::string>& items);

// Adds -q/--quiet.
void add_common(CLI::App& app, Common& common);

// Prints unless quiet.
void say(const Common& common, const std::string& line);
// Prints (a result the user asked for, also when quiet).
void print(const Common& common, const std::string& line);

std::string fmt(double v, int decimals = 1);

}  // namespace cli
