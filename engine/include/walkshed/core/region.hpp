// Areas in the working CRS (communities, buildings, parcels, site footprints), held as plain rings
// so that no reader's geometry type crosses into the analysis. The operations run on GEOS.
#pragma once
#include <cmath>
#include <memory>
#include <vector>

#include "walkshed/core/geometry.hpp"

namespace walkshed {

struct Box {
  double min_x = INFINITY, min_y = INFINITY, max_x = -INFINITY, max_y = -INFINITY;
  bool empty() const { return min_x > max_x; }
  void add(const XY& p) {
    min_x = std::fmin(min_x, p.x), max_x = std::fmax(max_x, p.x);
    min_y = std::fmin(min_y, p.y), max_y = std::fmax(max_y, p.y);
  }
  void add(const Box& b) {
    min_x = std::fmin(min_x, b.min_x), max_x = std::fmax(max_x, b.max_x);
    min_y = std::fmin(min_y, b.min_y), max_y = std::fmax(max_y, b.max_y);
  }
  bool intersects(const Box& b) const {
    return !empty() && !b.empty() && min_x <= b.max_x && b.min_x <= max_x && min_y <= b.max_y && b.min_y <= max_y;
  }
  bool contains(const Box& b) const {
    return !empty() && !b.empty() && min_x <= b.min_x && b.max_x <= max_x && min_y <= b.min_y && b.max_y <= max_y;
  }
};

using Ring = std::vector<XY>;  // closed: the last point repeats the first

struct Polygon {
  std::vector<Ring> rings;  // the outer ring, then the holes
};

// A polygon or multipolygon; empty when it has no polygon.
struct Region {
  std::vector<Polygon> polygons;
  bool empty() const { return polygons.empty(); }
  Box box() const;
};

double area(const Region& r);
// A point inside (GEOS point on surface), else the centroid, else the box centre.
XY point_on_surface(const Region& r);
// Area of the intersection; 0 when GEOS cannot compute it (invalid input).
double intersection_area(const Region& a, const Region& b);
// Boundary points are not contained (as GEOS Contains); covered includes them.
bool contains(const Region& r, const XY& p);
bool covers(const Region& r, const XY& p);

// A region prepared for many point tests.
class PreparedRegion {
 public:
  explicit PreparedRegion(const Region& r);
  ~PreparedRegion();
  PreparedRegion(const PreparedRegion&) = delete;
  PreparedRegion& operator=(const PreparedRegion&) = delete;
  bool contains(const XY& p) const;
  const Box& box() const { return box_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  Box box_;
};

}  // namespace walkshed
