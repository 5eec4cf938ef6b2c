#include "cli_common.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <memory>
#include <sstream>

#include "walkshed/core/error.hpp"
#include "walkshed/core/text.hpp"
#include "walkshed/io/points.hpp"

namespace cli {

namespace {

const std::map<std::string, std::string>& flags() {
  static const std::map<std::string, std::string> f = {
      {"max_snap", "--max-snap"},
      {"buffer_m", "--buffer"},
      {"fill_holes_m2", "--fill-holes"},
      {"walk_speed", "--walk-speed"},
      {"grid_spacing", "--grid-spacing"},
      {"parcel_spacing", "--parcel-spacing"},
      {"function_share", "--function-share"},
      {"functions", "--function"},
      {"distance", "--distance"},
      {"k", "--k"},
      {"target_share", "--target-share"},
      {"overrides", "--override"},
      {"weights", "--weights"},
      {"candidates", "--candidates"},
      {"candidates_from_landuse", "--candidates-from-landuse"},
      {"landuse", "--landuse"},
      {"roads.source_srs", "--roads-srs"},
      {"roads.target_srs", "--crs"},
      {"facilities.source_srs", "--facilities-srs"},
      {"communities.source_srs", "--communities-srs"},
      {"communities.households_field", "--households-field"},
      {"communities.population_field", "--population-field"},
      {"buildings.source_srs", "--buildings-srs"},
      {"landuse.source_srs", "--landuse-srs"},
      {"landuse.code_field", "--landuse-field"},
      {"services.functions_field", "--functions-field"},
      {"services.osm_tags", "--osm-tags"},
      {"sites.fields", "--field"},
      {"format", "-f"},
      {"encoding", "--encoding"},
      {"overwrite", "--overwrite"},
      {"area_capacity", "--no-area-capacity"},
      {"roads.walking_rule", "--no-walking-rule"},
      {"facilities.datum", "--facilities-datum"},
      {"communities.datum", "--communities-datum"},
      {"buildings.datum", "--buildings-datum"},
      {"landuse.datum", "--landuse-datum"},
  };
  return f;
}

}  // namespace

std::string with_flags(const std::string& m) {
  std::string out;
  std::size_t i = 0;
  while (i < m.size()) {
    const std::size_t a = m.find('`', i), b = a == std::string::npos ? a : m.find('`', a + 1);
    if (b == std::string::npos) break;
    const std::string field = m.substr(a + 1, b - a - 1);
    auto it = flags().find(field);
    out += m.substr(i, a - i) + (it == flags().end() ? field : it->second);
    i = b + 1;
  }
  return out + m.substr(i);
}

walkshed::Log make_log(const Common& common) {
  walkshed::Log log;
  if (!common.quiet) {
    log.on_info = [](const std::string& m) { std::cout << with_flags(m) << '\n'; };
    log.on_note = [](const std::string& m) { std::cerr << "walkshed: note: " << with_flags(m) << '\n'; };
  }
  log.on_warning = [](const std::string& m) { std::cerr << "walkshed: warning: " << with_flags(m) << '\n'; };
  return log;
}

namespace {

volatile std::sig_atomic_t g_signal = 0;

extern "C" void on_signal(int sig) {
  g_signal = sig;
  std::signal(sig, SIG_DFL);  // a second one stops at once
}

}  // namespace

void catch_signals() {
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
}


walkshed::Progress make_progress(const Common& common) {
  if (common.progress_lines) {  // one line per whole percent or new stage, whatever stderr is
    auto last = std::make_shared<std::pair<std::string, int>>("", -1);
    return [last](double fraction, const char* name) {
      if (g_signal) return false;
      if (fraction < 0) return true;
      const int percent = std::max(0, std::min(100, static_cast<int>(fraction * 100.0)));
      if (last->first != name || last->second != percent) {
        *last = {name, percent};
        std::fprintf(stderr, "PROGRESS %d %s\n", percent, name);
        std::fflush(stderr);
      }
      return true;
    };
  }
  const bool draw = !common.quiet && isatty(fileno(stderr));
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
  return [state, draw](double fraction, const char* name) {
    if (g_signal) return false;
    if (!draw || fraction < 0) return true;
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
  if (!text.empty() && (text.back() == ',' || text.front() == ','))
    throw CLI::ValidationError(option, "'" + text + "' has an empty item");
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ',')) {
    char* end = nullptr;
    double v = std::strtod(item.c_str(), &end);
    if (item.empty() || *end != '\0' || !std::isfinite(v))
      throw CLI::ValidationError(option, "'" + text + "' is not a list of numbers");
    out.push_back(v);
  }
  if (out.empty()) throw CLI::ValidationError(option, "empty list");
  return out;
}

std::map<std::string, std::string> parse_fields(const std::vector<std::string>& items, const std::string& option) {
  std::map<std::string, std::string> out;
  for (auto& f : items) {
    auto eq = f.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == f.size())
      throw CLI::ValidationError(option, "expected KEY=VALUE, got '" + f + "'");
    out[f.substr(0, eq)] = f.substr(eq + 1);
  }
  return out;
}

void add_common(CLI::App& app, Common& common) {
  app.add_flag("-q,--quiet", common.quiet, "No progress and no summary (errors still go to stderr)");
  app.add_flag("--progress-lines", common.progress_lines,
               "Progress as lines 'PROGRESS <percent> <stage>' on stderr (for programs that run walkshed)");
  app.add_option("--encoding", "Character set of Shapefile text without a .cpg (e.g. GBK)")
      ->each([](const std::string& e) { walkshed::set_shapefile_encoding(e); });
}

void add_timings(CLI::App& app, Common& common) {
  app.add_flag("--timings", common.timings, "Print the time of each phase");
}

void print_timings(const Common& common, const std::vector<std::pair<std::string, double>>& timings) {
  if (!common.timings) return;
  std::string line = "timings (s):";
  for (std::size_t i = 0; i < timings.size(); ++i)
    line += (i ? ", " : " ") + timings[i].first + " " + fmt(timings[i].second, 3);
  std::cout << line << '\n';
}

int report_failure(CLI::App& app, const std::exception_ptr& failure) {
  try {
    std::rethrow_exception(failure);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 1;  // help/version: 0; any command-line mistake: 1
  } catch (const walkshed::InputError& e) {
    std::cerr << "walkshed: error: " << with_flags(e.what()) << '\n';
    return 2;
  } catch (const walkshed::OutputError& e) {
    std::cerr << "walkshed: error: " << with_flags(e.what()) << '\n';
    return 3;
  } catch (const walkshed::Cancelled&) {
    std::cerr << "walkshed: cancelled" << (g_signal == SIGINT ? " (SIGINT)" : g_signal == SIGTERM ? " (SIGTERM)" : "")
              << "; nothing was written\n";
    return 4;
  } catch (const std::exception& e) {
    std::cerr << "walkshed: internal error: " << e.what() << '\n';
    return 5;
  }
}

std::string fmt(double v, int decimals) { return walkshed::fixed(v, decimals); }

}  // namespace cli
