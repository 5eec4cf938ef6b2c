// Catchment polygons from reached lines (faces traced here, Clipper for offsets and unions, GEOS
// for the validity check and the reference construction; one maker per thread).
#pragma once
#include <string>
#include <vector>

#include "walkshed/core/geometry.hpp"

namespace walkshed::detail {

struct BandPolygon {
  std::string wkb;  // empty when nothing was reached
  double area_m2 = 0;
  bool repaired = false;
};

class PolygonMaker {
 public:
  // by_faces: built from the faces of the line arrangement, with Clipper (several times faster);
  // else GEOS's union of the buffered lines (the plain construction, the reference for tests).
  explicit PolygonMaker(bool by_faces = true);
  ~PolygonMaker();
  PolygonMaker(const PolygonMaker&) = delete;
  PolygonMaker& operator=(const PolygonMaker&) = delete;

  // Cumulative band polygons: polygon b is the union of the lines of bands 0..b buffered by
  // buffer_m (round caps and joins), with holes smaller than fill_holes_m2 filled, made valid.
  std::vector<BandPolygon> make(const std::vector<std::vector<Polyline>>& band_lines, double buffer_m,
                                double fill_holes_m2);

 private:
  std::vector<BandPolygon> make_plain(const std::vector<std::vector<Polyline>>& band_lines, double buffer_m,
                                      double fill_holes_m2);
  void* handle_;
  bool by_faces_;
};

}  // namespace walkshed::detail
