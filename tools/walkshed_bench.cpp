// walkshed_bench: the search kernel against a plain CSR Dijkstra (binary heap, timestamped distances)
// on the same graph and sources, and the thread speed-up of the catchment batch. Not a test.
//   walkshed_bench GRAPH.wsg [--facilities 1000] [--distance 1000] [--runs 5]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <queue>
#include <random>
#include <string>
#include <vector>

#include "walkshed/catchment/catchment.hpp"
#include "walkshed/core/error.hpp"
#include "walkshed/routing/search.hpp"

namespace {

using Clock = std::chrono::steady_clock;

// The reference: textbook Dijkstra on the CSR arrays, no labels, no settled flags.
struct Plain {
  const walkshed::Graph& g;
  std::vector<double> dist;
  std::vector<std::uint32_t> stamp;
  std::uint32_t now = 0;
  std::vector<std::pair<double, std::uint32_t>> heap;
  explicit Plain(const walkshed::Graph& graph) : g(graph), dist(graph.node_count()), stamp(graph.node_count(), 0) {}
  std::size_t run(std::uint32_t u, double du, std::uint32_t v, double dv, double limit) {
    ++now;
    heap.clear();
    std::size_t settled = 0;
    auto relax = [&](std::uint32_t n, double d) {
      if (d > limit || (stamp[n] == now && dist[n] <= d)) return;
      stamp[n] = now, dist[n] = d;
      heap.push_back({d, n});
      std::push_heap(heap.begin(), heap.end(), std::greater<>());
    };
    relax(u, du), relax(v, dv);
    while (!heap.empty()) {
      std::pop_heap(heap.begin(), heap.end(), std::greater<>());
      auto [d, n] = heap.back();
      heap.pop_back();
      if (d != dist[n]) continue;
      ++settled;
      for (auto a = g.first_out[n]; a < g.first_out[n + 1]; ++a) relax(g.head[a], d + g.weight[a]);
    }
    return settled;
  }
};

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || !std::strcmp(argv[1], "--help")) {
    std::printf("usage: walkshed_bench GRAPH.wsg [--facilities N] [--distance M] [--runs R]\n"
                "example: walkshed graph city.osm.pbf -o city.wsg && walkshed_bench city.wsg --runs 5\n");
    return argc < 2 ? 1 : 0;
  }
  int count = 1000, runs = 5;
  double limit = 1000;
  for (int i = 2; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--facilities")) count = std::atoi(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--distance")) limit = std::atof(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--runs")) runs = std::atoi(argv[i + 1]);
  }
  try {
    const walkshed::Graph g = walkshed::load_graph(argv[1]);
    // Facilities: nodes of the largest component, evenly spread, at offset 0 of an incident edge.
    std::vector<walkshed::Facility> facs;
    std::vector<std::uint32_t> nodes;
    for (std::uint32_t n = 0; n < g.node_count(); ++n)
      if (g.component[n] == 0) nodes.push_back(n);
    const std::size_t step = std::max<std::size_t>(1, nodes.size() / count);
    for (std::size_t k = 0; k < nodes.size() && (int)facs.size() < count; k += step)
      facs.push_back({std::to_string(nodes[k]), "", g.node(nodes[k]), nullptr});

    walkshed::Search search(g);
    Plain plain(g);
    std::vector<double> t_plain, t_search, t_batch1, t_batch2;
    std::size_t settled_plain = 0, settled_search = 0;
    for (int r = 0; r < runs; ++r) {
      auto t = Clock::now();
      settled_plain = 0;
      for (auto& f : facs) {
        const auto n = std::stoul(f.id);
        settled_plain += plain.run(n, 0, n, 0, limit);
      }
      t_plain.push_back(std::chrono::duration<double>(Clock::now() - t).count());
      t = Clock::now();
      settled_search = 0;
      for (auto& f : facs) {
        const auto n = std::stoul(f.id);
        search.clear();
        search.add_source(n, 0, 0);
        search.run(limit);
        settled_search += search.reached().size();
      }
      t_search.push_back(std::chrono::duration<double>(Clock::now() - t).count());
      for (int threads : {1, 2}) {
        walkshed::CatchmentOptions o;
        o.thresholds_m = {limit};
        o.polygons = false;
        o.lines = false;
        o.threads = threads;
        auto res = walkshed::compute_catchments(g, facs, o);
        for (auto& [name, sec] : res.timings)
          if (name == "catchments") (threads == 1 ? t_batch1 : t_batch2).push_back(sec);
      }
    }
    const double p = median(t_plain), s = median(t_search), b1 = median(t_batch1), b2 = median(t_batch2);
    std::printf("graph %u nodes, %u arcs; %zu facilities, %.0f m, medians of %d runs\n", g.node_count(),
                g.arc_count(), facs.size(), limit, runs);
    std::printf("plain CSR Dijkstra      %8.4f s  %6.2f M settled/s (%zu settled)\n", p, settled_plain / p / 1e6,
                settled_plain);
    std::printf("walkshed Search         %8.4f s  %6.2f M settled/s (%zu settled)  ratio %.2f\n", s,
                settled_search / s / 1e6, settled_search, s / p);
    std::printf("catchment batch 1 thread %7.4f s, 2 threads %.4f s: speed-up %.2f\n", b1, b2, b1 / b2);
    return settled_plain == settled_search ? 0 : 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "walkshed_bench: error: %s\n", e.what());
    return 2;
  }
}
