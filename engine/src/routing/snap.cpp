#include "walkshed/routing/snap.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/parallel.hpp"
#include "core/point_cells.hpp"

namespace walkshed {

namespace {

// The snap on segment `seg` (global index of its first point) of edge e at fraction t.
Snap finish_snap(const Graph& g, std::uint32_t e, std::uint32_t seg, double t, double distance) {
  Snap s;
  s.edge = e;
  s.distance = distance;
  double offset = 0;
  for (std::uint32_t p = g.edge_first_point[e]; p < seg; ++p)
    offset += walkshed::distance({g.point_x[p], g.point_y[p]}, {g.point_x[p + 1], g.point_y[p + 1]});
  const double len = walkshed::distance({g.point_x[seg], g.point_y[seg]}, {g.point_x[seg + 1], g.point_y[seg + 1]});
  s.offset = std::min(g.edge_length[e], offset + t * len);
  s.point = {g.point_x[seg] + t * (g.point_x[seg + 1] - g.point_x[seg]),
             g.point_y[seg] + t * (g.point_y[seg + 1] - g.point_y[seg])};
  return s;
}

}  // namespace

EdgeIndex::EdgeIndex(const Graph& g, std::uint32_t min_component) : g_(g) {
  const std::uint32_t E = g.edge_count();
  point_edge_.assign(g.point_x.size(), kInvalid);
  double x1 = -std::numeric_limits<double>::infinity(), y1 = x1;
  x0_ = y0_ = std::numeric_limits<double>::infinity();
  std::uint64_t segments = 0;
  for (std::uint32_t e = 0; e < E; ++e) {
    if (g.component_size[g.component[g.edge_u[e]]] < min_component) continue;
    for (std::uint32_t p = g.edge_first_point[e]; p < g.edge_first_point[e + 1]; ++p) {
      point_edge_[p] = e;
      x0_ = std::min(x0_, g.point_x[p]), x1 = std::max(x1, g.point_x[p]);
      y0_ = std::min(y0_, g.point_y[p]), y1 = std::max(y1, g.point_y[p]);
    }
    segments += g.edge_first_point[e + 1] - g.edge_first_point[e] - 1;
  }
  if (segments == 0) return;
  // About two segments per cell on average, at least 10 m.
  const double area = std::max(1.0, (x1 - x0_) * (y1 - y0_));
  cell_ = std::max(10.0, std::sqrt(2 * area / segments));
  inv_ = 1 / cell_;  // cells by multiplication: a few % faster than dividing
  nx_ = static_cast<std::int64_t>((x1 - x0_) * inv_) + 1;
  ny_ = static_cast<std::int64_t>((y1 - y0_) * inv_) + 1;
  cell_first_.assign(nx_ * ny_ + 1, 0);
  auto for_cells = [&](std::uint32_t p, auto&& f) {
    const double ax = g.point_x[p], ay = g.point_y[p], bx = g.point_x[p + 1], by = g.point_y[p + 1];
    std::int64_t cx0 = (std::min(ax, bx) - x0_) * inv_, cx1 = (std::max(ax, bx) - x0_) * inv_;
    std::int64_t cy0 = (std::min(ay, by) - y0_) * inv_, cy1 = (std::max(ay, by) - y0_) * inv_;
    for (std::int64_t cy = cy0; cy <= cy1; ++cy)
      for (std::int64_t cx = cx0; cx <= cx1; ++cx) f(cy * nx_ + cx);
  };
  for (std::uint32_t e = 0; e < E; ++e) {
    if (point_edge_[g.edge_first_point[e]] == kInvalid) continue;
    for (std::uint32_t p = g.edge_first_point[e]; p + 1 < g.edge_first_point[e + 1]; ++p)
      for_cells(p, [&](std::int64_t c) { ++cell_first_[c + 1]; });
  }
  for (size_t c = 1; c < cell_first_.size(); ++c) cell_first_[c] += cell_first_[c - 1];
  cell_segment_.resize(cell_first_.back());
  std::vector<std::uint32_t> pos(cell_first_.begin(), cell_first_.end() - 1);
  for (std::uint32_t e = 0; e < E; ++e) {
    if (point_edge_[g.edge_first_point[e]] == kInvalid) continue;
    for (std::uint32_t p = g.edge_first_point[e]; p + 1 < g.edge_first_point[e + 1]; ++p)
      for_cells(p, [&](std::int64_t c) { cell_segment_[pos[c]++] = p; });
  }
}

Snap EdgeIndex::nearest(XY q, double max_distance) const {
  Snap best;
  if (cell_segment_.empty()) return best;
  best.distance = std::numeric_limits<double>::infinity();
  std::uint32_t best_seg = kInvalid;
  double best_t = 0;
  const double limit = std::min(max_distance, (nx_ + ny_) * cell_);
  auto clamp_cell = [](double v, std::int64_t n) {
    return std::max<std::int64_t>(0, std::min<std::int64_t>(n - 1, static_cast<std::int64_t>(std::floor(v))));
  };
  if (q.x + limit < x0_ || q.y + limit < y0_ || q.x - limit > x0_ + nx_ * cell_ || q.y - limit > y0_ + ny_ * cell_)
    return Snap{};
  // Squares of growing half-width r around q, each scanning only the cells the last one did not: a
  // segment within r of q crosses a cell of the square, so once the best is within r it is final.
  std::int64_t px0 = 0, px1 = -1, py0 = 0, py1 = -1;  // the cells scanned so far
  for (double r = std::min(cell_, limit);; r = std::min(2 * r, limit)) {
    const std::int64_t cx0 = clamp_cell((q.x - r - x0_) * inv_, nx_), cx1 = clamp_cell((q.x + r - x0_) * inv_, nx_);
    const std::int64_t cy0 = clamp_cell((q.y - r - y0_) * inv_, ny_), cy1 = clamp_cell((q.y + r - y0_) * inv_, ny_);
    for (std::int64_t cy = cy0; cy <= cy1; ++cy)
      for (std::int64_t cx = cx0; cx <= cx1; ++cx) {
        if (cx >= px0 && cx <= px1 && cy >= py0 && cy <= py1) continue;
        const std::int64_t c = cy * nx_ + cx;
        for (std::uint32_t i = cell_first_[c]; i < cell_first_[c + 1]; ++i) {
          const std::uint32_t p = cell_segment_[i];
          const double ax = g_.point_x[p], ay = g_.point_y[p];
          const double dx = g_.point_x[p + 1] - ax, dy = g_.point_y[p + 1] - ay;
          const double len2 = dx * dx + dy * dy;
          double t = len2 > 0 ? ((q.x - ax) * dx + (q.y - ay) * dy) / len2 : 0;
          t = std::max(0.0, std::min(1.0, t));
          const double d = distance(q, {ax + t * dx, ay + t * dy});
          if (d < best.distance || (d == best.distance && point_edge_[p] < best.edge)) {
            best.distance = d, best.edge = point_edge_[p], best_seg = p, best_t = t;
          }
        }
      }
    px0 = cx0, px1 = cx1, py0 = cy0, py1 = cy1;
    if (best.distance <= r || r >= limit) break;
  }
  if (best_seg == kInvalid || best.distance > max_distance) return Snap{kInvalid, 0, best.distance, {}};
  return finish_snap(g_, best.edge, best_seg, best_t, best.distance);
}

std::vector<Snap> snap_points(const Graph& g, const std::vector<XY>& points, double max_distance,
                              std::uint32_t min_component, int threads) {
  const std::uint64_t segments = g.point_x.size() - g.edge_count();
  if (points.size() * 64 > segments || !(max_distance < 1e5)) {  // many points, or a huge reach: the index
    EdgeIndex index(g, min_component);
    std::vector<Snap> out(points.size());
    for (std::size_t i = 0; i < points.size(); ++i) out[i] = index.nearest(points[i], max_distance);
    return out;
  }
  struct Best {
    double distance = std::numeric_limits<double>::infinity();
    std::uint32_t edge = kInvalid, seg = kInvalid;
    double t = 0;
  };
  const detail::PointCells cells(points, max_distance);
  const std::uint32_t E = g.edge_count();
  const int runs = detail::thread_count(threads, E / 4096 + 1);
  std::vector<std::vector<Best>> part(runs, std::vector<Best>(points.size()));
  detail::parallel_for(runs, runs, {}, "", [&](std::size_t r, int) {
    std::vector<Best>& best = part[r];
    for (std::uint32_t e = E * r / runs; e < E * (r + 1) / runs; ++e) {
      if (g.component_size[g.component[g.edge_u[e]]] < min_component) continue;
      for (std::uint32_t p = g.edge_first_point[e]; p + 1 < g.edge_first_point[e + 1]; ++p) {
        const XY a{g.point_x[p], g.point_y[p]}, b{g.point_x[p + 1], g.point_y[p + 1]};
        const double dx = b.x - a.x, dy = b.y - a.y, len2 = dx * dx + dy * dy;
        cells.near_segment(a, b, [&](std::uint32_t q) {
          const XY v = points[q];
          double t = len2 > 0 ? ((v.x - a.x) * dx + (v.y - a.y) * dy) / len2 : 0;
          t = std::max(0.0, std::min(1.0, t));
          const double d = distance(v, {a.x + t * dx, a.y + t * dy});
          Best& h = best[q];
          if (d < h.distance || (d == h.distance && e < h.edge)) h = {d, e, p, t};  // as EdgeIndex: smaller edge
        });
      }
    }
  });
  std::vector<Snap> out(points.size());
  for (std::size_t q = 0; q < points.size(); ++q) {
    Best b;
    for (auto& run : part)  // runs hold ascending edges: a tie keeps the earlier run
      if (run[q].distance < b.distance) b = run[q];
    out[q] = b.edge == kInvalid || b.distance > max_distance ? Snap{kInvalid, 0, b.distance, {}}
                                                              : finish_snap(g, b.edge, b.seg, b.t, b.distance);
  }
  return out;
}

}  // namespace walkshed
