// Subcommands of the walkshed program: each parses its options into an engine job and runs it.
#pragma once
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli_common.hpp"
#include "walkshed/jobs/coverage.hpp"
#include "walkshed/jobs/network.hpp"

namespace cli {

struct NetworkArgs {
  walkshed::NetworkInput input;
  std::string highways;                  // --highways a,b,c
  std::vector<std::string> node_fields;  // --node-fields FROM,TO
  // The job's network input with the list options filled in.
  walkshed::NetworkInput finish() const;
};
void add_network_options(CLI::App& app, NetworkArgs& args);

void add_demand_options(CLI::App& app, walkshed::DemandInput& demand);

// "300,500,1000" from --distances, or --minutes into `minutes` (the job converts them).
void parse_thresholds(const std::string& distances, const std::string& minutes_text, std::vector<double>& metres,
                      std::vector<double>& minutes);

void setup_graph(CLI::App& app, Common& common);
void setup_catchment(CLI::App& app, Common& common);
void setup_coverage(CLI::App& app, Common& common);
// exit_code: set by the command when it ran but wants a non-zero exit (check --fail-on-error).
void setup_check(CLI::App& app, Common& common, int& exit_code);
void setup_site(CLI::App& app, Common& common);
// Exit code of a study whose steps did not all succeed.
constexpr int kExitStepsFailed = 7;
void setup_study(CLI::App& app, Common& common, int& exit_code);
void setup_index(CLI::App& app, Common& common);

}  // namespace cli
