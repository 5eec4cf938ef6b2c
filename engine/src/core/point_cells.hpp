// Private: a few query points in grid cells, for one pass over many segments ("which points may
// lie within d of this segment?"). Each point is filed in every cell its box grown by d meets, so a
// segment only looks at the cells of its own box (mostly one); a bit per hashed cell rejects the
// empty ones before the map is asked. A point may be reported more than once for a segment.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <unordered_map>
#include <utility>
#include <vector>

#include "walkshed/core/geometry.hpp"

namespace walkshed::detail {

inline std::uint64_t mix64(std::uint64_t h) {  // splitmix64 finaliser
  h ^= h >> 30, h *= 0xbf58476d1ce4e5b9ULL;
  h ^= h >> 27, h *= 0x94d049bb133111ebULL;
  return h ^ (h >> 31);
}

class PointCells {
 public:
  PointCells(const std::vector<XY>& points, double reach) : inv_(1 / std::max(reach, 50.0)) {
    for (std::uint32_t q = 0; q < points.size(); ++q) {
      const XY p = points[q];
      for (auto cx = cell(p.x - reach); cx <= cell(p.x + reach); ++cx)
        for (auto cy = cell(p.y - reach); cy <= cell(p.y + reach); ++cy) sorted_.push_back({key(cx, cy), q});
    }
    std::sort(sorted_.begin(), sorted_.end());
    for (std::uint32_t k = 0; k < sorted_.size(); ++k) {
      auto [it, added] = occupied_.emplace(sorted_[k].first, std::make_pair(k, k + 1));
      if (!added) it->second.second = k + 1;
      maybe_[mix64(sorted_[k].first) & (kBits - 1)] = true;
    }
  }
  // Calls f(point index) for the points filed in the cells of the segment's box: every point
  // within `reach` of the segment, and others.
  template <class F>
  void near_segment(XY a, XY b, F&& f) const {
    const std::int64_t x0 = cell(std::min(a.x, b.x)), x1 = cell(std::max(a.x, b.x));
    const std::int64_t y0 = cell(std::min(a.y, b.y)), y1 = cell(std::max(a.y, b.y));
    if (double(x1 - x0 + 1) * double(y1 - y0 + 1) > double(occupied_.size())) {
      // A box of more cells than there are occupied ones (a very long segment): look at those instead.
      for (auto& [k, range] : occupied_) {
        const std::int64_t cx = static_cast<std::int32_t>(k >> 32), cy = static_cast<std::int32_t>(k);
        if (cx < x0 || cx > x1 || cy < y0 || cy > y1) continue;
        for (std::uint32_t e = range.first; e < range.second; ++e) f(sorted_[e].second);
      }
      return;
    }
    for (auto cx = x0; cx <= x1; ++cx)
      for (auto cy = y0; cy <= y1; ++cy) {
        const std::uint64_t k = key(cx, cy);
        if (!maybe_[mix64(k) & (kBits - 1)]) continue;
        auto found = occupied_.find(k);
        if (found == occupied_.end()) continue;
        for (std::uint32_t e = found->second.first; e < found->second.second; ++e) f(sorted_[e].second);
      }
  }

 private:
  static constexpr std::uint64_t kBits = 1u << 20;
  std::int64_t cell(double v) const { return static_cast<std::int64_t>(std::floor(v * inv_)); }
  static std::uint64_t key(std::int64_t cx, std::int64_t cy) {
    return (static_cast<std::uint64_t>(cx) << 32) ^ static_cast<std::uint32_t>(cy);
  }
  double inv_;
  std::vector<std::pair<std::uint64_t, std::uint32_t>> sorted_;                          // cell, point
  std::unordered_map<std::uint64_t, std::pair<std::uint32_t, std::uint32_t>> occupied_;  // cell -> range
  std::vector<bool> maybe_ = std::vector<bool>(kBits, false);
};

}  // namespace walkshed::detail
