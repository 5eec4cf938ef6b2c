#include "walkshed/core/region.hpp"

#include <geos_c.h>

namespace walkshed {

namespace {

// One GEOS context per thread, made on first use.
GEOSContextHandle_t context() {
  struct Context {
    GEOSContextHandle_t h = GEOS_init_r();
    ~Context() { GEOS_finish_r(h); }
  };
  thread_local Context c;
  return c.h;
}

struct GeomDeleter {
  void operator()(GEOSGeometry* g) const { GEOSGeom_destroy_r(context(), g); }
};
using Geom = std::unique_ptr<GEOSGeometry, GeomDeleter>;

GEOSGeometry* ring_geom(GEOSContextHandle_t h, const Ring& ring) {
  GEOSCoordSequence* seq = GEOSCoordSeq_create_r(h, static_cast<unsigned>(ring.size()), 2);
  for (unsigned i = 0; i < ring.size(); ++i) GEOSCoordSeq_setXY_r(h, seq, i, ring[i].x, ring[i].y);
  return GEOSGeom_createLinearRing_r(h, seq);
}

// Null when a ring is not a ring (fewer than 4 points, not closed).
Geom to_geos(const Region& r) {
  GEOSContextHandle_t h = context();
  std::vector<GEOSGeometry*> polys;
  bool ok = true;
  for (const Polygon& p : r.polygons) {
    if (p.rings.empty()) continue;
    GEOSGeometry* shell = ring_geom(h, p.rings[0]);
    std::vector<GEOSGeometry*> holes;
    for (std::size_t k = 1; k < p.rings.size(); ++k)
      if (GEOSGeometry* hole = ring_geom(h, p.rings[k])) holes.push_back(hole);
      else ok = false;
    if (!shell) {
      for (auto* g : holes) GEOSGeom_destroy_r(h, g);
      ok = false;
      continue;
    }
    polys.push_back(GEOSGeom_createPolygon_r(h, shell, holes.data(), static_cast<unsigned>(holes.size())));
  }
  if (!ok) {
    for (auto* g : polys) GEOSGeom_destroy_r(h, g);
    return nullptr;
  }
  return Geom(GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, polys.data(), static_cast<unsigned>(polys.size())));
}

Geom point_geos(const XY& p) { return Geom(GEOSGeom_createPointFromXY_r(context(), p.x, p.y)); }

double ring_area(const Ring& r) {
  double s = 0;
  for (std::size_t i = 1; i < r.size(); ++i) s += (r[i - 1].x - r[0].x) * (r[i].y - r[0].y) - (r[i].x - r[0].x) * (r[i - 1].y - r[0].y);
  return std::abs(s) / 2;
}

}  // namespace

Box Region::box() const {
  Box b;
  for (const Polygon& p : polygons)
    if (!p.rings.empty())
      for (const XY& q : p.rings[0]) b.add(q);
  return b;
}

double area(const Region& r) {
  double a = 0;
  for (const Polygon& p : r.polygons)
    for (std::size_t k = 0; k < p.rings.size(); ++k) a += (k == 0 ? 1 : -1) * ring_area(p.rings[k]);
  return a;
}

XY point_on_surface(const Region& r) {
  const Box b = r.box();
  XY out{(b.min_x + b.max_x) / 2, (b.min_y + b.max_y) / 2};
  Geom g = to_geos(r);
  if (!g) return out;
  Geom p(GEOSPointOnSurface_r(context(), g.get()));
  if (!p || GEOSisEmpty_r(context(), p.get())) p.reset(GEOSGetCentroid_r(context(), g.get()));
  if (p && !GEOSisEmpty_r(context(), p.get())) {
    GEOSGeomGetX_r(context(), p.get(), &out.x);
    GEOSGeomGetY_r(context(), p.get(), &out.y);
  }
  return out;
}

double intersection_area(const Region& a, const Region& b) {
  if (!a.box().intersects(b.box())) return 0;
  Geom ga = to_geos(a), gb = to_geos(b);
  if (!ga || !gb) return 0;
  Geom x(GEOSIntersection_r(context(), ga.get(), gb.get()));
  double out = 0;
  if (!x || GEOSArea_r(context(), x.get(), &out) != 1) return 0;
  return out;
}

bool contains(const Region& r, const XY& p) {
  Geom g = to_geos(r), q = point_geos(p);
  return g && GEOSContains_r(context(), g.get(), q.get()) == 1;
}

bool covers(const Region& r, const XY& p) {
  Geom g = to_geos(r), q = point_geos(p);
  return g && GEOSIntersects_r(context(), g.get(), q.get()) == 1;
}

struct PreparedRegion::Impl {
  Geom geom;
  const GEOSPreparedGeometry* prepared = nullptr;
  ~Impl() {
    if (prepared) GEOSPreparedGeom_destroy_r(context(), prepared);
  }
};

PreparedRegion::PreparedRegion(const Region& r) : impl_(std::make_unique<Impl>()), box_(r.box()) {
  impl_->geom = to_geos(r);
  if (impl_->geom) impl_->prepared = GEOSPrepare_r(context(), impl_->geom.get());
}

PreparedRegion::~PreparedRegion() = default;

bool PreparedRegion::contains(const XY& p) const {
  if (!impl_->prepared || p.x < box_.min_x || p.x > box_.max_x || p.y < box_.min_y || p.y > box_.max_y) return false;
  Geom q = point_geos(p);
  return GEOSPreparedContains_r(context(), impl_->prepared, q.get()) == 1;
}

}  // namespace walkshed
