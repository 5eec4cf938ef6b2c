#include "gpkg_lines.hpp"

#include <cstring>
#include <memory>

#include <sqlite3.h>

#include "walkshed/error.hpp"

namespace walkshed::detail {

namespace {

struct Reader {
  const std::uint8_t* p;
  const std::uint8_t* end;
  bool take(std::size_t n) { return static_cast<std::size_t>(end - p) >= n; }
  bool u32(std::uint32_t& v) {
    if (!take(4)) return false;
    std::memcpy(&v, p, 4);
    p += 4;
    return true;
  }
};

// Little-endian WKB LineString at r.p; `dims` doubles per point.
bool read_linestring(Reader& r, int dims, LineSet& parts) {
  std::uint32_t n;
  if (!r.u32(n) || n > (r.end - r.p) / (8 * dims)) return false;
  const std::size_t at = parts.points.size();
  parts.points.resize(at + n);
  for (std::uint32_t i = 0; i < n; ++i, r.p += 8 * dims) {
    std::memcpy(&parts.points[at + i].x, r.p, 8);
    std::memcpy(&parts.points[at + i].y, r.p + 8, 8);
  }
  parts.first.push_back(static_cast<std::uint32_t>(parts.points.size()));
  return true;
}

// Geometry type and coordinate count of a WKB header (ISO 1000/2000/3000 and extended Z/M flags).
bool read_type(Reader& r, std::uint32_t& type, int& dims) {
  if (!r.take(5) || r.p[0] != 1) return false;  // big-endian WKB: left to OGR
  ++r.p;
  std::uint32_t code = 0;
  r.u32(code);
  dims = 2 + ((code & 0x80000000u) ? 1 : 0) + ((code & 0x40000000u) ? 1 : 0);
  code &= 0x0fffffffu;
  if (code >= 1000 && code < 4000) {
    const std::uint32_t z_m = code / 1000;  // 1 Z, 2 M, 3 ZM
    dims += z_m == 3 ? 2 : 1;
    code %= 1000;
  }
  type = code;
  return true;
}

}  // namespace

bool parse_gpkg_lines(const std::uint8_t* blob, std::size_t size, LineSet& parts) {
  if (size < 8 || blob[0] != 'G' || blob[1] != 'P') return false;
  const std::uint8_t flags = blob[3];
  if (flags & 0x30) return false;  // empty or extended geometry
  static const int envelope_bytes[] = {0, 32, 48, 48, 64};
  const int envelope = (flags >> 1) & 7;
  if (envelope > 4) return false;
  Reader r{blob + 8 + envelope_bytes[envelope], blob + size};
  if (r.p > r.end) return false;
  std::uint32_t type;
  int dims;
  if (!read_type(r, type, dims)) return false;
  const std::size_t before = parts.size();
  bool ok = false;
  if (type == 2) {
    ok = read_linestring(r, dims, parts);
  } else if (type == 5) {
    std::uint32_t n;
    ok = r.u32(n);
    for (std::uint32_t i = 0; ok && i < n; ++i) {
      std::uint32_t part_type;
      int part_dims;
      ok = read_type(r, part_type, part_dims) && part_type == 2 && read_linestring(r, part_dims, parts);
    }
  }
  if (!ok) {
    parts.first.resize(before + 1);
    parts.points.resize(parts.first.back());
  }
  return ok;
}

std::string sql_quoted(const std::string& s, char quote) {
  std::string out(1, quote);
  for (char c : s) out += c == quote ? std::string(2, quote) : std::string(1, c);
  return out + quote;
}

bool read_gpkg_rows(const std::string& path, const std::string& table, const std::string& fid_column,
                    const std::string& geometry_column, const GpkgColumns& columns,
                    const std::function<void(const GpkgRow&)>& row) {
  // Closed on every way out, also when `row` throws (a cancel, a bad feature).
  std::unique_ptr<sqlite3, int (*)(sqlite3*)> db(nullptr, sqlite3_close);
  sqlite3* handle = nullptr;
  // One thread uses the connection: no mutex around each call (about 750k calls on 93k rows).
  const int opened = sqlite3_open_v2(path.c_str(), &handle, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr);
  db.reset(handle);
  if (opened != SQLITE_OK) return false;
  auto column = [](const std::string& name) { return name.empty() ? std::string("NULL") : sql_quoted(name); };
  const std::string sql = "SELECT " + column(fid_column) + ", " + column(geometry_column) + ", " + column(columns.text) +
                          ", " + column(columns.ints[0]) + ", " + column(columns.ints[1]) + " FROM " + column(table);
  std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> st(nullptr, sqlite3_finalize);
  sqlite3_stmt* statement = nullptr;
  const int prepared = sqlite3_prepare_v2(db.get(), sql.c_str(), -1, &statement, nullptr);
  st.reset(statement);
  if (prepared != SQLITE_OK) return false;
  int rc;
  GpkgRow r;
  while ((rc = sqlite3_step(st.get())) == SQLITE_ROW) {
    r.fid = sqlite3_column_int64(st.get(), 0);
    r.blob = static_cast<const std::uint8_t*>(sqlite3_column_blob(st.get(), 1));
    r.size = sqlite3_column_bytes(st.get(), 1);
    r.text = reinterpret_cast<const char*>(sqlite3_column_text(st.get(), 2));
    for (int k = 0; k < 2; ++k) {
      r.int_set[k] = sqlite3_column_type(st.get(), 3 + k) != SQLITE_NULL;
      r.ints[k] = sqlite3_column_int64(st.get(), 3 + k);
    }
    row(r);
  }
  if (rc != SQLITE_DONE)
    throw InputError("'" + path + "', table '" + table + "': " + sqlite3_errmsg(db.get()));
  return true;
}

}  // namespace walkshed::detail
