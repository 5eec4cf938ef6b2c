#include "walkshed/io/gpkg_index.hpp"

#include <filesystem>
#include <memory>

#include <sqlite3.h>

#include "io/gpkg/gpkg_lines.hpp"
#include "io/gpkg/gpkg_rtree.hpp"
#include "io/gpkg/sql.hpp"
#include "walkshed/core/error.hpp"

namespace walkshed {

namespace {

struct Table {
  std::string name, geometry_column, fid_column;
  bool indexed = false;  // it has an R-tree already
};

class Connection {
 public:
  explicit Connection(const std::string& path) : path_(path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
      sqlite3_close(db_);
      throw InputError("'" + path + "' cannot be opened as a GeoPackage");
    }
  }
  ~Connection() { sqlite3_close(db_); }
  // The rows of a query of text columns; an InputError naming the file when it fails.
  std::vector<std::vector<std::string>> rows(const std::string& sql) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
      const std::string m = sqlite3_errmsg(db_);
      sqlite3_finalize(st);
      throw InputError("'" + path_ + "' is not a GeoPackage: " + m);
    }
    std::vector<std::vector<std::string>> out;
    while (sqlite3_step(st) == SQLITE_ROW) {
      out.emplace_back();
      for (int i = 0; i < sqlite3_column_count(st); ++i) {
        const auto* t = sqlite3_column_text(st, i);
        out.back().push_back(t ? reinterpret_cast<const char*>(t) : "");
      }
    }
    sqlite3_finalize(st);
    return out;
  }

 private:
  std::string path_;
  sqlite3* db_ = nullptr;
};

}  // namespace

std::vector<GpkgIndexLayer> index_geopackage(const std::string& path, const std::vector<std::string>& layers,
                                             const Progress& progress) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) throw InputError("'" + path + "' does not exist");
  std::vector<Table> tables;
  {
    Connection db(path);
    const auto all = db.rows("SELECT table_name, column_name FROM gpkg_geometry_columns ORDER BY table_name");
    // An index there already (its table, with or without its gpkg_extensions row) is replaced.
    auto has = [&](const Table& t) {
      return !db.rows("SELECT 1 FROM sqlite_master WHERE lower(name) = lower(" +
                      detail::sql_quoted("rtree_" + t.name + "_" + t.geometry_column, '\'') + ")")
                  .empty();
    };
    auto pick = [&](const std::vector<std::string>& row) {
      Table t{row[0], row[1], ""};
      for (auto& col : db.rows("PRAGMA table_info(" + detail::sql_quoted(t.name) + ")"))
        if (col.size() > 5 && col[5] == "1" && (col[2] == "INTEGER" || col[2] == "integer")) t.fid_column = col[1];
      if (t.fid_column.empty())
        throw InputError("'" + path + "', layer '" + t.name + "': no INTEGER PRIMARY KEY (not a GeoPackage feature table)");
      t.indexed = has(t);
      tables.push_back(t);
    };
    if (layers.empty()) {
      for (auto& row : all) pick(row);
    } else {
      for (auto& name : layers) {
        bool found = false;
        for (auto& row : all)
          if (row[0] == name) pick(row), found = true;
        if (!found) throw InputError("'" + path + "': no feature layer '" + name + "'");
      }
    }
  }
  std::vector<std::unique_ptr<detail::RtreeLayer>> rtrees;
  std::vector<GpkgIndexLayer> out;
  for (std::size_t i = 0; i < tables.size(); ++i) {
    const auto& t = tables[i];
    auto layer = std::make_unique<detail::RtreeLayer>();
    layer->table = t.name, layer->fid_column = t.fid_column, layer->geometry_column = t.geometry_column;
    layer->direct = true, layer->replace = true;
    GpkgIndexLayer done;
    done.name = t.name, done.replaced = t.indexed;
    const bool ok = detail::read_gpkg_rows(path, t.name, t.fid_column, t.geometry_column, {}, [&](const detail::GpkgRow& row) {
      ++done.features;
      if (!row.blob) return;
      detail::BlobBox box;
      const int got = detail::blob_box(row.blob, row.size, box);
      if (got < 0) ++done.unreadable;
      if (got <= 0) return;
      layer->add(row.fid, box.minx, box.maxx, box.miny, box.maxy);
      ++done.indexed;
    });
    if (!ok) throw InputError("'" + path + "', layer '" + t.name + "' cannot be read");
    report(progress, double(i + 1) / (tables.size() + 1), "reading");
    rtrees.push_back(std::move(layer));
    out.push_back(done);
  }
  detail::write_gpkg_rtrees(path, rtrees);
  report(progress, 1.0, "indexed");
  return out;
}

}  // namespace walkshed
