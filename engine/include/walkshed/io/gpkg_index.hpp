// Spatial indexes of an existing GeoPackage built in bulk: a packed R-tree per feature layer, as
// GDAL's CreateSpatialIndex() makes row by row (several times faster on large layers), with the
// layers' extents and feature counts set.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "walkshed/core/progress.hpp"

namespace walkshed {

struct GpkgIndexLayer {
  std::string name;
  std::int64_t features = 0;    // rows of the table
  std::int64_t indexed = 0;     // rows with a non-empty geometry, now in the index
  std::int64_t unreadable = 0;  // geometries whose box could not be read (left out of the index)
  bool replaced = false;        // the layer had an index, now built again
};

// Builds the index of each named feature layer of the GeoPackage at `path` (every one when `layers`
// is empty) in place, in one transaction: an existing index is replaced. Throws InputError naming
// the file or layer when it is not a GeoPackage or has no such feature layer, OutputError when
// writing fails (the file then is as it was).
std::vector<GpkgIndexLayer> index_geopackage(const std::string& path, const std::vector<std::string>& layers,
                                             const Progress& progress = {});

}  // namespace walkshed
