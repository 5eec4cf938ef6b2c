#include <algorithm>
#include <memory>
#include <tuple>

#include "core/parallel.hpp"
#include "coverage/reach.hpp"
#include "walkshed/coverage/coverage.hpp"

namespace walkshed {

std::vector<std::array<std::vector<double>, kFunctionCount>> group_reach(
    const Graph& g, const CoverageResult& cov, const std::vector<ServiceFacility>& facilities,
    const std::vector<std::vector<std::uint32_t>>& groups, const std::vector<double>& thresholds,
    int threads_wanted, const Progress& progress) {
  std::vector<std::array<std::vector<double>, kFunctionCount>> out(groups.size());
  for (auto& group : out)
    for (auto& fn : group) fn.assign(thresholds.size(), 0.0);
  if (thresholds.empty() || groups.empty()) return out;
  const double limit = *std::max_element(thresholds.begin(), thresholds.end());
  const int threads = detail::thread_count(threads_wanted, groups.size() / 4 + 1);
  std::vector<std::unique_ptr<detail::DemandReach>> reach;
  for (int i = 0; i < threads; ++i) reach.push_back(std::make_unique<detail::DemandReach>(g, cov.demand));
  std::vector<std::vector<std::tuple<int, std::uint32_t, double>>> seen(threads);  // (function, point, metres)
  detail::parallel_for(groups.size(), threads, progress, "operators", [&](std::size_t k, int w) {
    auto& v = seen[w];
    v.clear();
    for (std::uint32_t f : groups[k]) {
      const FunctionSet fns = facilities[f].functions;
      if (fns == 0) continue;
      reach[w]->visit(cov.facility_snaps[f], limit, [&](std::uint32_t i, double d) {
        for (int fn = 0; fn < kFunctionCount; ++fn)
          if (fns & (1u << fn)) v.push_back({fn, i, d});
      });
    }
    std::sort(v.begin(), v.end());  // the nearest of a function's facilities first for each point
    for (std::size_t j = 0; j < v.size(); ++j) {
      const auto [fn, i, d] = v[j];
      if (j > 0 && std::get<0>(v[j - 1]) == fn && std::get<1>(v[j - 1]) == i) continue;
      for (std::size_t b = 0; b < thresholds.size(); ++b)
        if (d <= thresholds[b]) out[k][fn][b] += cov.demand[i].households;
    }
  });
  return out;
}

}  // namespace walkshed
