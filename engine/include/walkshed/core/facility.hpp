// A facility (or candidate site) placed in the working CRS.
#pragma once
#include <memory>
#include <string>

#include "walkshed/core/geometry.hpp"
#include "walkshed/core/region.hpp"

namespace walkshed {

struct Facility {
  std::string id;
  std::string name;
  XY point;  // working CRS (polygons: a point on the surface)
  std::shared_ptr<const Region> footprint;  // polygon in the working CRS, when kept
  std::string operator_id{};                // who runs it (docs/rules.md §11); empty: not given
};

}  // namespace walkshed
