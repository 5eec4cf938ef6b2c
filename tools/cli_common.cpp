#include "cli_common.hpp"

#include "walkshed/core/error.hpp"

#include <unistd.h>

#include <algorithm>
#include <exception>
#include <cstdio>
#include <iostream>
#include <memory>
#include <sstream>

namespace cli {

walkshed::Progress make_progress(const Common& common) {
  if (common.quiet || !isatty(fileno(stderr))) return {};
  struct State {
    std::string stage;
    int ticks = -1;  // of 40, as GDAL draws them: "0...10...20 ... 100 - done."
    void advance(double fraction) {
      const int tick = std::max(0, std::min(40, static_cast<int>(fraction * 40.0)));
      while (ticks < tick) {
        ++ticks;
        if (ticks % 4 == 0) std::fprintf(stderr, "%d", ticks / 4 * 10);
        else std::fputc('.', stderr);
      }
      if (fraction >= 1.0 && ticks == 40) std::fputs(" - done.\n", stderr), ticks = 41;
      std::fflush(stderr);
    }
  };
  auto state = std::make_shared<State>();
  return [state](double fraction, const char* name) {
    if (state->stage != name) {
      if (!state->stage.empty()) state->advance(1.0);
      state->stage = name, state->ticks = -1;
      std::fprintf(stderr, "%s: ", name);
    }
    state->advance(fraction);
    if (fraction >= 1.0) state->stage.clear();
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

int report_failure(CLI::App& app, const std::exception_ptr& failure) {
  try {
    std::rethrow_exception(failure);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 1;  // help/version: 0; any command-line mistake: 1
  } catch (const walkshed::InputError& e) {
    std::cerr << "walkshed: error: " << e.what() << '\n';
    return 2;
  } catch (const walkshed::OutputError& e) {
    std::cerr << "walkshed: error: " << e.what() << '\n';
    return 3;
  } catch (const walkshed::Cancelled&) {
    std::cerr << "walkshed: cancelled\n";
    return 4;
  } catch (const std::exception& e) {
    std::cerr << "walkshed: internal error: " << e.what() << '\n';
    return 5;
  }
}

void say(const Common& common, const std::string& line) {
  if (!common.quiet) print(common, line);
}

void print(const Common&, const std::string& line) { std::cout << line << '\n'; }

std::string fmt(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

}  // namespace cli
