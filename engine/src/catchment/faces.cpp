#include "catchment/faces.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>
#include <unordered_map>

namespace walkshed::detail {

namespace {

struct PointHash {
  std::size_t operator()(const XY& p) const {
    std::uint64_t a, b;
    std::memcpy(&a, &p.x, 8);
    std::memcpy(&b, &p.y, 8);
    return static_cast<std::size_t>(a * 0x9E3779B97F4A7C15ull ^ (b + 0x632BE59BD9B4E019ull + (a << 6)));
  }
};

// Twice the signed area of triangle abc: > 0 when c is left of a->b.
double cross(const XY& a, const XY& b, const XY& c) { return (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x); }

bool within_box(const XY& a, const XY& b, const XY& p) {
  return std::min(a.x, b.x) <= p.x && p.x <= std::max(a.x, b.x) && std::min(a.y, b.y) <= p.y &&
         p.y <= std::max(a.y, b.y);
}

// Segments ab and cd have a point in common (touching included).
bool meet(const XY& a, const XY& b, const XY& c, const XY& d) {
  const double o1 = cross(a, b, c), o2 = cross(a, b, d), o3 = cross(c, d, a), o4 = cross(c, d, b);
  if (((o1 > 0 && o2 < 0) || (o1 < 0 && o2 > 0)) && ((o3 > 0 && o4 < 0) || (o3 < 0 && o4 > 0))) return true;
  return (o1 == 0 && within_box(a, b, c)) || (o2 == 0 && within_box(a, b, d)) || (o3 == 0 && within_box(c, d, a)) ||
         (o4 == 0 && within_box(c, d, b));
}

// Two segments from a common point p to a and to d overlap beyond p.
bool fold(const XY& p, const XY& a, const XY& d) {
  return cross(p, a, d) == 0 && (a.x - p.x) * (d.x - p.x) + (a.y - p.y) * (d.y - p.y) > 0;
}

double signed_area(const Polyline& ring) {
  double s = 0;
  const XY o = ring.front();
  for (std::size_t i = 1; i + 1 < ring.size(); ++i) s += cross(o, ring[i], ring[i + 1]);
  return s / 2;
}

class Tracer {
 public:
  explicit Tracer(const std::vector<Polyline>& lines) : n_(lines.size()), pts_(n_), loose_(n_, 0), ends_(n_) {
    // Local coordinates (precision of the crossing tests), without repeated points.
    XY origin;
    for (const auto& l : lines)
      if (!l.empty()) {
        origin = l.front();
        break;
      }
    std::unordered_map<XY, std::uint32_t, PointHash> junction;
    for (std::size_t i = 0; i < n_; ++i) {
      for (const XY& p : lines[i]) {
        const XY q{p.x - origin.x, p.y - origin.y};
        if (pts_[i].empty() || !(pts_[i].back() == q)) pts_[i].push_back(q);
      }
      if (pts_[i].size() < 2) {
        loose_[i] = 1;
        if (pts_[i].empty()) continue;
      }
      for (int side = 0; side < 2; ++side) {
        const XY& p = side ? pts_[i].back() : pts_[i].front();
        ends_[i][side] = junction.emplace(p, static_cast<std::uint32_t>(junction.size())).first->second;
      }
    }
    nodes_ = junction.size();
    mark_crossings();
  }

  PlanarFaces run(const std::vector<Polyline>& lines) {
    std::vector<std::uint32_t> face_of(2 * n_);
    std::vector<Polyline> rings;
    std::vector<double> area;
    for (;;) {
      prune_dead_ends();
      rings = trace(lines, face_of);
      area.resize(rings.size());
      for (std::size_t f = 0; f < rings.size(); ++f) area[f] = signed_area(rings[f]);
      // A line with the same face on both sides is a bridge between cycles; a face without area is
      // degenerate: leave their lines loose and trace again.
      bool again = false;
      for (std::size_t i = 0; i < n_; ++i)
        if (!loose_[i] && (face_of[2 * i] == face_of[2 * i + 1] || area[face_of[2 * i]] == 0 || area[face_of[2 * i + 1]] == 0))
          loose_[i] = 1, again = true;
      if (!again) break;
    }
    // Connected parts (union-find over junctions) name each ring's part.
    std::vector<std::uint32_t> parent(nodes_);
    std::iota(parent.begin(), parent.end(), 0);
    auto root = [&](std::uint32_t x) {
      while (parent[x] != x) x = parent[x] = parent[parent[x]];
      return x;
    };
    for (std::size_t i = 0; i < n_; ++i)
      if (!loose_[i]) parent[root(ends_[i][0])] = root(ends_[i][1]);
    std::vector<std::uint32_t> ring_line(rings.size(), 0);  // a line on each ring
    for (std::size_t i = 0; i < n_; ++i)
      if (!loose_[i]) ring_line[face_of[2 * i]] = ring_line[face_of[2 * i + 1]] = static_cast<std::uint32_t>(i);

    PlanarFaces out;
    for (std::size_t f = 0; f < rings.size(); ++f) {
      const std::uint32_t part = root(ends_[ring_line[f]][0]);
      if (area[f] > 0) {
        out.faces.push_back(std::move(rings[f]));
        out.face_part.push_back(part);
      } else {
        out.outer.push_back(std::move(rings[f]));
        out.outer_part.push_back(part);
      }
    }
    for (std::size_t i = 0; i < n_; ++i)
      if (loose_[i]) out.loose.push_back(static_cast<std::uint32_t>(i));
    out.ends = std::move(ends_);
    return out;
  }

