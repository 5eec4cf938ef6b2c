#include "walkshed/routing/search.hpp"

#include <algorithm>

namespace walkshed {

namespace {
struct Later {
  template <class E>
  bool operator()(const E& a, const E& b) const {
    return a.dist > b.dist || (a.dist == b.dist && a.label > b.label);
  }
};
}  // namespace

Search::Search(const Graph& graph)
    : g_(graph), dist_(graph.node_count()), label_(graph.node_count()), stamp_(graph.node_count(), 0),
      settled_(graph.node_count(), 0) {}

void Search::clear() {
  heap_.clear();
  reached_.clear();
  if (++now_ == 0) {  // wrapped: a real reset once every 2^32 queries
    std::fill(stamp_.begin(), stamp_.end(), 0);
    now_ = 1;
  }
}

bool Search::improves(std::uint32_t n, double d, std::uint32_t label) const {
  if (stamp_[n] != now_) return true;
  if (settled_[n]) return false;
  return d < dist_[n] || (d == dist_[n] && label < label_[n]);
}

void Search::push(std::uint32_t n, double d, std::uint32_t label) {
  if (stamp_[n] != now_) {
    stamp_[n] = now_;
    settled_[n] = 0;
  }
  dist_[n] = d;
  label_[n] = label;
  heap_.push_back({d, label, n});
  std::push_heap(heap_.begin(), heap_.end(), Later{});
}

void Search::add_source(std::uint32_t node, double distance, std::uint32_t label) {
  if (improves(node, distance, label)) push(node, distance, label);
}

void Search::run(double limit) {
  const std::uint32_t* first = g_.first_out.data();
  const std::uint32_t* head = g_.head.data();
  const double* weight = g_.weight.data();
  while (!heap_.empty()) {
    std::pop_heap(heap_.begin(), heap_.end(), Later{});
    const Entry top = heap_.back();
    heap_.pop_back();
    const std::uint32_t u = top.node;
    if (settled_[u] || top.dist != dist_[u] || top.label != label_[u]) continue;  // stale entry
    if (top.dist > limit) continue;
    settled_[u] = 1;
    reached_.push_back(u);
    for (std::uint32_t a = first[u]; a < first[u + 1]; ++a) {
      const std::uint32_t v = head[a];
      const double d = top.dist + weight[a];
      if (d <= limit && improves(v, d, top.label)) push(v, d, top.label);
    }
  }
}

}  // namespace walkshed
