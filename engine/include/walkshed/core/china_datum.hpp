// The offset coordinates of Chinese map services: GCJ-02 (Amap/Gaode, Tencent, Google China) and
// BD-09 (Baidu), both longitude/latitude, against WGS 84. The forward transforms are the published
// formulas (docs/method.md, "Coordinates used in China"); the inverses are found by iteration.
// Outside China's bounds the services use WGS 84, and so do these functions.
#pragma once
#include <string>

#include "walkshed/core/geometry.hpp"

namespace walkshed {

enum class Datum { WGS84, GCJ02, BD09 };

// "wgs84", "gcj02" (also "gcj-02", "amap", "tencent"), "bd09" (also "bd-09", "baidu"); throws
// InputError naming `what` for anything else.
Datum parse_datum(const std::string& text, const std::string& what);
const char* datum_name(Datum d);

// Longitude/latitude in degrees, x = longitude.
bool in_china(const XY& lonlat);
XY wgs84_to(Datum d, const XY& wgs84);
XY to_wgs84(Datum d, const XY& shifted);  // the inverse of wgs84_to to better than 1e-9 degrees

}  // namespace walkshed
