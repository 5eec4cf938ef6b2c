// Private: a few query points in grid cells, for one pass over many segments ("which points lie
// within d of this segment?"). Cells are at least d wide, so a segment's box grown by d meets
// 1-4 of them; a bit per hashed cell rejects the empty ones before the map is asked.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <unordered_map>
#include <utility>
#include <vector>

#include "walkshed/geometry.hpp"

namespace walkshed::detail {

inline std::uint64_t mix64(std::uint64_t h) {  // splitmix64 finaliser
  h ^= h >> 30, h *= 0xbf58476d1ce4e5b9ULL;
  h ^= h >> 27, h *= 0x94d049bb133111ebULL;
  return h ^ (h >> 31);
}

class PointCells {
 public:
  PointCells(const std::vector<XY>& points, double reach) : reach_(reach), inv_(1 / std::max(reach, 50.0)) {
    for (std::uint32_t q = 0; q < points.size(); ++q) sorted_.push_back({key(cell(points[q].x), cell(points[q].y)), q});
    std::sort(sorted_.begin(), sorted_.end());
    for (std::uint32_t k = 0; k < sorted_.size(); ++k) {
      auto [it, added] = occupied_.emplace(sorted_[k].first, std::make_pair(k, k + 1));
      if (!added) it->second.second = k + 1;
      maybe_[mix64(sorted_[k].first) & (kBits - 1)] = true;
    }
  }
  // Calls f(point index) for every point in a cell that the segment's box grown by `reach` meets.
  template <class F>
  void near_segment(XY a, XY b, F&& f) const {
    const std::int64_t x0 = cell(std::min(a.x, b.x) - reach_), x1 = cell(std::max(a.x, b.x) + reach_);
    const std::int64_t y0 = cell(std::min(a.y, b.y) - reach_), y1 = cell(std::max(a.y, b.y) + reach_);
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
  double reach_, inv_;
  std::vector<std::pair<std::uint64_t, std::uint32_t>> sorted_;                          // cell, point
  std::unordered_map<std::uint64_t, std::pair<std::uint32_t, std::uint32_t>> occupied_;  // cell -> range
  std::vector<bool> maybe_ = std::vector<bool>(kBits, false);
};

}  // namespace walkshed::detail
