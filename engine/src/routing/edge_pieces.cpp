#include "walkshed/routing/edge_pieces.hpp"

#include <algorithm>
#include <cmath>

namespace walkshed {

void edge_pieces(double length, const std::vector<Cone>& cones, const std::vector<double>& thresholds,
                 double limit, std::vector<Piece>& out) {
  if (cones.empty() || !(length > 0)) return;
  // Breakpoints: edge ends, cone apexes, crossings of two cones, threshold crossings.
  std::vector<double> xs = {0.0, length};
  auto add = [&](double x) {
    if (x > 0 && x < length) xs.push_back(x);
  };
  for (size_t i = 0; i < cones.size(); ++i) {
    const Cone& a = cones[i];
    add(a.pos);
    for (size_t j = i + 1; j < cones.size(); ++j) {
      const Cone& b = cones[j];
      add((b.base - a.base + a.pos + b.pos) / 2);
      add((a.base - b.base + a.pos + b.pos) / 2);
    }
    auto add_level = [&](double t) {
      if (t >= a.base) add(a.pos - (t - a.base)), add(a.pos + (t - a.base));
    };
    for (double t : thresholds) add_level(t);
    if (std::isfinite(limit)) add_level(limit);
  }
  std::sort(xs.begin(), xs.end());
  xs.erase(std::unique(xs.begin(), xs.end()), xs.end());

  const size_t first_new = out.size();
  for (size_t k = 0; k + 1 < xs.size(); ++k) {
    const double a = xs[k], b = xs[k + 1];
    if (b - a <= 1e-9) continue;
    const double m = (a + b) / 2;
    const Cone* best = nullptr;
    double dm = 0;
    for (const Cone& c : cones) {
      double d = c.base + std::abs(m - c.pos);
      if (!best || d < dm || (d == dm && c.label < best->label)) best = &c, dm = d;
    }
    if (!(dm <= limit)) continue;
    const double da = best->base + std::abs(a - best->pos), db = best->base + std::abs(b - best->pos);
    std::uint32_t band = std::lower_bound(thresholds.begin(), thresholds.end(), dm) - thresholds.begin();
    double d_max = std::max(da, db);
    if (band < thresholds.size()) d_max = std::min(d_max, thresholds[band]);
    if (std::isfinite(limit)) d_max = std::min(d_max, limit);
    Piece p{a, b, std::min(da, db), d_max, best->label, band};
    if (out.size() > first_new) {
      Piece& prev = out.back();
      if (prev.to == a && prev.label == p.label && prev.band == p.band) {
        prev.to = b;
        prev.d_min = std::min(prev.d_min, p.d_min);
        prev.d_max = std::max(prev.d_max, p.d_max);
        continue;
      }
    }
    out.push_back(p);
  }
}

}  // namespace walkshed
