// Private helpers shared by the engine's GDAL readers.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <mutex>
#include <memory>
#include <string>

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include "walkshed/core/region.hpp"
#include "walkshed/io/crs.hpp"
#include "walkshed/core/error.hpp"
#include "walkshed/core/text.hpp"

namespace walkshed::detail {

struct DatasetCloser {
  void operator()(GDALDataset* ds) const { GDALClose(ds); }
};
using DatasetPtr = std::unique_ptr<GDALDataset, DatasetCloser>;

// GeoPackage, GeoJSON, Shapefile and FlatGeobuf. Registering all of GDAL's ~200 drivers costs about
// 9 MB and a few milliseconds, so the others are registered when a file needs them.
inline void register_common_drivers() {
  static std::once_flag once;
  std::call_once(once, [] {
    RegisterOGRGeoPackage();
    RegisterOGRGeoJSON();
    RegisterOGRShape();
    RegisterOGRFlatGeobuf();
  });
}

inline DatasetPtr open_vector(const std::string& path, const std::string& what) {
  if (!std::filesystem::exists(path)) throw InputError(what + " file '" + path + "' does not exist");
  register_common_drivers();
  auto open = [&] {
    return DatasetPtr(static_cast<GDALDataset*>(
        GDALOpenEx(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr)));
  };
  DatasetPtr ds = open();
  if (!ds) {
    GDALAllRegister();
    ds = open();
  }
  if (!ds) throw InputError(what + " file '" + path + "' cannot be opened as a vector dataset: " + CPLGetLastErrorMsg());
  return ds;
}

// Each layer's default QGIS style (QML) from a GeoPackage's layer_styles table; none without one.
inline std::map<std::string, std::string> default_styles(GDALDataset& ds) {
  std::map<std::string, std::string> styles;
  if (OGRLayer* st = ds.ExecuteSQL("SELECT f_table_name, styleQML FROM layer_styles WHERE useAsDefault", nullptr, nullptr)) {
    for (auto& f : *st) styles[f->GetFieldAsString(0)] = f->GetFieldAsString(1);
    ds.ReleaseResultSet(st);
  }
  CPLErrorReset();  // a dataset without styles has no such table
  return styles;
}

// The named layer, or the first one; the error lists the layers present.
inline OGRLayer* open_layer(GDALDataset& ds, const std::string& path, const std::string& name,
                            const std::string& what) {
  OGRLayer* layer = name.empty() ? ds.GetLayer(0) : ds.GetLayerByName(name.c_str());
  if (!layer) {
    std::string names;
    for (int i = 0; i < ds.GetLayerCount(); ++i) names += std::string(i ? ", " : "") + ds.GetLayer(i)->GetName();
    throw InputError(what + " file '" + path + "': no layer " + (name.empty() ? "" : "'" + name + "' ") +
                     "(layers: " + (names.empty() ? "none" : names) + ")");
  }
  return layer;
}

inline int require_field(OGRLayer& layer, const std::string& field, const std::string& path,
                         const std::string& what) {
  int i = layer.GetLayerDefn()->GetFieldIndex(field.c_str());
  if (i < 0) {
    std::string names;
    auto* defn = layer.GetLayerDefn();
    for (int k = 0; k < defn->GetFieldCount(); ++k) names += std::string(k ? ", " : "") + defn->GetFieldDefn(k)->GetNameRef();
    throw InputError(what + " file '" + path + "', layer '" + layer.GetName() + "': no field '" + field +
                     "' (fields: " + names + ")");
  }
  return i;
}

inline void set_filter(OGRLayer& layer, const std::string& where, const std::string& path, const std::string& what) {
  CPLErrorReset();
  if (where.empty()) return;
  if (layer.SetAttributeFilter(where.c_str()) != OGRERR_NONE)
    throw InputError(what + " file '" + path + "', layer '" + layer.GetName() + "': bad filter '" + where +
                     "': " + CPLGetLastErrorMsg());
}

// After reading a layer: a failure GDAL reported on the way (a filter that SQLite rejects only when it
// runs it, a broken file) is an error, not a short layer.
inline void check_read(OGRLayer& layer, const std::string& where, const std::string& path, const std::string& what) {
  if (CPLGetLastErrorType() != CE_Failure) return;
  throw InputError(what + " file '" + path + "', layer '" + layer.GetName() + "': " +
                   (where.empty() ? "cannot read it: " : "cannot apply the filter '" + where + "': ") +
                   CPLGetLastErrorMsg());
}

// The stated CRS (override) or the layer's, in GIS axis order; a layer without one is an error.
inline OGRSpatialReference layer_srs(OGRLayer& layer, const std::string& stated, const std::string& where,
                                     const std::string& option) {
  if (!stated.empty()) return parse_srs(stated, where);
  const OGRSpatialReference* s = layer.GetSpatialRef();
  if (!s) throw InputError(where + " has no CRS; state it with " + option + " (e.g. EPSG:4326)");
  OGRSpatialReference out(*s);
  out.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  // A geographic CRS with coordinates far outside longitude/latitude, or a projected one whose
  // coordinates all look like longitude/latitude: a wrong .prj.
  auto suspicious = [&](const OGREnvelope& e) {
    if (!std::isfinite(e.MinX) || !std::isfinite(e.MaxX) || !std::isfinite(e.MinY) || !std::isfinite(e.MaxY)) return true;
    if (out.IsGeographic())
      return std::abs(e.MinX) > 360 || std::abs(e.MaxX) > 360 || std::abs(e.MinY) > 90.5 || std::abs(e.MaxY) > 90.5;
    return out.IsProjected() && std::abs(e.MinX) <= 180 && std::abs(e.MaxX) <= 180 && std::abs(e.MinY) <= 90 &&
           std::abs(e.MaxY) <= 90;
  };
  OGREnvelope env;
  if (layer.GetExtent(&env, TRUE) != OGRERR_NONE || !suspicious(env)) return out;
  // Confirmed on the first features with finite coordinates: a stray Inf or a stale header extent
  // must not decide.
  env = OGREnvelope();
  bool any = false;
  layer.ResetReading();
  int seen = 0;
  for (auto& f : layer) {
    if (++seen > 2000) break;
    const OGRGeometry* g = f->GetGeometryRef();
    if (!g || g->IsEmpty()) continue;
    OGREnvelope e;
    g->getEnvelope(&e);
    if (!std::isfinite(e.MinX) || !std::isfinite(e.MaxX) || !std::isfinite(e.MinY) || !std::isfinite(e.MaxY)) continue;
    env.Merge(e);
    any = true;
  }
  layer.ResetReading();
  if (!any || !suspicious(env)) return out;
  char buf[160];
  std::snprintf(buf, sizeof buf, "x %.6g..%.6g, y %.6g..%.6g", env.MinX, env.MaxX, env.MinY, env.MaxY);
  if (out.IsGeographic())
    throw InputError(where + " declares the geographic CRS " + srs_label(out) + " but its coordinates (" + buf +
                     ") are not degrees: the CRS (.prj) is probably wrong; state the right one with " + option);
  throw InputError(where + " declares the projected CRS " + srs_label(out) + " but its coordinates (" + buf +
                   ") look like longitude and latitude: the CRS is probably wrong; state the right one with " +
                   option + " (e.g. EPSG:4326)");
}

// A yes/no attribute: 1, 0, or -1 when it is neither (1/true/yes/y/t/是, 0/false/no/n/f/否).
inline int flag_value(const std::string& text) {
  const std::string v = ascii_lower(text);
  if (v == "1" || v == "true" || v == "yes" || v == "y" || v == "t" || v == "是") return 1;
  if (v == "0" || v == "false" || v == "no" || v == "n" || v == "f" || v == "否") return 0;
  return -1;
}

// Length of the valid UTF-8 sequence at p (RFC 3629: no overlong forms, no surrogates, at most
// U+10FFFF), or 0.
inline int utf8_sequence(const unsigned char* p) {
  const unsigned char c = p[0];
  if (c < 0x80) return 1;
  int n;
  unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (c >= 0xC2 && c <= 0xDF) n = 2;
  else if (c >= 0xE0 && c <= 0xEF) n = 3, lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
  else if (c >= 0xF0 && c <= 0xF4) n = 4, lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
  else return 0;
  if (p[1] < lo || p[1] > hi) return 0;
  for (int k = 2; k < n; ++k)
    if ((p[k] & 0xC0) != 0x80) return 0;
  return n;
}

// Text as valid UTF-8: each byte that starts no valid sequence becomes U+FFFD (counted in `invalid`),
// so that no output ever carries invalid UTF-8 (a GBK .dbf without .cpg, read as UTF-8).
inline std::string utf8(const char* s, std::int64_t& invalid) {
  std::string out;
  bool bad = false;
  for (const auto* p = reinterpret_cast<const unsigned char*>(s); *p;) {
    const int n = utf8_sequence(p);
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      bad = true;
      ++p;
    } else {
      out.append(reinterpret_cast<const char*>(p), n);
      p += n;
    }
  }
  invalid += bad;
  return out;
}

