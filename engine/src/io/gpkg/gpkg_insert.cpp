#include "io/gpkg/gpkg_insert.hpp"

#include <cstring>

#include <sqlite3.h>

#include "io/gpkg/sql.hpp"
#include "walkshed/core/error.hpp"

namespace walkshed::detail {

GpkgInsert::GpkgInsert(sqlite3* db, const std::string& table, const std::string& geometry_column,
                       const std::vector<std::string>& columns, std::vector<std::string>& triggers)
    : db_(db), table_(table) {
  auto fail = [&](const std::string& what) {
    throw OutputError("cannot write layer '" + table + "': " + what + ": " + sqlite3_errmsg(db_));
  };
  sqlite3_stmt* srs = nullptr;
  if (sqlite3_prepare_v2(db_, "SELECT srs_id FROM gpkg_geometry_columns WHERE table_name = ?", -1, &srs, nullptr) != SQLITE_OK)
    fail("no geometry columns table");
  sqlite3_bind_text(srs, 1, table.c_str(), -1, SQLITE_TRANSIENT);
  const int rc = sqlite3_step(srs);
  if (rc == SQLITE_ROW) srs_id_ = sqlite3_column_int(srs, 0);
  sqlite3_finalize(srs);
  if (rc != SQLITE_ROW) fail("the layer has no geometry column row");
  sqlite3_stmt* trig = nullptr;
  if (sqlite3_prepare_v2(db_, "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND lower(tbl_name) = lower(?)", -1,
                         &trig, nullptr) != SQLITE_OK)
    fail("cannot list the triggers");
  sqlite3_bind_text(trig, 1, table.c_str(), -1, SQLITE_TRANSIENT);
  std::vector<std::string> names;
  while (sqlite3_step(trig) == SQLITE_ROW) {
    names.push_back(reinterpret_cast<const char*>(sqlite3_column_text(trig, 0)));
    triggers.push_back(reinterpret_cast<const char*>(sqlite3_column_text(trig, 1)));
  }
  sqlite3_finalize(trig);
  for (auto& n : names)
    if (sqlite3_exec(db_, ("DROP TRIGGER " + sql_quoted(n)).c_str(), nullptr, nullptr, nullptr) != SQLITE_OK)
      fail("cannot drop trigger " + n);
  std::string sql = "INSERT INTO " + sql_quoted(table) + " (" + sql_quoted(geometry_column), values = "?";
  for (auto& c : columns) sql += ", " + sql_quoted(c), values += ", ?";
  sql += ") VALUES (" + values + ")";
  if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt_, nullptr) != SQLITE_OK) fail("cannot prepare the insert");
}

GpkgInsert::~GpkgInsert() { sqlite3_finalize(stmt_); }

void GpkgInsert::null(int i) { sqlite3_bind_null(stmt_, i + 2); }
void GpkgInsert::integer(int i, std::int64_t v) { sqlite3_bind_int64(stmt_, i + 2, v); }
void GpkgInsert::real(int i, double v) { sqlite3_bind_double(stmt_, i + 2, v); }
void GpkgInsert::text(int i, const char* s) { sqlite3_bind_text(stmt_, i + 2, s, -1, SQLITE_TRANSIENT); }

void GpkgInsert::geometry(const unsigned char* wkb, std::size_t n, bool point, double minx, double maxx, double miny,
                          double maxy) {
  if (n == 0) {
    sqlite3_bind_null(stmt_, 1);
    return;
  }
  // GeoPackage binary header: "GP", version 0, flags (bit 0: little endian; bits 1-3: envelope 1 = xy), srs id.
  const std::size_t header = point ? 8 : 8 + 32;
  blob_.resize(header + n);
  const unsigned char native = __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ ? 1 : 0;  // header numbers as in memory
  blob_[0] = 'G', blob_[1] = 'P', blob_[2] = 0, blob_[3] = static_cast<unsigned char>(native | (point ? 0 : 0x02));
  std::memcpy(&blob_[4], &srs_id_, 4);
  if (!point) {
    const double box[4] = {minx, maxx, miny, maxy};
    std::memcpy(&blob_[8], box, 32);
  }
  std::memcpy(&blob_[header], wkb, n);
  sqlite3_bind_blob(stmt_, 1, blob_.data(), static_cast<int>(blob_.size()), SQLITE_STATIC);
}

std::int64_t GpkgInsert::insert() {
  const int rc = sqlite3_step(stmt_);
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  if (rc != SQLITE_DONE)
    throw OutputError("cannot write a feature to layer '" + table_ + "': " + sqlite3_errmsg(db_));
  return sqlite3_last_insert_rowid(db_);
}

}  // namespace walkshed::detail
