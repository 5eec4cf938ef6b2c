// Areas in the working CRS (communities, buildings, parcels, site footprints), held as plain rings
// so that no reader's geometry type crosses into the analysis. The operations run on GEOS.
#pragma once
#include <cmath>
#include <cstdint>
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

// A partition's box {min_x, min_y, max_x, max_y} (empty: no partition): whether `b` meets it.
inline bool meets_clip(const std::vector<double>& clip, const Box& b) {
  return clip.size() != 4 || !(b.max_x < clip[0] || b.max_y < clip[1] || b.min_x > clip[2] || b.min_y > clip[3]);
}


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

// Many regions (communities) prepared for point tests, with a grid over their boxes.
class RegionIndex {
 public:
  explicit RegionIndex(const std::vector<const Region*>& regions);
  std::size_t size() const { return prepared_.size(); }
  const PreparedRegion* region(std::size_t i) const { return prepared_[i].get(); }  // null when empty
  static constexpr std::uint32_t kNone = 0xffffffff;  // the graph's kInvalid
  // The first region (lowest index) containing p, or kNone.
  std::uint32_t first_containing(const XY& p) const;
  // Calls f(a, b), a < b, once for each pair of regions whose boxes meet.
  template <class F>
  void for_box_pairs(F&& f) const {
    for (std::size_t c = 0; c + 1 < cell_first_.size(); ++c)
      for (std::uint32_t i = cell_first_[c]; i < cell_first_[c + 1]; ++i)
        for (std::uint32_t j = i + 1; j < cell_first_[c + 1]; ++j) {
          const std::uint32_t a = cell_region_[i], b = cell_region_[j];
          const Box &x = prepared_[a]->box(), &y = prepared_[b]->box();
          // The pair is met in every cell its boxes share: take it in the one holding their overlap's corner.
          if (x.intersects(y) && cell_of(std::fmax(x.min_x, y.min_x), std::fmax(x.min_y, y.min_y)) == c) f(a, b);
        }
  }

 private:
  std::size_t cell_of(double x, double y) const;
  std::vector<std::unique_ptr<PreparedRegion>> prepared_;
  double x0_ = 0, y0_ = 0, cell_ = 1;
  std::int64_t nx_ = 1, ny_ = 1;
  std::vector<std::uint32_t> cell_first_, cell_region_;  // regions by cell, ascending
};

}  // namespace walkshed
