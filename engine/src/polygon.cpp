#include "polygon.hpp"

#include <geos_c.h>

#include <stdexcept>

namespace walkshed::detail {

namespace {

constexpr int kQuadrantSegments = 8;

GEOSContextHandle_t ctx(void* h) { return static_cast<GEOSContextHandle_t>(h); }

// A polygon without the holes smaller than min_area (takes ownership of nothing).
GEOSGeometry* fill_polygon(GEOSContextHandle_t h, const GEOSGeometry* poly, double min_area) {
  GEOSGeometry* shell = GEOSGeom_clone_r(h, GEOSGetExteriorRing_r(h, poly));
  std::vector<GEOSGeometry*> holes;
  const int n = GEOSGetNumInteriorRings_r(h, poly);
  for (int i = 0; i < n; ++i) {
    GEOSGeometry* ring = GEOSGeom_clone_r(h, GEOSGetInteriorRingN_r(h, poly, i));
    GEOSGeometry* as_poly = GEOSGeom_createPolygon_r(h, GEOSGeom_clone_r(h, ring), nullptr, 0);
    double area = 0;
    GEOSArea_r(h, as_poly, &area);
    GEOSGeom_destroy_r(h, as_poly);
    if (area >= min_area)
      holes.push_back(ring);
    else
      GEOSGeom_destroy_r(h, ring);
  }
  return GEOSGeom_createPolygon_r(h, shell, holes.data(), holes.size());
}

}  // namespace

PolygonMaker::PolygonMaker() : handle_(GEOS_init_r()) {
  if (!handle_) throw std::runtime_error("cannot start GEOS");
}

PolygonMaker::~PolygonMaker() { GEOS_finish_r(ctx(handle_)); }

std::string PolygonMaker::make(const std::vector<Polyline>& lines, double buffer_m, double fill_holes_m2,
                               double& area_m2, bool& repaired) {
  GEOSContextHandle_t h = ctx(handle_);
  area_m2 = 0;
  repaired = false;
  if (lines.empty()) return {};
  std::vector<GEOSGeometry*> parts;
  parts.reserve(lines.size());
  for (const auto& line : lines) {
    GEOSCoordSequence* seq = GEOSCoordSeq_create_r(h, line.size(), 2);
    for (unsigned i = 0; i < line.size(); ++i) GEOSCoordSeq_setXY_r(h, seq, i, line[i].x, line[i].y);
    parts.push_back(GEOSGeom_createLineString_r(h, seq));
  }
  // Buffering each line and dissolving the pieces (cascaded union) is much faster in GEOS
  // than buffering one overlapping multi-line.
  for (auto& part : parts) {
    GEOSGeometry* b = GEOSBufferWithStyle_r(h, part, buffer_m, kQuadrantSegments, GEOSBUF_CAP_ROUND,
                                            GEOSBUF_JOIN_ROUND, 5.0);
    GEOSGeom_destroy_r(h, part);
    part = b;
  }
  GEOSGeometry* multi = GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION, parts.data(), parts.size());
  GEOSGeometry* buf = GEOSUnaryUnion_r(h, multi);
  GEOSGeom_destroy_r(h, multi);
  if (!buf) throw std::runtime_error("GEOS buffer failed");

  if (fill_holes_m2 > 0) {
    std::vector<GEOSGeometry*> polys;
    const int n = GEOSGetNumGeometries_r(h, buf);
    for (int i = 0; i < n; ++i) {
      const GEOSGeometry* g = GEOSGetGeometryN_r(h, buf, i);
      if (GEOSGeomTypeId_r(h, g) == GEOS_POLYGON) polys.push_back(fill_polygon(h, g, fill_holes_m2));
    }
    GEOSGeometry* filled = GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, polys.data(), polys.size());
    GEOSGeom_destroy_r(h, buf);
    // Filled holes may contain other parts: dissolve them.
    buf = GEOSUnaryUnion_r(h, filled);
    GEOSGeom_destroy_r(h, filled);
    if (!buf) throw std::runtime_error("GEOS union failed");
  }
  if (GEOSisValid_r(h, buf) != 1) {
    GEOSGeometry* fixed = GEOSMakeValid_r(h, buf);
    if (fixed) {
      GEOSGeom_destroy_r(h, buf);
      buf = fixed;
      repaired = true;
    }
  }
  GEOSArea_r(h, buf, &area_m2);
  GEOSWKBWriter* w = GEOSWKBWriter_create_r(h);
  size_t size = 0;
  unsigned char* wkb = GEOSWKBWriter_write_r(h, w, buf, &size);
  std::string out(reinterpret_cast<char*>(wkb), size);
  GEOSFree_r(h, wkb);
  GEOSWKBWriter_destroy_r(h, w);
  GEOSGeom_destroy_r(h, buf);
  return out;
}

}  // namespace walkshed::detail
