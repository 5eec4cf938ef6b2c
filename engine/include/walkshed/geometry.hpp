// Small planar geometry helpers (metres in the working CRS).
#pragma once
#include <cmath>
#include <vector>

namespace walkshed {

struct XY {
  double x = 0, y = 0;
};

inline bool operator==(const XY& a, const XY& b) { return a.x == b.x && a.y == b.y; }

// sqrt rather than std::hypot: same result for map coordinates, several times faster.
inline double distance(const XY& a, const XY& b) {
  const double dx = a.x - b.x, dy = a.y - b.y;
  return std::sqrt(dx * dx + dy * dy);
}

using Polyline = std::vector<XY>;

}  // namespace walkshed
