#include "walkshed/io/crs.hpp"

#include <cmath>

#include "walkshed/core/error.hpp"

namespace walkshed {

int metric_epsg_at(const OGRSpatialReference& srs, double x, double y, const std::string& where) {
  if (!srs.IsGeographic()) {
    std::unique_ptr<OGRSpatialReference> geo(srs.CloneGeogCS());
    if (!geo) throw InputError(where + ": the CRS has no geographic base");
    geo->SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    auto to_geo = make_transform(srs, *geo);
    if (to_geo && !to_geo->Transform(1, &x, &y))
      throw InputError(where + ": cannot transform the data centre to longitude/latitude");
  }
  return metric_epsg_for(x, y);
}

OGRSpatialReference srs_from_epsg(int epsg) {
  OGRSpatialReference srs;
  if (srs.importFromEPSG(epsg) != OGRERR_NONE)
    throw InputError("unknown CRS EPSG:" + std::to_string(epsg));
  srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  return srs;
}

OGRSpatialReference parse_srs(const std::string& text, const std::string& what) {
  OGRSpatialReference srs;
  if (srs.SetFromUserInput(text.c_str()) != OGRERR_NONE)
    throw InputError(what + ": cannot understand CRS '" + text + "' (use e.g. EPSG:4547)");
  srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  return srs;
}

std::string srs_label(const OGRSpatialReference& srs) {
  const char* auth = srs.GetAuthorityName(nullptr);
  const char* code = srs.GetAuthorityCode(nullptr);
  if (auth && code) return std::string(auth) + ":" + code;
  const char* name = srs.GetName();
  return name ? name : "unnamed CRS";
}

Transform make_transform(const OGRSpatialReference& from, const OGRSpatialReference& to) {
  if (from.IsSame(&to)) return nullptr;
  Transform t(OGRCreateCoordinateTransformation(&from, &to));
  if (!t) throw InputError("no coordinate transformation between the layer CRS and the working CRS");
  return t;
}

}  // namespace walkshed