inline std::string utf8_field(const OGRFeature& f, int i, std::int64_t& invalid) {
  return utf8(f.GetFieldAsString(i), invalid);
}

// The stated field (must exist) or the first of the guesses present (-1 when none).
inline int field_or_guess(OGRLayer& layer, const std::string& stated, std::initializer_list<const char*> guesses,
                          const std::string& path, const std::string& what) {
  if (!stated.empty()) return require_field(layer, stated, path, what);
  for (const char* g : guesses) {
    int i = layer.GetLayerDefn()->GetFieldIndex(g);
    if (i >= 0) return i;
  }
  return -1;
}

// Reprojects a geometry in place; false when it cannot be transformed.
inline bool to_working(OGRGeometry& g, OGRCoordinateTransformation* tr) {
  return !tr || g.transform(tr) == OGRERR_NONE;
}

// Polygon geometry in the working CRS, repaired when invalid; null when unusable.
inline std::unique_ptr<OGRGeometry> polygon_in(const OGRFeature& f, OGRCoordinateTransformation* tr, bool& repaired) {
  const OGRGeometry* g = f.GetGeometryRef();
  repaired = false;
  if (!g || g->IsEmpty()) return nullptr;
  const auto t = wkbFlatten(g->getGeometryType());
  if (t != wkbPolygon && t != wkbMultiPolygon) return nullptr;
  std::unique_ptr<OGRGeometry> out(g->clone());
  if (!to_working(*out, tr)) return nullptr;
  OGREnvelope e;
  out->getEnvelope(&e);
  if (!std::isfinite(e.MinX) || !std::isfinite(e.MinY) || !std::isfinite(e.MaxX) || !std::isfinite(e.MaxY)) return nullptr;
  if (!out->IsValid()) {
    std::unique_ptr<OGRGeometry> fixed(out->MakeValid());
    if (!fixed || fixed->IsEmpty()) return nullptr;
    // MakeValid may return a collection; keep its polygons.
    std::unique_ptr<OGRGeometry> polys(OGRGeometryFactory::forceToMultiPolygon(fixed.release()));
    if (!polys || polys->IsEmpty()) return nullptr;
    out = std::move(polys);
    repaired = true;
  }
  return out;
}

