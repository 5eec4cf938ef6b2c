#include "io/gpkg/gpkg_styles.hpp"

#include <sqlite3.h>

#include "walkshed/core/error.hpp"

namespace walkshed::detail {

void write_gpkg_styles(const std::string& path, const std::vector<LayerStyle>& styles) {
  if (styles.empty()) return;
  sqlite3* db = nullptr;
  auto fail = [&](const std::string& what) {
    const std::string m = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    throw OutputError("cannot write the layer styles of '" + path + "': " + what + ": " + m);
  };
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) fail("cannot open");
  const char* schema =
      "BEGIN;"
      "CREATE TABLE IF NOT EXISTS layer_styles (id INTEGER PRIMARY KEY AUTOINCREMENT, f_table_catalog TEXT(256), "
      "f_table_schema TEXT(256), f_table_name TEXT(256), f_geometry_column TEXT(256), styleName TEXT(30), "
      "styleQML TEXT, styleSLD TEXT, useAsDefault BOOLEAN, description TEXT, owner TEXT(30), ui TEXT(30), "
      "update_time DATETIME DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')));"
      "INSERT OR IGNORE INTO gpkg_contents (table_name, data_type, identifier, last_change) "
      "VALUES ('layer_styles', 'attributes', 'layer_styles', strftime('%Y-%m-%dT%H:%M:%fZ','now'));";
  if (sqlite3_exec(db, schema, nullptr, nullptr, nullptr) != SQLITE_OK) fail("cannot create the table");
  sqlite3_stmt* insert = nullptr;
  if (sqlite3_prepare_v2(db,
                         "INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, f_geometry_column, "
                         "styleName, styleQML, styleSLD, useAsDefault, description, owner) "
                         "VALUES ('', '', ?, ?, ?, ?, '', 1, 'walkshed', '')",
                         -1, &insert, nullptr) != SQLITE_OK)
    fail("cannot prepare");
  for (const LayerStyle& s : styles) {
    sqlite3_bind_text(insert, 1, s.table.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(insert, 2, s.geometry_column.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(insert, 3, s.name.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(insert, 4, s.qml.c_str(), -1, SQLITE_TRANSIENT);
    if (sqlite3_step(insert) != SQLITE_DONE) {
      sqlite3_finalize(insert);
      fail("cannot insert the style of " + s.table);
    }
    sqlite3_reset(insert);
  }
  sqlite3_finalize(insert);
  if (sqlite3_exec(db, "COMMIT;", nullptr, nullptr, nullptr) != SQLITE_OK) fail("cannot commit");
  if (sqlite3_close(db) != SQLITE_OK) fail("cannot close");
}

}  // namespace walkshed::detail
