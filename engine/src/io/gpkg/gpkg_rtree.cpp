#include "io/gpkg/gpkg_rtree.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>

#include <sqlite3.h>

#include "io/gpkg/sql.hpp"
#include "walkshed/core/error.hpp"

namespace walkshed::detail {

namespace {

float down(double d) {
  float f = static_cast<float>(d);
  return f > d ? std::nextafter(f, -INFINITY) : f;
}

float up(double d) {
  float f = static_cast<float>(d);
  return f < d ? std::nextafter(f, INFINITY) : f;
}

// Position of (x, y) on a Hilbert curve over a 2^16 x 2^16 grid.
std::uint64_t hilbert(std::uint32_t x, std::uint32_t y) {
  std::uint64_t d = 0;
  for (std::uint32_t s = 1u << 15; s > 0; s >>= 1) {
    const std::uint32_t rx = (x & s) ? 1 : 0, ry = (y & s) ? 1 : 0;
    d += std::uint64_t(s) * s * ((3 * rx) ^ ry);
    if (ry == 0) {
      if (rx == 1) x = (1u << 16) - 1 - x, y = (1u << 16) - 1 - y;
      std::swap(x, y);
    }
  }
  return d;
}

std::string quoted(const std::string& name) { return sql_quoted(name); }
std::string literal(const std::string& text) { return sql_quoted(text, '\''); }

void put_be(std::uint8_t*& p, std::uint64_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) *p++ = static_cast<std::uint8_t>(v >> (8 * i));
}

// One node blob: depth (read from the root only), cell count, cells (id, 4 coordinates), zero padded.
std::vector<std::uint8_t> node_blob(int size, int depth, const RtreeEntry* cells, std::size_t n) {
  std::vector<std::uint8_t> blob(size, 0);
  std::uint8_t* p = blob.data();
  put_be(p, depth, 2);
  put_be(p, n, 2);
  for (std::size_t i = 0; i < n; ++i) {
    put_be(p, static_cast<std::uint64_t>(cells[i].id), 8);
    for (float f : {cells[i].minx, cells[i].maxx, cells[i].miny, cells[i].maxy}) {
      std::uint32_t bits;
      std::memcpy(&bits, &f, 4);
      put_be(p, bits, 4);
    }
  }
  return blob;
}

class Db {
 public:
  explicit Db(const std::string& path) : path_(path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) fail("cannot open");
  }
  ~Db() { sqlite3_close(db_); }
  void exec(const std::string& sql) {
    char* message = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
      const std::string m = message ? message : "";
      sqlite3_free(message);
      throw OutputError("cannot write the spatial index of '" + path_ + "': " + m);
    }
  }
  sqlite3_stmt* prepare(const std::string& sql) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) fail("cannot prepare");
    return st;
  }
  // Binds two values (int64 or blob) and runs the statement once.
  void run(sqlite3_stmt* st, std::int64_t a, std::int64_t b, const std::vector<std::uint8_t>* blob = nullptr) {
    sqlite3_bind_int64(st, 1, a);
    if (blob) sqlite3_bind_blob(st, 2, blob->data(), static_cast<int>(blob->size()), SQLITE_STATIC);
    else sqlite3_bind_int64(st, 2, b);
    if (sqlite3_step(st) != SQLITE_DONE) fail("cannot insert");
    sqlite3_reset(st);
  }
  bool has_table(const std::string& name) {
    sqlite3_stmt* st = prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = " + literal(name));
    const bool found = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    return found;
  }
  [[noreturn]] void fail(const char* what) {
    throw OutputError("cannot write the spatial index of '" + path_ + "': " + what + ": " + sqlite3_errmsg(db_));
  }

 private:
  std::string path_;
  sqlite3* db_ = nullptr;
};

