#include "walkshed/core/region.hpp"

#include <geos_c.h>

#include <algorithm>

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

RegionIndex::RegionIndex(const std::vector<const Region*>& regions) : prepared_(regions.size()) {
  Box all;
  double area = 0;
  for (std::size_t i = 0; i < regions.size(); ++i) {
    if (regions[i]->empty()) continue;
    prepared_[i] = std::make_unique<PreparedRegion>(*regions[i]);
    const Box& b = prepared_[i]->box();
    all.add(b);
    area += (b.max_x - b.min_x) * (b.max_y - b.min_y);
  }
  if (all.empty()) {
    cell_first_.assign(2, 0);
    return;
  }
  // Cells about the size of an average box, at most ~4 cells per region.
  const double w = all.max_x - all.min_x, h = all.max_y - all.min_y;
  cell_ = std::max({std::sqrt(area / regions.size()), std::sqrt(w * h / (4.0 * regions.size() + 1)), 1e-6});
  x0_ = all.min_x, y0_ = all.min_y;
  nx_ = static_cast<std::int64_t>(w / cell_) + 1, ny_ = static_cast<std::int64_t>(h / cell_) + 1;
  cell_first_.assign(nx_ * ny_ + 1, 0);
  auto for_cells = [&](const Box& b, auto&& f) {
    const std::size_t a = cell_of(b.min_x, b.min_y), z = cell_of(b.max_x, b.max_y);
    const std::int64_t cx0 = a % nx_, cy0 = a / nx_, cx1 = z % nx_, cy1 = z / nx_;
    for (std::int64_t cy = cy0; cy <= cy1; ++cy)
      for (std::int64_t cx = cx0; cx <= cx1; ++cx) f(cy * nx_ + cx);
  };
  for (auto& p : prepared_)
    if (p) for_cells(p->box(), [&](std::int64_t c) { ++cell_first_[c + 1]; });
  for (std::size_t c = 1; c < cell_first_.size(); ++c) cell_first_[c] += cell_first_[c - 1];
  cell_region_.resize(cell_first_.back());
  std::vector<std::uint32_t> at(cell_first_.begin(), cell_first_.end() - 1);
  for (std::uint32_t i = 0; i < prepared_.size(); ++i)  // ascending within each cell
    if (prepared_[i]) for_cells(prepared_[i]->box(), [&](std::int64_t c) { cell_region_[at[c]++] = i; });
}

std::size_t RegionIndex::cell_of(double x, double y) const {
  const auto clamp = [](double v, std::int64_t n) {
    return std::max<std::int64_t>(0, std::min<std::int64_t>(n - 1, static_cast<std::int64_t>(std::floor(v))));
  };
  return clamp((y - y0_) / cell_, ny_) * nx_ + clamp((x - x0_) / cell_, nx_);
}

std::uint32_t RegionIndex::first_containing(const XY& p) const {
  if (cell_region_.empty() || !std::isfinite(p.x) || !std::isfinite(p.y)) return kNone;
  const std::size_t c = cell_of(p.x, p.y);
  for (std::uint32_t i = cell_first_[c]; i < cell_first_[c + 1]; ++i)
    if (prepared_[cell_region_[i]]->contains(p)) return cell_region_[i];
  return kNone;
}

}  // namespace walkshed
