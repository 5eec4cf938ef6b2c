// Reading GeoPackage line tables straight through SQLite (about 4x faster than OGR's feature loop
// on a city network, and faster than GDAL 3.6's Arrow stream: BENCHMARKS.md; used when no attribute
// filter is set).
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "walkshed/core/geometry.hpp"
#include "walkshed/network/roads.hpp"

namespace walkshed::detail {

// Appends the parts of a GeoPackage geometry blob holding a LineString or MultiLineString
// (2D, Z, M or ZM; little-endian WKB) to `parts`. Returns false, leaving `parts` as it was, for
// anything else (empty geometries included), which the caller hands to OGR.
bool parse_gpkg_lines(const std::uint8_t* blob, std::size_t size, LineSet& parts);


struct GpkgRow {
  std::int64_t fid = 0;
  const std::uint8_t* blob = nullptr;  // geometry; nullptr for NULL
  std::size_t size = 0;
  const char* text = nullptr;          // the text column; nullptr for NULL or none
  std::int64_t ints[2] = {0, 0};       // the integer columns
  bool int_set[2] = {false, false};    // false for NULL or none
};

// Columns read besides the feature id and the geometry; empty names are not read.
struct GpkgColumns {
  std::string text;
  std::string ints[2];
};

// Reads `table` in rowid order, calling `row` on the caller's thread; with threads >= 2 another
// thread steps the query meanwhile. Returns false (and reads nothing) when SQLite cannot open the
// file or prepare the query, so that the caller can use OGR; throws InputError when reading fails
// part way.
bool read_gpkg_rows(const std::string& path, const std::string& table, const std::string& fid_column,
                    const std::string& geometry_column, const GpkgColumns& columns,
                    const std::function<void(const GpkgRow&)>& row, int threads = 1);

// The rows of a GeoPackage line table into `out` (RoadSet::add_feature): the class from the text
// column, node ids from the integer columns when `node_ids`. `other(fid, parts)` fills the parts of
// a row whose blob the parser leaves and returns false when it has no geometry. `tick` is called
// per row. Returns false as read_gpkg_rows does.
bool read_gpkg_road_rows(const std::string& path, const std::string& table, const std::string& fid_column,
                         const std::string& geometry_column, const GpkgColumns& columns, bool node_ids, int threads,
                         RoadSet& out, const std::function<void()>& tick,
                         const std::function<bool(std::int64_t fid, LineSet& parts)>& other);

}  // namespace walkshed::detail
