#include "polygon.hpp"

#include <geos_c.h>

#include <algorithm>
#include <stdexcept>

namespace walkshed::detail {

namespace {

// Segments per quarter circle in buffers: 4 keeps the area within ~0.3 % of 8 at less than half the cost.
constexpr int kQuadrantSegments = 4;

GEOSContextHandle_t ctx(void* h) { return static_cast<GEOSContextHandle_t>(h); }

GEOSGeometry* check(GEOSGeometry* g, const char* what) {
  if (!g) throw std::runtime_error(std::string("GEOS ") + what + " failed");
  return g;
}

// A polygon without its holes smaller than min_area.
GEOSGeometry* fill_polygon(GEOSContextHandle_t h, const GEOSGeometry* poly, double min_area) {
  GEOSGeometry* shell = GEOSGeom_clone_r(h, GEOSGetExteriorRing_r(h, poly));
  std::vector<GEOSGeometry*> holes;
  const int n = GEOSGetNumInteriorRings_r(h, poly);
  for (int i = 0; i < n; ++i) {
    const GEOSGeometry* ring = GEOSGetInteriorRingN_r(h, poly, i);
    GEOSGeometry* as_poly = GEOSGeom_createPolygon_r(h, GEOSGeom_clone_r(h, ring), nullptr, 0);
    double area = 0;
    GEOSArea_r(h, as_poly, &area);
    GEOSGeom_destroy_r(h, as_poly);
    if (area >= min_area) holes.push_back(GEOSGeom_clone_r(h, ring));
  }
  return GEOSGeom_createPolygon_r(h, shell, holes.data(), holes.size());
}

GEOSGeometry* fill_holes(GEOSContextHandle_t h, GEOSGeometry* g, double min_area) {
  std::vector<GEOSGeometry*> polys;
  const int n = GEOSGetNumGeometries_r(h, g);
  for (int i = 0; i < n; ++i) {
    const GEOSGeometry* part = GEOSGetGeometryN_r(h, g, i);
    if (GEOSGeomTypeId_r(h, part) == GEOS_POLYGON) polys.push_back(fill_polygon(h, part, min_area));
  }
  GEOSGeometry* filled = GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, polys.data(), polys.size());
  GEOSGeom_destroy_r(h, g);
  // A filled hole may contain other parts: dissolve them.
  GEOSGeometry* out = check(GEOSUnaryUnion_r(h, filled), "union");
  GEOSGeom_destroy_r(h, filled);
  return out;
}

GEOSGeometry* multi_line(GEOSContextHandle_t h, const std::vector<Polyline>& lines) {
  std::vector<GEOSGeometry*> parts;
  parts.reserve(lines.size());
  for (const auto& line : lines) {
    GEOSCoordSequence* seq = GEOSCoordSeq_create_r(h, line.size(), 2);
    for (unsigned i = 0; i < line.size(); ++i) GEOSCoordSeq_setXY_r(h, seq, i, line[i].x, line[i].y);
    parts.push_back(GEOSGeom_createLineString_r(h, seq));
  }
  return GEOSGeom_createCollection_r(h, GEOS_MULTILINESTRING, parts.data(), parts.size());
}

// Union of the buffered lines, or null when there are none. Touching pieces are joined into
// longer lines, each is buffered and the buffers are dissolved (cascaded union): much faster in
// GEOS than buffering one overlapping multi-line. The reference for buffer_by_faces.
GEOSGeometry* buffer_lines(GEOSContextHandle_t h, const std::vector<Polyline>& lines, double buffer_m) {
  if (lines.empty()) return nullptr;
  GEOSGeometry* all = multi_line(h, lines);
  GEOSGeometry* merged = check(GEOSLineMerge_r(h, all), "line merge");
  GEOSGeom_destroy_r(h, all);
  std::vector<GEOSGeometry*> parts;
  const int n = GEOSGetNumGeometries_r(h, merged);
  for (int i = 0; i < n; ++i) {
    // Vertices closer than a twentieth of the buffer to the line's course change nothing visible.
    GEOSGeometry* line = check(GEOSSimplify_r(h, GEOSGetGeometryN_r(h, merged, i), buffer_m / 20), "simplify");
    parts.push_back(check(GEOSBufferWithStyle_r(h, line, buffer_m, kQuadrantSegments, GEOSBUF_CAP_ROUND,
                                                GEOSBUF_JOIN_ROUND, 5.0),
                          "buffer"));
    GEOSGeom_destroy_r(h, line);
  }
  GEOSGeom_destroy_r(h, merged);
  GEOSGeometry* collection = GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION, parts.data(), parts.size());
  GEOSGeometry* out = check(GEOSUnaryUnion_r(h, collection), "union");
  GEOSGeom_destroy_r(h, collection);
  return out;
}

