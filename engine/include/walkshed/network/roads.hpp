// Road and footpath lines in the working CRS, and the OSM walking rule.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <unordered_map>
#include <string>
#include <vector>

#include "walkshed/core/geometry.hpp"

namespace walkshed {

struct RoadOptions {
  std::string path;
  std::string layer;        // empty: "lines" for OSM files, else the first layer
  std::string where;        // OGR attribute filter (non-OSM layers)
  std::string source_srs;   // CRS to assume when the layer has none (or to override a wrong one)
  std::string target_srs;   // working CRS; empty: chosen from the data (see metric_epsg_for)
  // Keep only lines whose box meets [min_x, min_y, max_x, max_y] (working CRS): a partition's roads.
  std::vector<double> clip;
  std::string class_field;  // non-OSM: field copied as the edge class; empty: "highway" if present
  // Non-OSM: integer fields naming each line's start and end node (pgRouting source/target, OSMnx
  // u/v). Both set: the network's own topology is used instead of noding by geometry.
  std::string from_node_field, to_node_field;
  // OSM walking rule (docs/method.md, "Walking network"):
  std::vector<std::string> highways;  // empty: default_walk_highways()
  bool allow_private = false;          // keep access=private/no ways
  // Non-OSM layers with a `highway` field (OSM data exported, e.g. from QGIS) and no class_field:
  // the walking rule applies to them too, with foot/access/sidewalk from fields or other_tags.
  bool walking_rule = true;
  int threads = 0;                     // workers (GeoPackage reading, reprojection); 0: all cores
};

// highway values kept for walking by default.
const std::vector<std::string>& default_walk_highways();

// Decision of the OSM walking rule for one way. Returns an empty string when the way is kept,
// else the reason it is dropped (for example "highway=motorway" or "foot=no").
std::string osm_walk_rule(const std::string& highway, const std::string& other_tags,
                          const RoadOptions& options);
// The same, with the value of any tag ("" when absent) from `tag`.
std::string osm_walk_rule(const std::string& highway, const std::function<std::string(const char* key)>& tag,
                          const RoadOptions& options);

// Value of `key` in a GDAL OSM "other_tags" hstore string ("k"=>"v","k2"=>"v2"), or "".
std::string hstore_value(const std::string& other_tags, const std::string& key);

struct RoadSet {
  LineSet lines;                          // working CRS
  std::vector<std::int64_t> source_id;    // per line: OSM way id or feature id
  std::vector<std::uint16_t> line_class;  // per line: index into class_names
  std::vector<std::string> class_names;   // highway values or values of the class field
  std::vector<std::int64_t> from_node, to_node;  // per line, with node id fields; else empty
  // Appends a line; throws InputError beyond 65,535 distinct classes.
  void add_line(const XY* points, std::size_t n, std::int64_t id, const std::string& road_class);
  void add_line(const Polyline& p, std::int64_t id, const std::string& road_class) {
    add_line(p.data(), p.size(), id, road_class);
  }
  // Appends the parts of one feature, or counts why it is dropped (no line; with node ids: ids
  // missing or several parts). node: its two node ids, or null when not both set.
  void add_feature(const LineSet& parts, std::int64_t id, const std::string& road_class, bool node_ids,
                   const std::int64_t* node);
  std::string crs_wkt;   // working CRS
  std::string source_crs;  // CRS of the input layer (srs_label)
  int epsg = 0;          // working CRS EPSG code when known
  bool osm = false;
  bool walking_rule = false;    // the OSM walking rule was applied (OSM data, or a highway field)
  bool read_by_sqlite = false;  // the GeoPackage fast path was taken
  std::int64_t features_read = 0;
  std::map<std::string, std::int64_t> dropped;  // reason -> count

 private:
  std::unordered_map<std::string, std::uint16_t> class_ids_;
};

}  // namespace walkshed
