// The OSM walking rule: which ways a pedestrian may use.
#include "walkshed/network/roads.hpp"

namespace walkshed {

const std::vector<std::string>& default_walk_highways() {
  static const std::vector<std::string> v = {
      "footway", "path", "pedestrian", "steps", "living_street", "residential", "service",
      "unclassified", "tertiary", "tertiary_link", "secondary", "secondary_link", "primary",
      "primary_link", "track", "road", "corridor", "bridleway"};
  return v;
}

std::string hstore_value(const std::string& tags, const std::string& key) {
  // Format written by GDAL's OSM driver: "k"=>"v","k2"=>"v2" with \" and \\ escaped.
  size_t i = 0;
  const size_t n = tags.size();
  auto read_quoted = [&](std::string& out) -> bool {
    while (i < n && tags[i] != '"') ++i;
    if (i >= n) return false;
    ++i;
    out.clear();
    while (i < n && tags[i] != '"') {
      if (tags[i] == '\\' && i + 1 < n) ++i;
      out += tags[i++];
    }
    if (i >= n) return false;
    ++i;
    return true;
  };
  std::string k, v;
  while (i < n) {
    if (!read_quoted(k)) break;
    if (!read_quoted(v)) break;
    if (k == key) return v;
  }
  return {};
}

std::string osm_walk_rule(const std::string& highway, const std::string& tags, const RoadOptions& options) {
  return osm_walk_rule(highway, [&](const char* key) { return hstore_value(tags, key); }, options);
}

std::string osm_walk_rule(const std::string& highway, const std::function<std::string(const char* key)>& tag,
                          const RoadOptions& options) {
  if (highway.empty()) return "no highway tag";
  const std::string foot = tag("foot");
  const bool foot_yes = foot == "yes" || foot == "designated" || foot == "permissive";
  if (foot == "no" || foot == "use_sidepath") return "foot=" + foot;
  const auto& keep = options.highways.empty() ? default_walk_highways() : options.highways;
  const bool listed = std::find(keep.begin(), keep.end(), highway) != keep.end();
  if (!listed) {
    if (highway == "construction" || highway == "proposed" || highway == "abandoned" || highway == "razed")
      return "highway=" + highway;
    const std::string sidewalk = tag("sidewalk");
    const bool has_sidewalk = sidewalk == "both" || sidewalk == "left" || sidewalk == "right" || sidewalk == "yes";
    // Not in the list (motorway, trunk, cycleway, ...): kept only when tagged walkable.
    if (!(foot_yes || (has_sidewalk && options.highways.empty()))) return "highway=" + highway;
  }
  if (!options.allow_private && !foot_yes) {
    const std::string access = tag("access");
    if (access == "no" || access == "private") return "access=" + access;
  }
  return {};
}

}  // namespace walkshed