// The polygons of a geometry (curves linearised; other parts dropped).
inline void add_polygons(const OGRGeometry& g, Region& out) {
  const auto t = wkbFlatten(g.getGeometryType());
  if (t == wkbPolygon) {
    Polygon p;
    for (const OGRLinearRing* ring : *g.toPolygon()) {
      Ring r(ring->getNumPoints());
      for (int i = 0; i < ring->getNumPoints(); ++i) r[i] = {ring->getX(i), ring->getY(i)};
      p.rings.push_back(std::move(r));
    }
    if (!p.rings.empty()) out.polygons.push_back(std::move(p));
  } else if (t == wkbMultiPolygon || t == wkbGeometryCollection || t == wkbMultiSurface) {
    for (const OGRGeometry* part : *g.toGeometryCollection()) add_polygons(*part, out);
  } else if (g.hasCurveGeometry()) {
    std::unique_ptr<OGRGeometry> lin(g.getLinearGeometry());
    if (lin) add_polygons(*lin, out);
  }
}

inline Region to_region(const OGRGeometry& g) {
  Region r;
  add_polygons(g, r);
  return r;
}

inline OGRMultiPolygon* to_ogr(const Region& r) {
  auto* mp = new OGRMultiPolygon;
  for (const Polygon& p : r.polygons) {
    auto* poly = new OGRPolygon;
    for (const Ring& ring : p.rings) {
      auto* lr = new OGRLinearRing;
      lr->setNumPoints(static_cast<int>(ring.size()), FALSE);
      for (std::size_t i = 0; i < ring.size(); ++i) lr->setPoint(static_cast<int>(i), ring[i].x, ring[i].y);
      poly->addRingDirectly(lr);
    }
    mp->addGeometryDirectly(poly);
  }
  return mp;
}

// polygon_in as a Region (empty when unusable).
inline Region region_in(const OGRFeature& f, OGRCoordinateTransformation* tr, bool& repaired) {
  auto g = polygon_in(f, tr, repaired);
  return g ? to_region(*g) : Region{};
}

}  // namespace walkshed::detail
