// Private: walking distances from a search to points lying on edges (demand points).
#pragma once
#include <algorithm>
#include <cmath>
#include <numeric>
#include <utility>
#include <vector>

#include "walkshed/coverage/coverage.hpp"
#include "walkshed/routing/search.hpp"

namespace walkshed::detail {

// Walking distance to a point at `offset` on edge e, from a finished search and the sources
// lying on that same edge (sorted (edge, offset) pairs).
inline double point_distance(const Graph& g, const Search& s, std::uint32_t e, double offset,
                             const std::vector<std::pair<std::uint32_t, double>>& on_edge) {
  double d = std::min(s.distance(g.edge_u[e]) + offset, s.distance(g.edge_v[e]) + g.edge_length[e] - offset);
  auto it = std::lower_bound(on_edge.begin(), on_edge.end(), std::make_pair(e, -1.0));
  for (; it != on_edge.end() && it->first == e; ++it) d = std::min(d, std::abs(offset - it->second));
  return d;
}

// Demand points grouped by the edge they snapped to (CSR).
struct DemandByEdge {
  std::vector<std::uint32_t> first, order;
  DemandByEdge(const Graph& g, const std::vector<DemandPoint>& demand) : first(g.edge_count() + 1, 0) {
    for (auto& d : demand)
      if (d.snap.edge != kInvalid) ++first[d.snap.edge + 1];
    std::partial_sum(first.begin(), first.end(), first.begin());
    order.resize(first.back());
    std::vector<std::uint32_t> pos(first.begin(), first.end() - 1);
    for (std::uint32_t i = 0; i < demand.size(); ++i)
      if (demand[i].snap.edge != kInvalid) order[pos[demand[i].snap.edge]++] = i;
  }
};

// Calls f(demand index, distance) for every demand point within `limit` of a site snapped at `site`.
class DemandReach {
 public:
  DemandReach(const Graph& g, const std::vector<DemandPoint>& demand)
      : g_(g), demand_(demand), index_(g, demand), search_(g), stamp_(g.edge_count(), 0) {}

  template <class F>
  void visit(const Snap& site, double limit, F&& f) {
    if (site.edge == kInvalid) return;
    search_.clear();
    search_.add_edge_point(site.edge, site.offset, 0);
    search_.run(limit);
    const std::vector<std::pair<std::uint32_t, double>> own = {{site.edge, site.offset}};
    ++now_;
    auto edge = [&](std::uint32_t e) {
      if (stamp_[e] == now_) return;
      stamp_[e] = now_;
      for (std::uint32_t k = index_.first[e]; k < index_.first[e + 1]; ++k) {
        const std::uint32_t i = index_.order[k];
        const double d = point_distance(g_, search_, e, demand_[i].snap.offset, own);
        if (d <= limit) f(i, d);
      }
    };
    edge(site.edge);
    for (auto n : search_.reached())
      for (std::uint32_t k = g_.inc_first[n]; k < g_.inc_first[n + 1]; ++k) edge(g_.inc_edge[k]);
  }

 private:
  const Graph& g_;
  const std::vector<DemandPoint>& demand_;
  DemandByEdge index_;
  Search search_;
  std::vector<std::uint32_t> stamp_;
  std::uint32_t now_ = 0;
};

}  // namespace walkshed::detail
