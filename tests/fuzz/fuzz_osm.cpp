// libFuzzer target: reading the ways of an OSM PBF file through libosmium.
#include "fuzz_file.hpp"
#include "io/osm/osm_ways.hpp"
#include "walkshed/core/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = fuzz_file(data, size, ".osm.pbf");
  try {
    std::size_t points = 0;
    walkshed::detail::read_osm_ways(path, [&](const walkshed::detail::OsmWay& w) {
      points += w.points.size();
      w.tag("highway"), w.tag("foot"), w.tag("access");
    }, {});
  } catch (const walkshed::InputError&) {
  }
  check_open_files();
  return 0;
}
