// GeoPackage inputs read with SQLite and PROJ alone, for a program that does not load GDAL (GDAL
// and its ~120 libraries take 0.05-0.09 s to load, a third of a small job). Only the plain case is
// covered: these give exactly what load_roads / load_points give, or throw NeedsGdal.
#pragma once
#include <stdexcept>
#include <string>

#include "walkshed/facilities.hpp"
#include "walkshed/roads.hpp"

namespace walkshed {

// Not covered here: use the GDAL readers (they also report the input's errors).
struct NeedsGdal : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// A line table of a .gpkg (the only features table unless options.layer names one) in EPSG
// coordinates that are already the working CRS load_roads would choose; no filter, stated CRS or
// curve geometry. RoadSet::crs_wkt is PROJ's WKT of that CRS.
RoadSet load_gpkg_roads(const RoadOptions& options);

// A point table of a .gpkg in the working CRS `epsg`, every row with a point; no filter or stated CRS.
PointLayer load_gpkg_points(const PointLayerOptions& options, int epsg);

}  // namespace walkshed
