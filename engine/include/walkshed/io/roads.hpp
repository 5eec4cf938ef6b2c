// Reading road and footpath lines into the metric working CRS.
#pragma once
#include "walkshed/core/progress.hpp"
#include "walkshed/network/roads.hpp"

namespace walkshed {

// OSM PBF/XML through libosmium, GeoPackage line tables through SQLite, any other GDAL layer through
// OGR. Throws InputError on a missing file/layer/field, a layer without CRS, or no line kept.
RoadSet load_roads(const RoadOptions& options, const Progress& progress = {});

// An OpenStreetMap file by its name (.osm.pbf, .pbf, .osm, .osm.bz2 ...), read through libosmium.
bool is_osm_file(const std::string& path);

}  // namespace walkshed
