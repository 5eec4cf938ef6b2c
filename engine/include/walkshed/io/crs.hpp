// Spatial references and coordinate transforms (GDAL/PROJ).
#pragma once
#include <memory>
#include <string>

#include <ogr_spatialref.h>

#include "walkshed/core/zone.hpp"

namespace walkshed {

// metric_epsg_for the point (x, y) given in `srs`: longitude and latitude are taken on the CRS's own
// datum (no datum shift, which PROJ may take tens of milliseconds to set up; a metre does not
// change the zone). Throws InputError naming `where` when the point cannot be transformed.
int metric_epsg_at(const OGRSpatialReference& srs, double x, double y, const std::string& where);

// Spatial reference from user text ("EPSG:4547", WKT, PROJ string), in GIS axis order.
// Throws InputError naming `what` when it cannot be parsed.
OGRSpatialReference parse_srs(const std::string& text, const std::string& what);

OGRSpatialReference srs_from_epsg(int epsg);

// "EPSG:4326", or the CRS name when it has no EPSG code.
std::string srs_label(const OGRSpatialReference& srs);

struct TransformDeleter {
  void operator()(OGRCoordinateTransformation* t) const { OGRCoordinateTransformation::DestroyCT(t); }
};
using Transform = std::unique_ptr<OGRCoordinateTransformation, TransformDeleter>;

// Null when both are the same CRS.
Transform make_transform(const OGRSpatialReference& from, const OGRSpatialReference& to);

}  // namespace walkshed
