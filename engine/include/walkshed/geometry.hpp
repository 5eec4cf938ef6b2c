// Small planar geometry helpers (metres in the working CRS).
#pragma once
#include <cmath>
#include <vector>

namespace walkshed {

struct XY {
  double x = 0, y = 0;
};

inline bool operator==(const XY& a, const XY& b) { return a.x == b.x && a.y == b.y; }

inline double distance(const XY& a, const XY& b) { return std::hypot(a.x - b.x, a.y - b.y); }

using Polyline = std::vector<XY>;

}  // namespace walkshed
