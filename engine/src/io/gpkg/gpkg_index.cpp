#include "walkshed/io/gpkg_index.hpp"

#include <cmath>
#include <cstring>
#include <filesystem>
#include <memory>

#include <sqlite3.h>

#include "io/gpkg/gpkg_lines.hpp"
#include "io/gpkg/gpkg_rtree.hpp"
#include "io/gpkg/sql.hpp"
#include "walkshed/core/error.hpp"

namespace walkshed {

namespace {

// A bounded reader of WKB in either byte order.
struct Wkb {
  const std::uint8_t* p;
  const std::uint8_t* end;
  bool little = true;
  bool u32(std::uint32_t& v) {
    if (end - p < 4) return false;
    std::uint8_t b[4];
    std::memcpy(b, p, 4);
    if (!little) std::swap(b[0], b[3]), std::swap(b[1], b[2]);
    std::memcpy(&v, b, 4);
    p += 4;
    return true;
  }
  double f64(const std::uint8_t* at) const {
    std::uint8_t b[8];
    std::memcpy(b, at, 8);
    if (!little)
      for (int i = 0; i < 4; ++i) std::swap(b[i], b[7 - i]);
    double d;
    std::memcpy(&d, b, 8);
    return d;
  }
};

using detail::BlobBox;

// `n` points of `dims` doubles each.
bool read_points(Wkb& r, std::uint32_t n, int dims, BlobBox& box) {
  const std::size_t bytes = std::size_t(8) * dims;
  if (static_cast<std::size_t>(r.end - r.p) / bytes < n) return false;
  for (std::uint32_t i = 0; i < n; ++i, r.p += bytes) box.add(r.f64(r.p), r.f64(r.p + 8));
  return true;
}

// One WKB geometry (ISO or extended Z/M codes); curves are not read (an arc leaves its points' box).
bool read_geometry(Wkb& r, BlobBox& box, int depth) {
  if (depth > 32 || r.end - r.p < 5 || r.p[0] > 1) return false;
  r.little = r.p[0] == 1;
  ++r.p;
  std::uint32_t code;
  if (!r.u32(code)) return false;
  int dims = 2 + ((code & 0x80000000u) ? 1 : 0) + ((code & 0x40000000u) ? 1 : 0);
  code &= 0x0fffffffu;
  if (code >= 1000 && code < 4000) dims += code / 1000 == 3 ? 2 : 1, code %= 1000;
  std::uint32_t n;
  switch (code) {
    case 1:
      return read_points(r, 1, dims, box);
    case 2:
      return r.u32(n) && read_points(r, n, dims, box);
    case 3:
      if (!r.u32(n)) return false;
      for (std::uint32_t i = 0; i < n; ++i) {
        std::uint32_t k;
        if (!r.u32(k) || !read_points(r, k, dims, box)) return false;
      }
      return true;
    case 4: case 5: case 6: case 7:
      if (!r.u32(n) || n > static_cast<std::size_t>(r.end - r.p) / 5) return false;
      for (std::uint32_t i = 0; i < n; ++i)
        if (!read_geometry(r, box, depth + 1)) return false;
      return true;
    default:
      return false;
  }
}

struct Table {
  std::string name, geometry_column, fid_column;
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

namespace detail {

int blob_box(const std::uint8_t* blob, std::size_t size, BlobBox& box) {
  if (size < 8 || blob[0] != 'G' || blob[1] != 'P') return -1;
  const std::uint8_t flags = blob[3];
  if (flags & 0x20) return -1;  // extended geometry
  if (flags & 0x10) return 0;   // empty
  static const int envelope_bytes[] = {0, 32, 48, 48, 64};
  const int envelope = (flags >> 1) & 7;
  if (envelope > 4 || 8u + envelope_bytes[envelope] > size) return -1;
  Wkb r{blob + 8, blob + size, (flags & 1) != 0};
  if (envelope > 0) {
    box.add(r.f64(r.p), r.f64(r.p + 16));
    box.add(r.f64(r.p + 8), r.f64(r.p + 24));
    return box.empty() ? 0 : 1;
  }
  if (!read_geometry(r, box, 0)) return -1;
  return box.empty() ? 0 : 1;
}

}  // namespace detail

std::vector<GpkgIndexLayer> index_geopackage(const std::string& path, const std::vector<std::string>& layers,
                                             const Progress& progress) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) throw InputError("'" + path + "' does not exist");
  std::vector<Table> tables;
  std::vector<bool> had_index;
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
      tables.push_back(t);
      had_index.push_back(has(t));
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
    done.name = t.name, done.replaced = had_index[i];
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
