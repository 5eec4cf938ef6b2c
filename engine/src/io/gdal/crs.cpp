#include "walkshed/io/crs.hpp"

#include <cmath>

#include "walkshed/core/china_datum.hpp"
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

namespace {

// Lon/lat of an offset datum to WGS 84, then the layer's own transform (when there is one).
class DatumTransform final : public OGRCoordinateTransformation {
 public:
  DatumTransform(Datum datum, const OGRSpatialReference& from, const OGRSpatialReference& to, walkshed::Transform inner)
      : datum_(datum), from_(from), to_(to), inner_(std::move(inner)) {}
  OGRSpatialReference* GetSourceCS() override { return &from_; }
  OGRSpatialReference* GetTargetCS() override { return &to_; }
  int Transform(int n, double* x, double* y, double* z, double* t, int* ok) override {
    for (int i = 0; i < n; ++i) {
      const XY p = to_wgs84(datum_, {x[i], y[i]});
      x[i] = p.x, y[i] = p.y;
    }
    if (inner_) return inner_->Transform(n, x, y, z, t, ok);
    if (ok)
      for (int i = 0; i < n; ++i) ok[i] = TRUE;
    return TRUE;
  }
  OGRCoordinateTransformation* Clone() const override {
    return new DatumTransform(datum_, from_, to_, walkshed::Transform(inner_ ? inner_->Clone() : nullptr));
  }
  OGRCoordinateTransformation* GetInverse() const override { return nullptr; }

 private:
  Datum datum_;
  OGRSpatialReference from_, to_;
  walkshed::Transform inner_;
};

}  // namespace

Transform make_transform(const OGRSpatialReference& from, const OGRSpatialReference& to, const std::string& datum,
                         const std::string& where, const std::string& option) {
  const Datum d = parse_datum(datum, option);
  if (d == Datum::WGS84) return make_transform(from, to);
  if (!from.IsGeographic())
    throw InputError(where + ": a " + datum_name(d) + " datum (`" + option + "`) needs longitude/latitude, but the layer is in " +
                     srs_label(from));
  return Transform(new DatumTransform(d, from, to, make_transform(from, to)));
}

}  // namespace walkshed
