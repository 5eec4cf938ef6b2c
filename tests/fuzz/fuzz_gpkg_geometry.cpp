// libFuzzer target: the GeoPackage geometry blob parser of the SQLite road reader.
#include <cstddef>
#include <cstdint>

#include "io/gpkg/gpkg_lines.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  walkshed::LineSet parts;
  walkshed::detail::parse_gpkg_lines(data, size, parts);
  return 0;
}