void write_one(Db& db, const RtreeLayer& layer) {
  const std::string rtree = "rtree_" + layer.table + "_" + layer.geometry_column;
  const std::string t = quoted(layer.table), c = quoted(layer.geometry_column), fid = quoted(layer.fid_column),
                    r = quoted(rtree);
  if (layer.replace) {
    db.exec("DROP TABLE IF EXISTS " + r);
    std::vector<std::string> old;
    sqlite3_stmt* st = db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND lower(tbl_name) = lower(" +
                                  literal(layer.table) + ") AND substr(name, 1, " + std::to_string(rtree.size() + 1) +
                                  ") = " + literal(rtree + "_"));
    while (sqlite3_step(st) == SQLITE_ROW) old.push_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
    sqlite3_finalize(st);
    for (auto& name : old) db.exec("DROP TRIGGER " + quoted(name));
    if (db.has_table("gpkg_extensions"))
      db.exec("DELETE FROM gpkg_extensions WHERE lower(table_name) = lower(" + literal(layer.table) +
              ") AND extension_name = 'gpkg_rtree_index'");
  }
  db.exec("CREATE VIRTUAL TABLE " + r + " USING rtree(id, minx, maxx, miny, maxy)");
  // Triggers of the GeoPackage specification (keep the index right when the layer is edited).
  const std::string when_geom = "(NEW." + c + " NOTNULL AND NOT ST_IsEmpty(NEW." + c + "))";
  const std::string no_geom = "(NEW." + c + " ISNULL OR ST_IsEmpty(NEW." + c + "))";
  const std::string insert = "INSERT OR REPLACE INTO " + r + " VALUES (NEW." + fid + ", ST_MinX(NEW." + c +
                             "), ST_MaxX(NEW." + c + "), ST_MinY(NEW." + c + "), ST_MaxY(NEW." + c + "));";
  auto trigger = [&](const std::string& name, const std::string& event, const std::string& when,
                     const std::string& body) {
    db.exec("CREATE TRIGGER " + quoted(rtree + "_" + name) + " AFTER " + event + " ON " + t + " WHEN " + when +
            " BEGIN " + body + " END");
  };
  trigger("insert", "INSERT", when_geom, insert);
  trigger("update1", "UPDATE OF " + c, "OLD." + fid + " = NEW." + fid + " AND " + when_geom, insert);
  trigger("update2", "UPDATE OF " + c, "OLD." + fid + " = NEW." + fid + " AND " + no_geom,
          "DELETE FROM " + r + " WHERE id = OLD." + fid + ";");
  trigger("update3", "UPDATE", "OLD." + fid + " != NEW." + fid + " AND " + when_geom,
          "DELETE FROM " + r + " WHERE id = OLD." + fid + "; " + insert);
  trigger("update4", "UPDATE", "OLD." + fid + " != NEW." + fid + " AND " + no_geom,
          "DELETE FROM " + r + " WHERE id IN (OLD." + fid + ", NEW." + fid + ");");
  trigger("delete", "DELETE", "OLD." + c + " NOT NULL", "DELETE FROM " + r + " WHERE id = OLD." + fid + ";");
  db.exec("CREATE TABLE IF NOT EXISTS gpkg_extensions (table_name TEXT, column_name TEXT, "
          "extension_name TEXT NOT NULL, definition TEXT NOT NULL, scope TEXT NOT NULL, "
          "CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name))");
  db.exec("INSERT INTO gpkg_extensions VALUES (" + literal(layer.table) + ", " + literal(layer.geometry_column) +
          ", 'gpkg_rtree_index', 'http://www.geopackage.org/spec120/#extension_rtree', 'write-only')");

  // The node size SQLite chose for this page size; the tree packed in Hilbert order of box centres.
  int node_size = 0;
  {
    sqlite3_stmt* st = db.prepare("SELECT length(data) FROM " + quoted(rtree + "_node") + " WHERE nodeno = 1");
    if (sqlite3_step(st) == SQLITE_ROW) node_size = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
  }
  const std::size_t per_node = node_size > 4 ? static_cast<std::size_t>(node_size - 4) / 24 : 0;
  if (per_node < 2) db.fail("unexpected R-tree node size");
  const auto& e = layer.entries;
  if (e.empty()) return;
  float x0 = e[0].minx, x1 = e[0].maxx, y0 = e[0].miny, y1 = e[0].maxy;
  for (const auto& b : e)
    x0 = std::min(x0, b.minx), x1 = std::max(x1, b.maxx), y0 = std::min(y0, b.miny), y1 = std::max(y1, b.maxy);
  const double sx = x1 > x0 ? 65535.0 / (double(x1) - x0) : 0, sy = y1 > y0 ? 65535.0 / (double(y1) - y0) : 0;
  std::vector<std::pair<std::uint64_t, std::size_t>> order(e.size());
  for (std::size_t i = 0; i < e.size(); ++i) {
    const double cx = (double(e[i].minx) + e[i].maxx) / 2, cy = (double(e[i].miny) + e[i].maxy) / 2;
    order[i] = {hilbert(static_cast<std::uint32_t>((cx - x0) * sx), static_cast<std::uint32_t>((cy - y0) * sy)), i};
  }
  std::sort(order.begin(), order.end());
  std::vector<RtreeEntry> level(e.size());
  for (std::size_t i = 0; i < e.size(); ++i) level[i] = e[order[i].second];

  db.exec("DELETE FROM " + quoted(rtree + "_node"));
  sqlite3_stmt* node = db.prepare("INSERT INTO " + quoted(rtree + "_node") + " VALUES (?, ?)");
  sqlite3_stmt* parent = db.prepare("INSERT INTO " + quoted(rtree + "_parent") + " VALUES (?, ?)");
  sqlite3_stmt* rowid = db.prepare("INSERT INTO " + quoted(rtree + "_rowid") + " VALUES (?, ?)");
  try {
    // Cells of a node at `depth` are features (0) or child nodes: record where each one lives.
    auto place = [&](std::int64_t nodeno, int depth, const RtreeEntry* cells, std::size_t n) {
      const auto blob = node_blob(node_size, nodeno == 1 ? depth : 0, cells, n);
      db.run(node, nodeno, 0, &blob);
      for (std::size_t i = 0; i < n; ++i) db.run(depth == 0 ? rowid : parent, cells[i].id, nodeno);
    };
    std::int64_t next = 2;
    int depth = 0;
    while (level.size() > per_node) {
      std::vector<RtreeEntry> up_level;
      for (std::size_t i = 0; i < level.size(); i += per_node) {
        const std::size_t n = std::min(per_node, level.size() - i);
        RtreeEntry box{next, level[i].minx, level[i].maxx, level[i].miny, level[i].maxy};
        for (std::size_t k = i; k < i + n; ++k)
          box.minx = std::min(box.minx, level[k].minx), box.maxx = std::max(box.maxx, level[k].maxx),
          box.miny = std::min(box.miny, level[k].miny), box.maxy = std::max(box.maxy, level[k].maxy);
        place(next++, depth, &level[i], n);
        up_level.push_back(box);
      }
      level = std::move(up_level);
      ++depth;
    }
    place(1, depth, level.data(), level.size());
  } catch (...) {
    sqlite3_finalize(node), sqlite3_finalize(parent), sqlite3_finalize(rowid);
    throw;
  }
  sqlite3_finalize(node), sqlite3_finalize(parent), sqlite3_finalize(rowid);
}

}  // namespace