 private:
  // Lines that touch anything but at a shared end point are loose (uniform grid over the segments).
  void mark_crossings() {
    struct Seg {
      std::uint32_t line, k;
    };
    std::vector<Seg> segs;
    double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
    for (std::uint32_t i = 0; i < n_; ++i) {
      if (loose_[i]) continue;
      for (std::uint32_t k = 0; k + 1 < pts_[i].size(); ++k) segs.push_back({i, k});
      for (const XY& p : pts_[i])
        x0 = std::min(x0, p.x), y0 = std::min(y0, p.y), x1 = std::max(x1, p.x), y1 = std::max(y1, p.y);
    }
    if (segs.size() < 2) return;
    const double side = std::sqrt(double(segs.size()));  // about one segment per cell
    const double cell = std::max({(x1 - x0) / side, (y1 - y0) / side, 1e-6});
    const auto nx = static_cast<std::uint64_t>((x1 - x0) / cell) + 1;
    std::vector<std::pair<std::uint64_t, std::uint32_t>> in_cell;  // (cell, segment)
    for (std::uint32_t s = 0; s < segs.size(); ++s) {
      const XY& a = pts_[segs[s].line][segs[s].k];
      const XY& b = pts_[segs[s].line][segs[s].k + 1];
      const auto cx0 = static_cast<std::uint64_t>((std::min(a.x, b.x) - x0) / cell);
      const auto cx1 = static_cast<std::uint64_t>((std::max(a.x, b.x) - x0) / cell);
      const auto cy0 = static_cast<std::uint64_t>((std::min(a.y, b.y) - y0) / cell);
      const auto cy1 = static_cast<std::uint64_t>((std::max(a.y, b.y) - y0) / cell);
      for (auto cy = cy0; cy <= cy1; ++cy)
        for (auto cx = cx0; cx <= cx1; ++cx) in_cell.push_back({cy * nx + cx, s});
    }
    std::sort(in_cell.begin(), in_cell.end());
    for (std::size_t lo = 0, hi; lo < in_cell.size(); lo = hi) {
      for (hi = lo + 1; hi < in_cell.size() && in_cell[hi].first == in_cell[lo].first;) ++hi;
      for (std::size_t p = lo; p < hi; ++p)
        for (std::size_t q = p + 1; q < hi; ++q) {
          const Seg s = segs[in_cell[p].second], t = segs[in_cell[q].second];
          if (loose_[s.line] && loose_[t.line]) continue;
          if (touch_elsewhere(s.line, s.k, t.line, t.k)) loose_[s.line] = loose_[t.line] = 1;
        }
    }
  }

  // Segment k of line i and segment l of line j meet other than at a junction of both.
  bool touch_elsewhere(std::uint32_t i, std::uint32_t k, std::uint32_t j, std::uint32_t l) const {
    const XY &a = pts_[i][k], &b = pts_[i][k + 1], &c = pts_[j][l], &d = pts_[j][l + 1];
    if (!meet(a, b, c, d)) return false;
    // The common point p must be an end of both segments, and an end of both lines there.
    const std::size_t last_i = pts_[i].size() - 1, last_j = pts_[j].size() - 1;
    auto end_of = [](std::uint32_t seg, bool second, std::size_t last) { return second ? seg + 1 == last : seg == 0; };
    for (int sa = 0; sa < 2; ++sa)
      for (int sc = 0; sc < 2; ++sc) {
        const XY& p = sa ? b : a;
        const XY& q = sc ? d : c;
        if (!(p == q)) continue;
        const XY& other_a = sa ? a : b;
        const XY& other_c = sc ? c : d;
        if (fold(p, other_a, other_c)) return true;
        if (i == j && (k + 1 == l || l + 1 == k)) return false;  // consecutive segments of one line
        return !(end_of(k, sa, last_i) && end_of(l, sc, last_j));
      }
    return true;
  }

