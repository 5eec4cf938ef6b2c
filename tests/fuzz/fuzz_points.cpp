// libFuzzer target: reading a facility layer (GeoJSON through OGR) into the working CRS.
#include <cpl_error.h>

#include "fuzz_file.hpp"
#include "walkshed/core/error.hpp"
#include "walkshed/io/crs.hpp"
#include "walkshed/io/points.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string wkt = [] {
    CPLSetErrorHandler(CPLQuietErrorHandler);
    char* text = nullptr;
    walkshed::srs_from_epsg(4548).exportToWkt(&text);
    std::string out = text;
    CPLFree(text);
    return out;
  }();
  walkshed::PointLayerOptions o;
  o.path = fuzz_file(data, size, ".geojson");
  o.keep_footprints = true;
  try {
    walkshed::load_points(o, wkt);
  } catch (const walkshed::InputError&) {
  }
  check_open_files();
  return 0;
}
