// GeoPackage spatial index (the gpkg_rtree_index extension) built in bulk: the R-tree's node table
// is packed directly (Hilbert order) instead of inserting features one by one into SQLite's R*-tree,
// which took most of the time of writing large layers.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace walkshed::detail {

struct RtreeEntry {
  std::int64_t id;
  float minx, maxx, miny, maxy;  // rounded outwards, as SQLite's R-tree stores them
};

// A box in an R-tree: the float box that contains the double one.
RtreeEntry rtree_entry(std::int64_t id, double minx, double maxx, double miny, double maxy);

struct RtreeLayer {
  std::string table, fid_column, geometry_column;
  std::vector<RtreeEntry> entries;  // features with a non-empty geometry
  // Rows written by GpkgInsert, behind GDAL's back: the layer's extent (exact) and feature count are
  // set in gpkg_contents and gpkg_ogr_contents at the end.
  bool direct = false;
  bool replace = false;  // the table has an index already: dropped (table, triggers, extension row) first
  std::vector<std::string> triggers;  // the table's triggers, dropped while the rows went in
  double minx = 0, maxx = 0, miny = 0, maxy = 0;  // of the entries (exact, not rounded to floats)
  void add(std::int64_t id, double x0, double x1, double y0, double y1) {
    if (entries.empty()) minx = x0, maxx = x1, miny = y0, maxy = y1;
    minx = x0 < minx ? x0 : minx, maxx = x1 > maxx ? x1 : maxx, miny = y0 < miny ? y0 : miny, maxy = y1 > maxy ? y1 : maxy;
    entries.push_back(rtree_entry(id, x0, x1, y0, y1));
  }
};

// The box of a GeoPackage geometry blob (walkshed index): its header's envelope, else its WKB's
// points (either byte order, ISO or extended Z/M codes; curves are not read).
struct BlobBox {
  double minx = INFINITY, maxx = -INFINITY, miny = INFINITY, maxy = -INFINITY;
  void add(double x, double y) {
    if (std::isnan(x) || std::isnan(y)) return;  // an empty point
    minx = std::min(minx, x), maxx = std::max(maxx, x), miny = std::min(miny, y), maxy = std::max(maxy, y);
  }
  bool empty() const { return !(minx <= maxx); }
};
// 1 with `box` set, 0 for an empty geometry, -1 for one that cannot be read.
int blob_box(const std::uint8_t* blob, std::size_t size, BlobBox& box);

// Adds rtree_<table>_<geometry column>, its triggers and its gpkg_extensions row for each layer to
// the GeoPackage at `path` (closed by GDAL). Throws OutputError.
void write_gpkg_rtrees(const std::string& path, const std::vector<std::unique_ptr<RtreeLayer>>& layers);

}  // namespace walkshed::detail
