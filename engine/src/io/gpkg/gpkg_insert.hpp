// Private: rows written straight into a GeoPackage feature table by SQLite, with a prepared INSERT:
// much faster than a feature at a time through OGR for layers of many features and fields.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace walkshed::detail {

class GpkgInsert {
 public:
  // The table must exist (with its gpkg_geometry_columns row). Its triggers (GDAL's feature count,
  // one UPDATE per row) are dropped; `triggers` receives their SQL to create them again once the rows
  // are in. Throws OutputError.
  GpkgInsert(sqlite3* db, const std::string& table, const std::string& geometry_column,
             const std::vector<std::string>& columns, std::vector<std::string>& triggers);
  ~GpkgInsert();
  GpkgInsert(const GpkgInsert&) = delete;
  GpkgInsert& operator=(const GpkgInsert&) = delete;

  // Column i of `columns` for the next row.
  void null(int i);
  void integer(int i, std::int64_t v);
  void real(int i, double v);
  void text(int i, const char* s);
  // The geometry as ISO WKB (little endian) and its box; n = 0: null. Points are written without a box.
  void geometry(const unsigned char* wkb, std::size_t n, bool point, double minx, double maxx, double miny, double maxy);
  std::int64_t insert();  // writes the row; returns its fid. Throws OutputError.

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  std::int32_t srs_id_ = 0;
  std::string table_;
  std::vector<unsigned char> blob_;
};

}  // namespace walkshed::detail