  // Removes dead-end trees: lines with an end at a junction of no other line.
  void prune_dead_ends() {
    std::vector<std::uint32_t> degree(nodes_, 0);
    for (std::size_t i = 0; i < n_; ++i)
      if (!loose_[i]) ++degree[ends_[i][0]], ++degree[ends_[i][1]];
    std::vector<std::vector<std::uint32_t>> at(nodes_);
    for (std::uint32_t i = 0; i < n_; ++i)
      if (!loose_[i]) at[ends_[i][0]].push_back(i), at[ends_[i][1]].push_back(i);
    std::vector<std::uint32_t> todo;
    for (std::uint32_t v = 0; v < nodes_; ++v)
      if (degree[v] == 1) todo.push_back(v);
    while (!todo.empty()) {
      const std::uint32_t v = todo.back();
      todo.pop_back();
      for (std::uint32_t i : at[v]) {
        if (loose_[i]) continue;
        loose_[i] = 1;
        for (std::uint32_t w : ends_[i])
          if (--degree[w] == 1) todo.push_back(w);
      }
    }
  }

  // Face rings with the face on the left of each half-edge (end 2i: line i forward, 2i+1: back).
  std::vector<Polyline> trace(const std::vector<Polyline>& lines, std::vector<std::uint32_t>& face_of) const {
    struct End {
      std::uint32_t node;
      double angle;
      std::uint32_t id;
    };
    std::vector<End> order;
    for (std::uint32_t i = 0; i < n_; ++i) {
      if (loose_[i]) continue;
      const Polyline& p = pts_[i];
      const std::size_t m = p.size();
      order.push_back({ends_[i][0], std::atan2(p[1].y - p[0].y, p[1].x - p[0].x), 2 * i});
      order.push_back({ends_[i][1], std::atan2(p[m - 2].y - p[m - 1].y, p[m - 2].x - p[m - 1].x), 2 * i + 1});
    }
    std::sort(order.begin(), order.end(),
              [](const End& a, const End& b) { return a.node != b.node ? a.node < b.node : a.angle < b.angle; });
    std::vector<std::uint32_t> pos(2 * n_), block(order.size());
    for (std::size_t q = 0; q < order.size(); ++q) {
      pos[order[q].id] = static_cast<std::uint32_t>(q);
      block[q] = q > 0 && order[q - 1].node == order[q].node ? block[q - 1] : static_cast<std::uint32_t>(q);
    }
    // The end next clockwise around the same junction.
    auto clockwise = [&](std::uint32_t q) {
      if (q > block[q]) return q - 1;
      std::uint32_t last = q;
      while (last + 1 < order.size() && order[last + 1].node == order[q].node) ++last;
      return last;
    };
    std::vector<Polyline> rings;
    std::vector<char> seen(2 * n_, 0);
    for (const End& start : order) {
      if (seen[start.id]) continue;
      const auto f = static_cast<std::uint32_t>(rings.size());
      Polyline ring;
      for (std::uint32_t h = start.id; !seen[h];) {
        seen[h] = 1;
        face_of[h] = f;
        const std::uint32_t i = h / 2;
        const Polyline& l = lines[i];  // original coordinates, repeated points kept
        if (h % 2 == 0)
          ring.insert(ring.end(), l.begin(), l.end() - 1);
        else
          ring.insert(ring.end(), l.rbegin(), l.rend() - 1);
        h = order[clockwise(pos[h ^ 1])].id;
      }
      rings.push_back(std::move(ring));
    }
    return rings;
  }

  std::size_t n_, nodes_ = 0;
  std::vector<Polyline> pts_;
  std::vector<char> loose_;
  std::vector<std::array<std::uint32_t, 2>> ends_;
};

}  // namespace

PlanarFaces planar_faces(const std::vector<Polyline>& lines) { return Tracer(lines).run(lines); }

bool inside_ring(const XY& p, const Polyline& ring) {
  bool in = false;
  for (std::size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
    const XY &a = ring[i], &b = ring[j];
    if ((a.y > p.y) != (b.y > p.y) && p.x < a.x + (p.y - a.y) * (b.x - a.x) / (b.y - a.y)) in = !in;
  }
  return in;
}

}  // namespace walkshed::detail
