// Boxes of GeoPackage geometry blobs (blob_box of gpkg_rtree.hpp), for walkshed index.
#include "io/gpkg/gpkg_rtree.hpp"

#include <cstring>
#include <utility>

namespace walkshed::detail {

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

}  // namespace

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

}  // namespace walkshed::detail