// The same set as buffer_lines, built from the faces of the line arrangement. Inside a face, the
// points within r of its boundary are the face minus its inward offset by r (a "hole"); outside all
// faces, those of the buffer of the faces' union. So: buffer(union of faces) minus the holes, plus
// the buffer of the lines that bound no face (dead ends, pieces cut at the limit, bridges). Three
// buffers, a difference and one union instead of the union of hundreds of buffers: about 2x faster.
GEOSGeometry* buffer_by_faces(GEOSContextHandle_t h, const std::vector<Polyline>& lines, double buffer_m) {
  if (lines.empty()) return nullptr;
  auto buffer = [&](const GEOSGeometry* g, double d) {
    return check(GEOSBufferWithStyle_r(h, g, d, kQuadrantSegments, GEOSBUF_CAP_ROUND, GEOSBUF_JOIN_ROUND, 5.0), "buffer");
  };
  // Should GEOS fail on the arrangement (noding robustness), the plain construction takes over.
  GEOSGeometry* all = multi_line(h, lines);
  GEOSGeometry* noded = GEOSNode_r(h, all);  // also crossings without a junction (bridges)
  GEOSGeom_destroy_r(h, all);
  if (!noded) return buffer_lines(h, lines, buffer_m);
  GEOSGeometry *cuts = nullptr, *dangles = nullptr, *invalid = nullptr;
  GEOSGeometry* faces = GEOSPolygonize_full_r(h, noded, &cuts, &dangles, &invalid);
  GEOSGeom_destroy_r(h, noded);
  if (!faces) return buffer_lines(h, lines, buffer_m);

  GEOSGeometry* out = nullptr;
  const int face_count = GEOSGetNumGeometries_r(h, faces);
  if (face_count > 0) {
    GEOSGeometry* face_union = GEOSCoverageUnion_r(h, faces);  // faces do not overlap: cheap
    if (!face_union) face_union = check(GEOSUnaryUnion_r(h, faces), "union");
    out = buffer(face_union, buffer_m);
    GEOSGeom_destroy_r(h, face_union);
    std::vector<GEOSGeometry*> holes;  // polygons
    for (int i = 0; i < face_count; ++i) {
      // A face narrower than 2r keeps no point r away from its boundary (most city blocks).
      const GEOSGeometry* face = GEOSGetGeometryN_r(h, faces, i);
      double x0, y0, x1, y1;
      if (GEOSGeom_getXMin_r(h, face, &x0) && GEOSGeom_getYMin_r(h, face, &y0) && GEOSGeom_getXMax_r(h, face, &x1) &&
          GEOSGeom_getYMax_r(h, face, &y1) && std::min(x1 - x0, y1 - y0) <= 2 * buffer_m)
        continue;
      GEOSGeometry* hole = buffer(face, -buffer_m);
      for (int k = 0; k < GEOSGetNumGeometries_r(h, hole); ++k) {
        const GEOSGeometry* part = GEOSGetGeometryN_r(h, hole, k);
        if (GEOSGeomTypeId_r(h, part) == GEOS_POLYGON && !GEOSisEmpty_r(h, part)) holes.push_back(GEOSGeom_clone_r(h, part));
      }
      GEOSGeom_destroy_r(h, hole);
    }
    if (!holes.empty()) {
      // Holes of different faces are at least 2r apart: together they are a valid multipolygon.
      GEOSGeometry* hole_set = GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, holes.data(), holes.size());
      GEOSGeometry* cut = check(GEOSDifference_r(h, out, hole_set), "difference");
      GEOSGeom_destroy_r(h, out), GEOSGeom_destroy_r(h, hole_set);
      out = cut;
    }
  }
  GEOSGeom_destroy_r(h, faces);

  std::vector<GEOSGeometry*> loose;
  for (GEOSGeometry* set : {cuts, dangles, invalid}) {
    if (!set) continue;
    for (int i = 0; i < GEOSGetNumGeometries_r(h, set); ++i) loose.push_back(GEOSGeom_clone_r(h, GEOSGetGeometryN_r(h, set, i)));
    GEOSGeom_destroy_r(h, set);
  }
  if (!loose.empty()) {
    GEOSGeometry* set = GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION, loose.data(), loose.size());
    GEOSGeometry* merged = check(GEOSLineMerge_r(h, set), "line merge");
    GEOSGeom_destroy_r(h, set);
    GEOSGeometry* simple = check(GEOSSimplify_r(h, merged, buffer_m / 20), "simplify");
    GEOSGeom_destroy_r(h, merged);
    GEOSGeometry* around = buffer(simple, buffer_m);
    GEOSGeom_destroy_r(h, simple);
    if (!out) return around;
    GEOSGeometry* u = check(GEOSUnion_r(h, out, around), "union");
    GEOSGeom_destroy_r(h, out), GEOSGeom_destroy_r(h, around);
    out = u;
  }
  return out;
}

}  // namespace

