#include <cmath>

#include "walkshed/core/zone.hpp"

namespace walkshed {

bool in_china(double lon, double lat) { return lon >= 73.5 && lon <= 135.1 && lat >= 18.0 && lat <= 53.6; }

int metric_epsg_for(double lon, double lat) {
  if (in_china(lon, lat)) {
    // EPSG:4534 is CGCS2000 / 3-degree Gauss-Kruger CM 75E, ..., 4554 is CM 135E.
    int k = static_cast<int>(std::lround((lon - 75.0) / 3.0));
    if (k < 0) k = 0;
    if (k > 20) k = 20;
    return 4534 + k;
  }
  int zone = static_cast<int>(std::floor((lon + 180.0) / 6.0)) + 1;
  if (zone < 1) zone = 1;
  if (zone > 60) zone = 60;
  return (lat >= 0 ? 32600 : 32700) + zone;
}

}  // namespace walkshed
