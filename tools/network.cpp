// The road network options of every command.
#include <sstream>

#include "commands.hpp"

namespace cli {

void add_network_options(CLI::App& app, NetworkArgs& a) {
  app.add_option("--layer", a.input.roads.layer, "Roads layer (default: 'lines' for OSM files, else the first)");
  app.add_option("--where", a.input.roads.where, "OGR attribute filter on the roads layer (e.g. \"class <> 'motorway'\")");
  app.add_option("--roads-srs", a.input.roads.source_srs, "CRS of the roads when the file has none or a wrong one");
  app.add_option("--crs", a.input.roads.target_srs,
                 "Working metric CRS (default: CGCS2000 3-degree GK zone in China, else UTM)");
  app.add_option("--class-field", a.input.roads.class_field, "Non-OSM: field kept as the edge class (default: highway)");
  app.add_option("--node-fields", a.node_fields,
                 "Non-OSM: integer fields with each line's start and end node (e.g. u,v of walkshed's exported "
                 "edges or OSMnx, source,target of pgRouting): the layer's own topology, no noding by geometry; "
                 "outputs keep these node ids")
      ->delimiter(',')
      ->expected(2);
  app.add_option("--highways", a.highways,
                 "OSM: comma list of highway values to walk on, replacing the default list");
  app.add_flag("--allow-private", a.input.roads.allow_private, "OSM: keep access=private/no ways");
  app.add_flag("!--no-walking-rule", a.input.roads.walking_rule,
               "Non-OSM layers with a highway field: keep every line (default: the OSM walking rule applies)");
  app.add_option("--snap-tolerance", a.input.graph.snap_tolerance,
                 "Join line ends to another line this close, metres (default: 0.001 for non-OSM lines, "
                 "0 for OSM)")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--near-miss", a.input.graph.near_miss_distance,
                 "Report line ends this close to another line without meeting it (metres)")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
}

walkshed::NetworkInput NetworkArgs::finish() const {
  walkshed::NetworkInput in = input;
  std::stringstream ss(highways);
  std::string h;
  while (std::getline(ss, h, ','))
    if (!h.empty()) in.roads.highways.push_back(h);
  if (node_fields.size() == 2) in.roads.from_node_field = node_fields[0], in.roads.to_node_field = node_fields[1];
  return in;
}

void parse_thresholds(const std::string& distances, const std::string& minutes_text, std::vector<double>& metres,
                      std::vector<double>& minutes) {
  minutes.clear();
  if (minutes_text.empty()) metres = parse_numbers(distances, "--distances");
  else minutes = parse_numbers(minutes_text, "--minutes");
}

}  // namespace cli
