#include "io/gpkg/gpkg_lines.hpp"

#include <cmath>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>

#include <sqlite3.h>

#include "io/gpkg/sql.hpp"

#include "walkshed/core/error.hpp"

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

// The WKB after a GeoPackage blob's header; false for an empty or extended geometry.
bool gpkg_wkb(const std::uint8_t* blob, std::size_t size, Reader& r) {
  if (size < 8 || blob[0] != 'G' || blob[1] != 'P') return false;
  const std::uint8_t flags = blob[3];
  if (flags & 0x30) return false;  // empty or extended geometry
  static const int envelope_bytes[] = {0, 32, 48, 48, 64};
  const int envelope = (flags >> 1) & 7;
  if (envelope > 4 || 8u + envelope_bytes[envelope] > size) return false;
  r = {blob + 8 + envelope_bytes[envelope], blob + size};
  return true;
}

}  // namespace

bool parse_gpkg_lines(const std::uint8_t* blob, std::size_t size, LineSet& parts) {
  Reader r{nullptr, nullptr};
  std::uint32_t type;
  int dims;
  if (!gpkg_wkb(blob, size, r) || !read_type(r, type, dims)) return false;
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

namespace {

// Rows copied out of SQLite, so that one thread can step the query while another uses them.
struct Batch {
  struct Row {
    std::int64_t fid;
    std::size_t blob_at, blob_size, text_at;  // offsets into bytes; text_at kNone for NULL
    std::int64_t ints[2];
    bool blob_null, int_set[2];
  };
  static constexpr std::size_t kNone = ~std::size_t(0);
  std::vector<std::uint8_t> bytes;
  std::vector<Row> rows;
};

// Steps the statement into `b` (cleared first) up to `limit` rows; returns the last step's code.
int fill(sqlite3_stmt* st, Batch& b, std::size_t limit) {
  b.bytes.clear(), b.rows.clear();
  int rc = SQLITE_ROW;
  while (b.rows.size() < limit && (rc = sqlite3_step(st)) == SQLITE_ROW) {
    Batch::Row r;
    r.fid = sqlite3_column_int64(st, 0);
    const void* blob = sqlite3_column_blob(st, 1);
    r.blob_null = blob == nullptr;
    r.blob_size = sqlite3_column_bytes(st, 1);
    r.blob_at = b.bytes.size();
    if (blob) b.bytes.insert(b.bytes.end(), static_cast<const std::uint8_t*>(blob), static_cast<const std::uint8_t*>(blob) + r.blob_size);
    const auto* text = sqlite3_column_text(st, 2);
    r.text_at = text ? b.bytes.size() : Batch::kNone;
    if (text) b.bytes.insert(b.bytes.end(), text, text + sqlite3_column_bytes(st, 2) + 1);  // with its NUL
    for (int k = 0; k < 2; ++k) {
      r.int_set[k] = sqlite3_column_type(st, 3 + k) != SQLITE_NULL;
      r.ints[k] = sqlite3_column_int64(st, 3 + k);
    }
    b.rows.push_back(r);
  }
  return rc;
}

}  // namespace

bool read_gpkg_rows(const std::string& path, const std::string& table, const std::string& fid_column,
                    const std::string& geometry_column, const GpkgColumns& columns,
                    const std::function<void(const GpkgRow&)>& row, int threads) {
  // Closed on every way out, also when `row` throws (a cancel, a bad feature).
  std::unique_ptr<sqlite3, int (*)(sqlite3*)> db(nullptr, sqlite3_close);
  sqlite3* handle = nullptr;
  // One thread at a time uses the connection: no mutex around each call (about 750k calls on 93k rows).
  const int opened = sqlite3_open_v2(path.c_str(), &handle, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr);
  db.reset(handle);
  if (opened != SQLITE_OK) return false;
  // One pass over the table: a small page cache does (SQLite's default is 2 MB).
  sqlite3_exec(db.get(), "PRAGMA cache_size = 64", nullptr, nullptr, nullptr);
  auto column = [](const std::string& name) { return name.empty() ? std::string("NULL") : sql_quoted(name); };
  const std::string sql = "SELECT " + column(fid_column) + ", " + column(geometry_column) + ", " + column(columns.text) +
                          ", " + column(columns.ints[0]) + ", " + column(columns.ints[1]) + " FROM " + column(table);
  std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> st(nullptr, sqlite3_finalize);
  sqlite3_stmt* statement = nullptr;
  const int prepared = sqlite3_prepare_v2(db.get(), sql.c_str(), -1, &statement, nullptr);
  st.reset(statement);
  if (prepared != SQLITE_OK) return false;
  auto failed = [&] { return InputError("'" + path + "', table '" + table + "': " + sqlite3_errmsg(db.get())); };

  auto use = [&](const Batch& b) {
    GpkgRow r;
    for (const auto& x : b.rows) {
      r.fid = x.fid;
      r.blob = x.blob_null ? nullptr : b.bytes.data() + x.blob_at;
      r.size = x.blob_size;
      r.text = x.text_at == Batch::kNone ? nullptr : reinterpret_cast<const char*>(b.bytes.data() + x.text_at);
      for (int k = 0; k < 2; ++k) r.ints[k] = x.ints[k], r.int_set[k] = x.int_set[k];
      row(r);
    }
  };
  constexpr std::size_t kRows = 512;
  if (threads < 2) {
    Batch b;
    int rc;
    do {
      rc = fill(st.get(), b, kRows);
      use(b);
    } while (rc == SQLITE_ROW);
    if (rc != SQLITE_DONE) throw failed();
    return true;
  }

  // Two threads: SQLite steps the query (about half the time on a city network) while the caller's
  // thread parses the rows already read. A few batches circulate between them.
  std::vector<Batch> batches(4);
  std::deque<Batch*> full, empty;
  for (auto& b : batches) empty.push_back(&b);
  std::mutex m;
  std::condition_variable changed;
  bool finished = false, stop = false;
  int last = SQLITE_DONE;
  std::exception_ptr reader_error;  // out of memory while copying
  std::thread reader([&] {
    int rc = SQLITE_ROW;
    try {
      while (rc == SQLITE_ROW) {
        Batch* b;
        {
          std::unique_lock<std::mutex> lock(m);
          changed.wait(lock, [&] { return stop || !empty.empty(); });
          if (stop) break;
          b = empty.front();
          empty.pop_front();
        }
        rc = fill(st.get(), *b, kRows);
        std::lock_guard<std::mutex> lock(m);
        full.push_back(b);
        changed.notify_all();
      }
    } catch (...) {
      reader_error = std::current_exception();
    }
    std::lock_guard<std::mutex> lock(m);
    finished = true, last = rc;
    changed.notify_all();
  });
  try {
    for (;;) {
      Batch* b;
      {
        std::unique_lock<std::mutex> lock(m);
        changed.wait(lock, [&] { return finished || !full.empty(); });
        if (full.empty()) break;
        b = full.front();
        full.pop_front();
      }
      use(*b);
      std::lock_guard<std::mutex> lock(m);
      empty.push_back(b);
      changed.notify_all();
    }
  } catch (...) {
    {
      std::lock_guard<std::mutex> lock(m);
      stop = true;
      changed.notify_all();
    }
    reader.join();
    throw;
  }
  reader.join();
  if (reader_error) std::rethrow_exception(reader_error);
  if (last != SQLITE_ROW && last != SQLITE_DONE) throw failed();
  return true;
}

bool read_gpkg_road_rows(const std::string& path, const std::string& table, const std::string& fid_column,
                         const std::string& geometry_column, const GpkgColumns& columns, bool node_ids, int threads,
                         RoadSet& out, const std::function<void()>& tick,
                         const std::function<bool(std::int64_t fid, LineSet& parts)>& other) {
  LineSet parts;
  std::string cls;
  return read_gpkg_rows(
      path, table, fid_column, geometry_column, columns,
      [&](const GpkgRow& r) {
        tick();
        parts.points.clear(), parts.first.resize(1);
        cls = r.text ? r.text : "";
        const std::int64_t* node = r.int_set[0] && r.int_set[1] ? r.ints : nullptr;
        if (!(r.blob && parse_gpkg_lines(r.blob, r.size, parts)) && !other(r.fid, parts)) {
          ++out.dropped["empty geometry"];
          return;
        }
        out.add_feature(parts, r.fid, cls, node_ids, node);
      },
      threads);
}

}  // namespace walkshed::detail