RtreeEntry rtree_entry(std::int64_t id, double minx, double maxx, double miny, double maxy) {
  return {id, down(minx), up(maxx), down(miny), up(maxy)};
}

void write_gpkg_rtrees(const std::string& path, const std::vector<std::unique_ptr<RtreeLayer>>& layers) {
  Db db(path);
  db.exec("BEGIN");
  for (const auto& layer : layers) {
    write_one(db, *layer);
    if (!layer->direct) continue;
    const std::string t = literal(layer->table);
    char box[160];
    if (!layer->entries.empty())
      std::snprintf(box, sizeof box, "min_x = %.17g, max_x = %.17g, min_y = %.17g, max_y = %.17g", layer->minx, layer->maxx,
                    layer->miny, layer->maxy);
    else
      std::snprintf(box, sizeof box, "min_x = NULL, max_x = NULL, min_y = NULL, max_y = NULL");
    db.exec("UPDATE gpkg_contents SET " + std::string(box) + " WHERE lower(table_name) = lower(" + t + ")");
    if (db.has_table("gpkg_ogr_contents"))  // GDAL's; other writers' GeoPackages may not have it
      db.exec("UPDATE gpkg_ogr_contents SET feature_count = (SELECT COUNT(*) FROM " + quoted(layer->table) +
              ") WHERE lower(table_name) = lower(" + t + ")");
    for (auto& sql : layer->triggers) db.exec(sql);
  }
  db.exec("COMMIT");
}

}  // namespace walkshed::detail
