#include "cli_common.hpp"

#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <memory>
#include <sstream>

#include <cpl_progress.h>

namespace cli {

walkshed::Progress make_progress(const Common& common) {
  if (common.quiet || !isatty(fileno(stderr))) return {};
  auto stage = std::make_shared<std::string>();
  return [stage](double fraction, const char* name) {
    if (*stage != name) {
      if (!stage->empty()) GDALTermProgress(1.0, nullptr, nullptr);
      *stage = name;
      std::fprintf(stderr, "%s: ", name);
      GDALTermProgress(0.0, nullptr, nullptr);
    }
    GDALTermProgress(fraction, nullptr, nullptr);
    if (fraction >= 1.0) stage->clear();
    return true;
  };
}

std::vector<double> parse_numbers(const std::string& text, const std::string& option) {
  std::vector<double> out;
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ',')) {
    char* end = nullptr;
    double v = std::strtod(item.c_str(), &end);
    if (item.empty() || *end != '\0') throw CLI::ValidationError(option, "'" + text + "' is not a list of numbers");
    out.push_back(v);
  }
  if (out.empty()) throw CLI::ValidationError(option, "empty list");
  return out;
}

void parse_thresholds(const std::string& distances, const std::string& minutes_text, double walk_speed,
                      std::vector<double>& metres, std::vector<double>& minutes) {
  minutes.clear();
  if (minutes_text.empty()) {
    metres = parse_numbers(distances, "--distances");
    return;
  }
  minutes = parse_numbers(minutes_text, "--minutes");
  metres.clear();
  for (double m : minutes) metres.push_back(m * walk_speed);
}

std::map<std::string, std::string> parse_fields(const std::vector<std::string>& items) {
  std::map<std::string, std::string> out;
  for (auto& f : items) {
    auto eq = f.find('=');
    if (eq == std::string::npos) throw CLI::ValidationError("--field", "expected KEY=COLUMN, got '" + f + "'");
    out[f.substr(0, eq)] = f.substr(eq + 1);
  }
  return out;
}

void add_common(CLI::App& app, Common& common) {
  app.add_flag("-q,--quiet", common.quiet, "No progress and no summary (errors still go to stderr)");
}

void say(const Common& common, const std::string& line) {
  if (!common.quiet) std::cout << line << '\n';
}

std::string fmt(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

}  // namespace cli