PolygonMaker::PolygonMaker(bool by_faces) : handle_(GEOS_init_r()), by_faces_(by_faces) {
  if (!handle_) throw std::runtime_error("cannot start GEOS");
}

PolygonMaker::~PolygonMaker() { GEOS_finish_r(ctx(handle_)); }

std::vector<BandPolygon> PolygonMaker::make(const std::vector<std::vector<Polyline>>& band_lines, double buffer_m,
                                            double fill_holes_m2) {
  GEOSContextHandle_t h = ctx(handle_);
  std::vector<BandPolygon> out(band_lines.size());
  GEOSGeometry* current = nullptr;  // union of the bands so far
  GEOSWKBWriter* writer = GEOSWKBWriter_create_r(h);
  try {
    for (size_t b = 0; b < band_lines.size(); ++b) {
      GEOSGeometry* ring = by_faces_ ? buffer_by_faces(h, band_lines[b], buffer_m) : buffer_lines(h, band_lines[b], buffer_m);
      if (ring && current) {
        GEOSGeometry* u = check(GEOSUnion_r(h, current, ring), "union");
        GEOSGeom_destroy_r(h, current);
        GEOSGeom_destroy_r(h, ring);
        current = u;
      } else if (ring) {
        current = ring;
      }
      if (!current) continue;
      if (fill_holes_m2 > 0) current = fill_holes(h, current, fill_holes_m2);
      if (GEOSisValid_r(h, current) != 1) {
        if (GEOSGeometry* fixed = GEOSMakeValid_r(h, current)) {
          GEOSGeom_destroy_r(h, current);
          current = fixed;
          out[b].repaired = true;
        }
      }
      GEOSArea_r(h, current, &out[b].area_m2);
      size_t size = 0;
      unsigned char* wkb = GEOSWKBWriter_write_r(h, writer, current, &size);
      out[b].wkb.assign(reinterpret_cast<char*>(wkb), size);
      GEOSFree_r(h, wkb);
    }
  } catch (...) {
    if (current) GEOSGeom_destroy_r(h, current);
    GEOSWKBWriter_destroy_r(h, writer);
    throw;
  }
  if (current) GEOSGeom_destroy_r(h, current);
  GEOSWKBWriter_destroy_r(h, writer);
  return out;
}

}  // namespace walkshed::detail
