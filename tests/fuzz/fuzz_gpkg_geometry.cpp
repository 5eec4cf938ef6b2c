// libFuzzer target: the GeoPackage geometry blob parsers (the SQLite road reader's lines, and the
// boxes of walkshed index).
#include <cstddef>
#include <cstdint>

#include "io/gpkg/gpkg_lines.hpp"
#include "io/gpkg/gpkg_rtree.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  walkshed::LineSet parts;
  walkshed::detail::parse_gpkg_lines(data, size, parts);
  walkshed::detail::BlobBox box;
  walkshed::detail::blob_box(data, size, box);
  return 0;
}
