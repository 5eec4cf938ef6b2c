#include "walkshed/catchment/catchment.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <charconv>
#include <cstdio>
#include <mutex>
#include <thread>

#include "core/parallel.hpp"
#include "catchment/polygon.hpp"
#include "walkshed/core/error.hpp"
#include "walkshed/routing/search.hpp"

namespace walkshed {

namespace {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

void make_polygons(const Graph& g, const CatchmentOptions& o, FacilityCatchment& c, detail::PolygonMaker& maker,
                   std::atomic<std::int64_t>& repaired) {
  std::vector<std::vector<Polyline>> lines(o.thresholds_m.size());
  for (auto& p : c.pieces) lines[p.band].push_back(slice_edge(g, p.edge, p.from, p.to));
  c.polygons.clear();
  c.areas_m2.clear();
  for (auto& band : maker.make(lines, o.buffer_m, o.fill_holes_m2)) {
    c.polygons.push_back(std::move(band.wkb));
    c.areas_m2.push_back(band.area_m2);
    repaired += band.repaired;
  }
}

}  // namespace

Polyline slice_edge(const Graph& g, std::uint32_t e, double from, double to) {
  Polyline out;
  const std::uint32_t p0 = g.edge_first_point[e], p1 = g.edge_first_point[e + 1];
  if (from <= 0 && to >= g.edge_length[e]) {  // the whole edge
    out.reserve(p1 - p0);
    for (std::uint32_t p = p0; p < p1; ++p) out.push_back({g.point_x[p], g.point_y[p]});
    return out;
  }
  double at = 0;
  for (std::uint32_t p = p0; p + 1 < p1; ++p) {
    const XY a{g.point_x[p], g.point_y[p]}, b{g.point_x[p + 1], g.point_y[p + 1]};
    const double len = distance(a, b);
    const double next = p + 2 == p1 ? std::max(at + len, g.edge_length[e]) : at + len;
    if (next >= from && at <= to && len > 0) {
      auto lerp = [&](double s) {
        const double t = std::max(0.0, std::min(1.0, (s - at) / len));
        return XY{a.x + t * (b.x - a.x), a.y + t * (b.y - a.y)};
      };
      if (out.empty()) out.push_back(from <= at ? a : lerp(from));
      if (to >= next) {
        if (!(out.back() == b)) out.push_back(b);
      } else {
        XY end = lerp(to);
        if (!(out.back() == end)) out.push_back(end);
        break;
      }
    }
    at = next;
  }
  if (out.size() == 1) out.push_back(out.front());
  return out;
}

void validate(const CatchmentOptions& o) {
  if (o.thresholds_m.empty()) throw InputError("no distance threshold given");
  for (size_t i = 0; i < o.thresholds_m.size(); ++i) {
    if (!(o.thresholds_m[i] > 0) || !std::isfinite(o.thresholds_m[i]))
      throw InputError("thresholds must be positive numbers");
    if (i && o.thresholds_m[i] <= o.thresholds_m[i - 1]) throw InputError("thresholds must be strictly increasing");
  }
  if (!o.thresholds_min.empty() && o.thresholds_min.size() != o.thresholds_m.size())
    throw InputError("minutes and metres thresholds differ in number");
  if (!(o.max_snap >= 0)) throw InputError("`max_snap` must be >= 0");
  if (!(o.buffer_m > 0)) throw InputError("`buffer_m` must be > 0");
  if (!(o.fill_holes_m2 >= 0)) throw InputError("`fill_holes_m2` must be >= 0");
}

CatchmentResult compute_catchments(const Graph& g, const std::vector<Facility>& facilities,
                                   const CatchmentOptions& o, const Progress& progress) {
  validate(o);
  CatchmentResult r;
  const std::size_t F = facilities.size();
  const double limit = o.thresholds_m.back();

  auto t = Clock::now();
  std::vector<XY> points(F);
  for (std::size_t f = 0; f < F; ++f) points[f] = facilities[f].point;
  const std::vector<Snap> snaps = snap_points(g, points, o.max_snap, o.min_component, o.threads);
  std::unique_ptr<EdgeIndex> index;  // only to tell how far the unroutable ones are
  r.snaps.resize(F);
  for (std::size_t f = 0; f < F; ++f) {
    FacilitySnap& s = r.snaps[f];
    s.snap = snaps[f];
    s.routable = s.snap.edge != kInvalid;
    if (!s.routable) {
      if (!index) index = std::make_unique<EdgeIndex>(g, o.min_component);
      Snap far = index->nearest(facilities[f].point, std::max(10000.0, 20 * o.max_snap));
      s.nearest_m = far.edge != kInvalid ? far.distance : -1;
      s.reason = far.edge != kInvalid ? "nearest network edge is beyond the snap distance" : "no network edge nearby";
    }
  }
  r.timings.emplace_back("snap facilities", seconds_since(t));
  r.catchments.resize(F);

  std::atomic<std::int64_t> settled{0}, repaired{0};
  const int threads = detail::thread_count(o.threads, F);
  std::vector<std::unique_ptr<detail::PolygonMaker>> makers;
  if (o.polygons)
    for (int i = 0; i < threads; ++i) makers.push_back(std::make_unique<detail::PolygonMaker>());

  if (o.mode == CatchmentMode::PerFacility) {
    t = Clock::now();
    struct Worker {
      Search search;
      std::vector<std::uint32_t> edge_stamp;
      std::uint32_t now = 0;
      std::vector<Cone> cones;
      std::vector<Piece> pieces;
      std::vector<std::uint32_t> edges;
    };
    std::vector<std::unique_ptr<Worker>> workers;
    for (int i = 0; i < threads; ++i)
      workers.push_back(std::make_unique<Worker>(Worker{Search(g), std::vector<std::uint32_t>(g.edge_count(), 0), 0, {}, {}, {}}));
    detail::parallel_for(F, threads, progress, "catchments", [&](std::size_t f, int wi) {
      if (!r.snaps[f].routable) return;
      Worker& w = *workers[wi];
      const Snap& s = r.snaps[f].snap;
      Search& search = w.search;
      search.clear();
      search.add_edge_point(s.edge, s.offset, 0);
      search.run(limit);
      FacilityCatchment& c = r.catchments[f];
      c.reached_nodes = search.reached().size();
      settled += search.reached().size();
      if (o.keep_nodes) {
        c.nodes.reserve(search.reached().size());
        for (auto n : search.reached()) c.nodes.push_back({n, search.distance(n)});
      }
      if (!o.lines && !o.polygons) return;
      ++w.now;
      w.edges.clear();
      w.edges.push_back(s.edge);
      w.edge_stamp[s.edge] = w.now;
      for (auto n : search.reached())
        for (std::uint32_t i = g.inc_first[n]; i < g.inc_first[n + 1]; ++i) {
          const std::uint32_t e = g.inc_edge[i];
          if (w.edge_stamp[e] != w.now) w.edge_stamp[e] = w.now, w.edges.push_back(e);
        }
      for (auto e : w.edges) {
        w.cones.clear();
        const double du = search.distance(g.edge_u[e]), dv = search.distance(g.edge_v[e]);
        if (du <= limit) w.cones.push_back({0, du, 0});
        if (dv <= limit) w.cones.push_back({g.edge_length[e], dv, 0});
        if (e == s.edge) w.cones.push_back({s.offset, 0, 0});
        w.pieces.clear();
        edge_pieces(g.edge_length[e], w.cones, o.thresholds_m, limit, w.pieces);
        for (auto& p : w.pieces) c.pieces.push_back({e, p.from, p.to, p.d_min, p.d_max, p.band});
      }
      if (o.polygons) make_polygons(g, o, c, *makers[wi], repaired);
    });
    r.timings.emplace_back(o.polygons ? "catchments + polygons" : "catchments", seconds_since(t));
  } else {
    t = Clock::now();
    Search search(g);
    search.clear();
    std::vector<std::pair<std::uint32_t, std::uint32_t>> edge_fac;       // (edge, facility)
    for (std::uint32_t f = 0; f < F; ++f) {
      if (!r.snaps[f].routable) continue;
      const Snap& s = r.snaps[f].snap;
      search.add_edge_point(s.edge, s.offset, f);
      edge_fac.push_back({s.edge, f});
    }
    if (o.nearest_limit > 0) search.run(o.nearest_limit);
    else search.run();
    settled = search.reached().size();
    std::sort(edge_fac.begin(), edge_fac.end());
    std::vector<Cone> cones;
    std::vector<Piece> pieces;
    const double inf = kUnreached;
    size_t k = 0;
    for (std::uint32_t e = 0; e < g.edge_count(); ++e) {
      cones.clear();
      const std::uint32_t u = g.edge_u[e], v = g.edge_v[e];
      if (search.is_reached(u)) cones.push_back({0, search.distance(u), search.label(u)});
      if (search.is_reached(v)) cones.push_back({g.edge_length[e], search.distance(v), search.label(v)});
      while (k < edge_fac.size() && edge_fac[k].first < e) ++k;
      for (size_t j = k; j < edge_fac.size() && edge_fac[j].first == e; ++j)
        cones.push_back({r.snaps[edge_fac[j].second].snap.offset, 0, edge_fac[j].second});
      if (cones.empty()) {
        r.network.push_back({e, 0, g.edge_length[e], inf, inf, kInvalid, (std::uint32_t)o.thresholds_m.size()});
        continue;
      }
      pieces.clear();
      edge_pieces(g.edge_length[e], cones, o.thresholds_m, inf, pieces);
      for (auto& p : pieces) {
        r.network.push_back({e, p.from, p.to, p.d_min, p.d_max, p.label, p.band});
        if (p.band < o.thresholds_m.size())
          r.catchments[p.label].pieces.push_back({e, p.from, p.to, p.d_min, p.d_max, p.band});
      }
    }
    for (auto n : search.reached())
      if (search.distance(n) <= limit) {
        ++r.catchments[search.label(n)].reached_nodes;
        if (o.keep_nodes) r.catchments[search.label(n)].nodes.push_back({n, search.distance(n)});
      }
    r.timings.emplace_back("nearest-facility labelling", seconds_since(t));
    if (o.polygons) {
      t = Clock::now();
      detail::parallel_for(F, threads, progress, "polygons", [&](std::size_t f, int wi) {
        if (r.snaps[f].routable) make_polygons(g, o, r.catchments[f], *makers[wi], repaired);
      });
      r.timings.emplace_back("polygons", seconds_since(t));
    }
  }
  r.settled_nodes = settled;
  r.invalid_polygons_repaired = repaired;
  return r;
}

}  // namespace walkshed
