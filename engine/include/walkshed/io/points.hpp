// Reading facility (and other point) layers.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "walkshed/core/facility.hpp"

class OGRFeature;

namespace walkshed {

struct PointLayerOptions {
  std::string path;
  std::string layer;       // empty: the only / first layer
  std::string where;       // OGR attribute filter
  std::string id_field;    // empty: fac_id, facility_id, id, ID or osm_id if present, else the feature id
  std::string name_field;  // empty: "name" when present
  std::string operator_field;  // empty: operator_id, operator, 运营商编号, 运营主体编号 or 运营商 when present
  std::string source_srs;  // CRS to assume when the layer has none
  std::string datum;       // lon/lat layers: wgs84 (default), gcj02 (Amap, Tencent) or bd09 (Baidu)
  bool keep_footprints = false;  // keep polygon geometries (Facility::footprint)
  std::vector<double> clip;      // a partition's box (working CRS): points outside are left out
};

struct PointLayer {
  std::vector<Facility> items;
  std::int64_t features_read = 0;
  std::int64_t empty_geometries = 0;
  std::int64_t invalid_geometries = 0;   // not usable: lines, invalid polygons without surface point
  std::int64_t polygons = 0;              // replaced by a point on the surface
  std::string source_crs;                 // CRS of the input layer (srs_label)
  std::int64_t invalid_text = 0;          // text values that were not UTF-8 (bad bytes replaced)
};

// target_wkt: the working CRS. Throws InputError (missing file/layer/field, no CRS,
// a line layer).
// WKT of the metric working CRS for a layer when no network fixes it (metric_epsg_for its centre).
std::string working_crs_for(const PointLayerOptions& options);

// The character set of Shapefile (.dbf) text that has no .cpg, for every reader (GDAL's
// SHAPE_ENCODING), e.g. "GBK" or "CP936"; empty: as GDAL reads it.
void set_shapefile_encoding(const std::string& encoding);

// `each` is called for every feature kept, with its facility.
PointLayer load_points(const PointLayerOptions& options, const std::string& target_wkt,
                       const std::function<void(const OGRFeature&, const Facility&)>& each = {});

}  // namespace walkshed
