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
// The same for a layer whose lon/lat are in a Chinese offset datum (`datum`: "", wgs84, gcj02, bd09;
// see walkshed/core/china_datum.hpp): each point is taken back to WGS 84 first. A datum other than
// WGS 84 on a layer that is not lon/lat is an InputError naming `where` and `option`.
Transform make_transform(const OGRSpatialReference& from, const OGRSpatialReference& to, const std::string& datum,
                         const std::string& where, const std::string& option);

}  // namespace walkshed
