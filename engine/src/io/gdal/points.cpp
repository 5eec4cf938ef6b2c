#include "walkshed/io/points.hpp"

#include "io/gdal/gdal_util.hpp"
#include "walkshed/io/crs.hpp"

#include <ogr_api.h>

#include <cmath>

namespace walkshed {

void set_shapefile_encoding(const std::string& encoding) {
  CPLSetConfigOption("SHAPE_ENCODING", encoding.empty() ? nullptr : encoding.c_str());
}

std::string working_crs_for(const PointLayerOptions& options) {
  auto ds = detail::open_vector(options.path, "facilities");
  OGRLayer* layer = detail::open_layer(*ds, options.path, options.layer, "facilities");
  const std::string where = "facilities file '" + options.path + "', layer '" + layer->GetName() + "'";
  const OGRSpatialReference source = detail::layer_srs(*layer, options.source_srs, where, "`facilities.source_srs`");
  OGREnvelope env;
  if (layer->GetExtent(&env, TRUE) != OGRERR_NONE) throw InputError(where + ": empty layer");
  double cx = (env.MinX + env.MaxX) / 2, cy = (env.MinY + env.MaxY) / 2;
  OGRSpatialReference target = srs_from_epsg(metric_epsg_at(source, cx, cy, where));
  char* wkt = nullptr;
  target.exportToWkt(&wkt);
  std::string out = wkt;
  CPLFree(wkt);
  return out;
}

PointLayer load_points(const PointLayerOptions& options, const std::string& target_wkt,
                       const std::function<void(const OGRFeature&, const Facility&)>& each) {
  const std::string what = "facilities";
  auto ds = detail::open_vector(options.path, what);
  OGRLayer* layer = detail::open_layer(*ds, options.path, options.layer, what);
  const std::string where = what + " file '" + options.path + "', layer '" + layer->GetName() + "'";
  const auto gtype = wkbFlatten(layer->GetGeomType());
  if (gtype == wkbLineString || gtype == wkbMultiLineString || gtype == wkbNone)
    throw InputError(where + ": expected points or polygons, found " +
                     std::string(gtype == wkbNone ? "no geometry" : OGRGeometryTypeToName(layer->GetGeomType())));

  const OGRSpatialReference source = detail::layer_srs(*layer, options.source_srs, where, "`facilities.source_srs`");
  OGRSpatialReference target;
  target.importFromWkt(target_wkt.c_str());
  target.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  auto tr = make_transform(source, target, options.datum, where, "facilities.datum");

  // The usual id names (OGR matches them case-insensitively), walkshed's own (fac_id, cand_id) included.
  const int id_i = detail::field_or_guess(*layer, options.id_field,
                                          {"fac_id", "facility_id", "cand_id", "candidate_id", "site_id", "id", "osm_id",
                                           "编号", "设施编号"},
                                          options.path, what);
  const int name_i = detail::field_or_guess(*layer, options.name_field, {"name", "名称", "设施名称"}, options.path, what);
  const int operator_i = detail::field_or_guess(*layer, options.operator_field,
                                                {"operator_id", "operator", "运营商编号", "运营主体编号", "运营商"},
                                                options.path, what);
  detail::set_filter(*layer, options.where, options.path, what);

  PointLayer out;
  out.source_crs = srs_label(source);
  layer->ResetReading();
  for (auto& f : *layer) {
    ++out.features_read;
    const OGRGeometry* g = f->GetGeometryRef();
    if (!g || g->IsEmpty()) {
      ++out.empty_geometries;
      continue;
    }
    OGRPoint pt;
    const auto t = wkbFlatten(g->getGeometryType());
    if (t == wkbPoint) {
      pt = *g->toPoint();
    } else if (t == wkbMultiPoint && g->toMultiPoint()->getNumGeometries() == 1) {
      pt = *g->toMultiPoint()->getGeometryRef(0);
    } else if (t == wkbPolygon || t == wkbMultiPolygon || t == wkbCurvePolygon || t == wkbMultiSurface) {
      ++out.polygons;
      OGRGeometryH surface = OGR_G_PointOnSurface(OGRGeometry::ToHandle(const_cast<OGRGeometry*>(g)));
      std::unique_ptr<OGRGeometry> owned(OGRGeometry::FromHandle(surface));
      if (!owned || owned->IsEmpty() || wkbFlatten(owned->getGeometryType()) != wkbPoint) {
        ++out.invalid_geometries;
        continue;
      }
      pt = *owned->toPoint();
    } else {
      ++out.invalid_geometries;
      continue;
    }
    double x = pt.getX(), y = pt.getY();
    if (!std::isfinite(x) || !std::isfinite(y) || (tr && !tr->Transform(1, &x, &y)) || !std::isfinite(x) ||
        !std::isfinite(y)) {
      ++out.invalid_geometries;
      continue;
    }
    if (!meets_clip(options.clip, Box{x, y, x, y})) continue;  // outside the partition
    Facility fac;
    fac.id = id_i >= 0 ? detail::utf8_field(*f, id_i, out.invalid_text) : std::to_string(f->GetFID());
    if (name_i >= 0 && f->IsFieldSetAndNotNull(name_i)) fac.name = detail::utf8_field(*f, name_i, out.invalid_text);
    if (operator_i >= 0 && f->IsFieldSetAndNotNull(operator_i)) {
      fac.operator_id = detail::utf8_field(*f, operator_i, out.invalid_text);
      fac.operator_id.erase(0, fac.operator_id.find_first_not_of(" \t"));
      fac.operator_id.erase(fac.operator_id.find_last_not_of(" \t") + 1);
    }
    fac.point = {x, y};
    if (options.keep_footprints && t != wkbPoint && t != wkbMultiPoint) {
      std::unique_ptr<OGRGeometry> fp(g->clone());
      if (!tr || fp->transform(tr.get()) == OGRERR_NONE) {
        auto region = std::make_shared<Region>(detail::to_region(*fp));
        const Box b = region->box();
        if (!region->empty() && std::isfinite(b.min_x + b.max_x + b.min_y + b.max_y)) fac.footprint = std::move(region);
      }
    }
    if (each) each(*f, fac);
    out.items.push_back(std::move(fac));
  }
  detail::check_read(*layer, options.where, options.path, what);
  return out;
}

}  // namespace walkshed
