// Small planar geometry helpers (metres in the working CRS).
#pragma once
#include <cmath>
#include <cstdint>
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

// The centre of the points' bounding box (the data centre that picks the working CRS).
inline XY box_centre(const std::vector<XY>& points) {
  double x0 = INFINITY, y0 = x0, x1 = -x0, y1 = -x0;
  for (const XY& p : points) {
    x0 = std::fmin(x0, p.x), x1 = std::fmax(x1, p.x);
    y0 = std::fmin(y0, p.y), y1 = std::fmax(y1, p.y);
  }
  return {(x0 + x1) / 2, (y0 + y1) / 2};
}

using Polyline = std::vector<XY>;

// Polylines stored end to end (one allocation for a whole network): line i is
// points[first[i]] ... points[first[i + 1] - 1].
struct LineSet {
  std::vector<XY> points;
  std::vector<std::uint32_t> first{0};

  std::uint32_t size() const { return static_cast<std::uint32_t>(first.size() - 1); }
  bool empty() const { return size() == 0; }
  std::uint32_t count(std::uint32_t i) const { return first[i + 1] - first[i]; }
  const XY& at(std::uint32_t i, std::uint32_t k) const { return points[first[i] + k]; }
  XY& at(std::uint32_t i, std::uint32_t k) { return points[first[i] + k]; }
  Polyline line(std::uint32_t i) const { return {points.begin() + first[i], points.begin() + first[i + 1]}; }
  void add(const XY* p, std::size_t n) {
    points.insert(points.end(), p, p + n);
    first.push_back(static_cast<std::uint32_t>(points.size()));
  }
  void add(const Polyline& p) { add(p.data(), p.size()); }
};

}  // namespace walkshed
