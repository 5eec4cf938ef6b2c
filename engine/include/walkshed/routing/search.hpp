// Bounded multi-source Dijkstra over the CSR search graph, reusable across queries.
#pragma once
#include <cstdint>
#include <limits>
#include <vector>

#include "walkshed/network/graph.hpp"

namespace walkshed {

constexpr double kUnreached = std::numeric_limits<double>::infinity();

class Search {
 public:
  explicit Search(const Graph& graph);

  // Starts a new query in O(1) (timestamps, no O(nodes) reset).
  void clear();
  // A source node at an initial distance with a label (facility index).
  void add_source(std::uint32_t node, double distance, std::uint32_t label);
  // A source at `offset` metres along edge e (a snapped point): both ends of the edge, at their distances.
  void add_edge_point(std::uint32_t e, double offset, std::uint32_t label) {
    add_source(g_.edge_u[e], offset, label);
    add_source(g_.edge_v[e], g_.edge_length[e] - offset, label);
  }
  // Settles every node with distance <= limit. Ties go to the smaller label.
  void run(double limit = kUnreached);

  // Nodes settled by the last run, in settling order.
  const std::vector<std::uint32_t>& reached() const { return reached_; }
  bool is_reached(std::uint32_t n) const { return stamp_[n] == now_ && settled_[n]; }
  double distance(std::uint32_t n) const { return is_reached(n) ? dist_[n] : kUnreached; }
  std::uint32_t label(std::uint32_t n) const { return is_reached(n) ? label_[n] : kInvalid; }

 private:
  struct Entry {
    double dist;
    std::uint32_t label, node;
  };
  bool improves(std::uint32_t n, double d, std::uint32_t label) const;
  void push(std::uint32_t n, double d, std::uint32_t label);

  const Graph& g_;
  std::vector<double> dist_;
  std::vector<std::uint32_t> label_, stamp_;
  std::vector<std::uint8_t> settled_;
  std::vector<Entry> heap_;
  std::vector<std::uint32_t> reached_;
  std::uint32_t now_ = 0;
};

}  // namespace walkshed
