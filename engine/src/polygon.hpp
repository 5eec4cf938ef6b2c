// Catchment polygons from reached lines (GEOS C API, one context per thread).
#pragma once
#include <string>
#include <vector>

#include "walkshed/geometry.hpp"

namespace walkshed::detail {

class PolygonMaker {
 public:
  PolygonMaker();
  ~PolygonMaker();
  PolygonMaker(const PolygonMaker&) = delete;
  PolygonMaker& operator=(const PolygonMaker&) = delete;

  // Union of the lines buffered by `buffer_m` (round caps and joins), holes smaller than
  // fill_holes_m2 filled, made valid. Returns WKB (empty when there are no lines).
  std::string make(const std::vector<Polyline>& lines, double buffer_m, double fill_holes_m2, double& area_m2,
                   bool& repaired);

 private:
  void* handle_;
};

}  // namespace walkshed::detail
