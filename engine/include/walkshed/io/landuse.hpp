// Reading land-use parcels into the working CRS.
#pragma once
#include <string>
#include <vector>

#include "walkshed/rules/landuse.hpp"

namespace walkshed {

struct LanduseLayerOptions {
  std::string path, layer, where, source_srs;
  std::string datum;        // lon/lat layers: wgs84 (default), gcj02 (Amap, Tencent) or bd09 (Baidu)
  std::string code_field;  // empty: guessed (landuse_code, code, YDDM, DLBM, 用地代码 ...), else OSM tags
  std::string id_field;    // empty: parcel_id, id, else the feature id
  std::vector<double> clip;  // a partition's box (working CRS): parcels whose box misses it are left out
};

// Codes from the named field or a guessed one, else the OSM tags (landuse, amenity, leisure, place,
// natural). Invalid polygons are repaired (counted); throws InputError when no parcel is read.
LanduseLayer load_landuse(const LanduseLayerOptions& options, const std::string& target_wkt);

}  // namespace walkshed
