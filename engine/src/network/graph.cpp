#include "walkshed/network/graph.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <numeric>
#include <unordered_map>

#include "core/parallel.hpp"
#include "core/point_cells.hpp"
#include "walkshed/core/error.hpp"

namespace walkshed {

namespace {

std::uint64_t bits_of(double v) {
  if (v == 0) v = 0;  // -0.0 and 0.0 are the same coordinate
  std::uint64_t b;
  std::memcpy(&b, &v, sizeof b);
  return b;
}

// Per line end that meets no other line: the nearest vertex and the nearest segment point of
// another line within `limit`.
struct EndHit {
  double vertex_distance, segment_distance;
  std::uint32_t vertex_group = kInvalid;
  std::uint32_t line = kInvalid, segment = 0;
  double t = 0;
};

// Vertices grouped by equal coordinates, for the line set they were made from.
struct Grouping {
  std::vector<std::uint32_t> group;  // per vertex, indexed like the line set's points
  std::vector<std::uint32_t> count;  // occurrences per group
  std::vector<XY> where;             // coordinates per group, numbered in order of first appearance
};

// One pass over the segments against a grid of the (few) query points keeps memory small.
std::vector<EndHit> nearest_to_ends(const LineSet& lines, const Grouping& gr,
                                    const std::vector<XY>& points, const std::vector<std::uint32_t>& point_line,
                                    double limit, int threads) {
  std::vector<EndHit> best(points.size(), EndHit{limit, limit});
  if (points.empty()) return best;
  const detail::PointCells cells(points, limit);
  auto scan = [&](std::uint32_t from, std::uint32_t to, std::vector<EndHit>& best) {
    for (std::uint32_t i = from; i < to; ++i) {
      for (std::uint32_t k = 0; k + 1 < lines.count(i); ++k) {
        const XY a = lines.at(i, k), b = lines.at(i, k + 1);
        const double vx = b.x - a.x, vy = b.y - a.y, len2 = vx * vx + vy * vy;
        cells.near_segment(a, b, [&](std::uint32_t q) {
          if (point_line[q] == i) return;
          const XY p = points[q];
          EndHit& h = best[q];
          for (std::uint32_t j : {k, k + 1}) {  // vertices: the smaller group wins a tie
            const double d = distance(p, lines.at(i, j));
            const std::uint32_t g = gr.group[lines.first[i] + j];
            if (d <= h.vertex_distance && (d < h.vertex_distance || g < h.vertex_group))
              h.vertex_distance = d, h.vertex_group = g;
          }
          const double t = len2 > 0 ? std::clamp(((p.x - a.x) * vx + (p.y - a.y) * vy) / len2, 0.0, 1.0) : 0;
          const double d = distance(p, {a.x + t * vx, a.y + t * vy});
          if (d < h.segment_distance || (d == h.segment_distance && h.line != kInvalid && i < h.line))
            h.segment_distance = d, h.line = i, h.segment = k, h.t = t;
        });
      }
    }
  };
  // Lines in `threads` runs of about equal point counts; merged in order, the results are those
  // of one pass (a tie goes to the smaller line, then to the smaller group).
  const std::uint32_t runs = static_cast<std::uint32_t>(detail::thread_count(threads, lines.size() / 1024));
  std::vector<std::uint32_t> bounds{0};
  for (std::uint32_t r = 1; r < runs; ++r)
    bounds.push_back(std::upper_bound(lines.first.begin(), lines.first.end(), lines.points.size() * r / runs) -
                     lines.first.begin() - 1);
  bounds.push_back(lines.size());
  std::vector<std::vector<EndHit>> part(runs, best);
  detail::parallel_for(runs, runs, {}, "", [&](std::size_t r, int) { scan(bounds[r], bounds[r + 1], part[r]); });
  for (std::uint32_t r = 0; r < runs; ++r)
    for (std::size_t q = 0; q < best.size(); ++q) {
      const EndHit& o = part[r][q];
      EndHit& h = best[q];
      if (o.vertex_distance < h.vertex_distance || (o.vertex_distance == h.vertex_distance && o.vertex_group < h.vertex_group))
        h.vertex_distance = o.vertex_distance, h.vertex_group = o.vertex_group;
      if (o.line != kInvalid && (h.line == kInvalid || o.segment_distance < h.segment_distance))
        h.segment_distance = o.segment_distance, h.line = o.line, h.segment = o.segment, h.t = o.t;
    }
  return best;
}

// Groups equal coordinates with open-addressing hash tables (a sort is several times slower). The
// points are split by hash between the workers, each with its own table (a slot holds 32 bits of
// the hash and a local id, so most probes need no other memory; slots a few points ahead are
// prefetched); one pass in point order then numbers the groups by first appearance, as one table
// would.
Grouping group_vertices(const LineSet& lines, int threads) {
  Grouping gr;
  const std::size_t n = lines.points.size();
  const int parts = detail::thread_count(threads, n / 65536 + 1);
  std::vector<std::uint64_t> hash(n);
  detail::parallel_for(parts, parts, {}, "", [&](std::size_t t, int) {
    for (std::size_t v = n * t / parts; v < n * (t + 1) / parts; ++v) {
      const XY p = lines.points[v];
      hash[v] = detail::mix64(bits_of(p.x) * 0x9e3779b97f4a7c15ULL ^ bits_of(p.y));
    }
  });
  auto part_of = [&](std::uint64_t h) { return static_cast<int>((h >> 32) % parts); };
  gr.group.resize(n);  // local ids first
  std::vector<std::vector<std::uint32_t>> first_point(parts);  // per part and local id: a point of it
  detail::parallel_for(parts, parts, {}, "", [&](std::size_t t, int) {
    std::size_t size = 16;
    while (size < 2 * n / parts + 16) size *= 2;
    constexpr std::uint64_t kEmpty = ~0ULL;
    std::vector<std::uint64_t> table(size, kEmpty);
    std::vector<std::uint32_t>& where = first_point[t];
    constexpr std::size_t kAhead = 8;
    for (std::size_t v = 0; v < n; ++v) {
      if (v + kAhead < n && part_of(hash[v + kAhead]) == static_cast<int>(t))
        __builtin_prefetch(&table[hash[v + kAhead] & (size - 1)]);
      const std::uint64_t h = hash[v];
      if (part_of(h) != static_cast<int>(t)) continue;
      const XY p = lines.points[v];
      const std::uint64_t tag = h >> 32;
      std::size_t slot = h & (size - 1);
      std::uint32_t g;
      while (true) {
        const std::uint64_t entry = table[slot];
        if (entry == kEmpty) {
          g = static_cast<std::uint32_t>(where.size());
          table[slot] = tag << 32 | g;
          where.push_back(static_cast<std::uint32_t>(v));
          break;
        }
        if (entry >> 32 == tag && lines.points[where[static_cast<std::uint32_t>(entry)]] == p) {
          g = static_cast<std::uint32_t>(entry);
          break;
        }
        slot = (slot + 1) & (size - 1);
      }
      gr.group[v] = g;
    }
  });
  std::vector<std::vector<std::uint32_t>> global(parts);
  std::size_t groups = 0;
  for (int t = 0; t < parts; ++t) global[t].assign(first_point[t].size(), kInvalid), groups += first_point[t].size();
  gr.where.reserve(groups), gr.count.reserve(groups);
  for (std::size_t v = 0; v < n; ++v) {
    std::uint32_t& g = global[part_of(hash[v])][gr.group[v]];
    if (g == kInvalid) {
      g = static_cast<std::uint32_t>(gr.where.size());
      gr.where.push_back(lines.points[v]);
      gr.count.push_back(0);
    }
    ++gr.count[g];
    gr.group[v] = g;
  }
  return gr;
}

// True when no line has consecutive repeated points or fewer than 2 points.
bool clean(const LineSet& in) {
  for (std::uint32_t i = 0; i < in.size(); ++i) {
    if (in.count(i) < 2) return false;
    for (std::uint32_t k = in.first[i] + 1; k < in.first[i + 1]; ++k)
      if (in.points[k] == in.points[k - 1]) return false;
  }
  return true;
}

// `in` without consecutive repeated points. With `kept`, lines left with fewer than 2 points are
// dropped and `kept` lists the indices of the others.
LineSet without_repeats(const LineSet& in, std::int64_t& removed, std::vector<std::uint32_t>* kept) {
  LineSet out;
  out.points.reserve(in.points.size()), out.first.reserve(in.first.size());
  for (std::uint32_t i = 0; i < in.size(); ++i) {
    const std::size_t start = out.points.size();
    for (std::uint32_t k = in.first[i]; k < in.first[i + 1]; ++k) {
      if (out.points.size() > start && in.points[k] == out.points.back()) {
        ++removed;
        continue;
      }
      out.points.push_back(in.points[k]);
    }
    if (kept && out.points.size() - start < 2) {
      out.points.resize(start);
      continue;
    }
    out.first.push_back(static_cast<std::uint32_t>(out.points.size()));
    if (kept) kept->push_back(i);
  }
  return out;
}

// A line walkshed cannot use: 1 a coordinate that is not a finite number, 2 a segment longer than
// kMaxSegment (a vertex far away by a typo or a wrong CRS: it would span the whole map); 0 fine.
constexpr double kMaxSegment = 100000;  // metres

int implausible(const LineSet& lines, std::uint32_t i) {
  for (std::uint32_t k = lines.first[i]; k < lines.first[i + 1]; ++k) {
    const XY& p = lines.points[k];
    if (!std::isfinite(p.x) || !std::isfinite(p.y)) return 1;
    if (k > lines.first[i] && distance(lines.points[k - 1], p) > kMaxSegment) return 2;
  }
  return 0;
}

// The input lines as they are, or a copy without repeated points, degenerate and implausible lines
// (in `own`); line_source maps the lines used to the input lines.
const LineSet& usable_lines(const RoadSet& roads, LineSet& own, std::vector<std::uint32_t>& line_source,
                            GraphReport& rep) {
  const LineSet* use = &roads.lines;
  std::vector<char> bad(roads.lines.size(), 0);
  bool any_bad = false;
  for (std::uint32_t i = 0; i < roads.lines.size(); ++i) {
    const int why = implausible(roads.lines, i);
    if (!why) continue;
    bad[i] = 1, any_bad = true;
    ++(why == 1 ? rep.non_finite_lines : rep.long_segment_lines);
    if (rep.implausible_ids.size() < 5) rep.implausible_ids.push_back(roads.source_id[i]);
  }
  if (!any_bad && clean(roads.lines)) {
    line_source.resize(roads.lines.size());
    std::iota(line_source.begin(), line_source.end(), 0);
  } else {
    LineSet kept_lines;
    std::vector<std::uint32_t> kept_index;
    for (std::uint32_t i = 0; i < roads.lines.size(); ++i)
      if (!bad[i]) kept_lines.add(&roads.lines.points[roads.lines.first[i]], roads.lines.count(i)), kept_index.push_back(i);
    own = without_repeats(kept_lines, rep.repeated_points, &line_source);
    for (auto& k : line_source) k = kept_index[k];
    use = &own;
  }
  rep.degenerate_lines = roads.lines.size() - use->size() - rep.non_finite_lines - rep.long_segment_lines;
  if (use->empty()) throw InputError("the road network is empty after removing degenerate and implausible lines");
  return *use;
}

// Incidence lists, the search graph, components and the counts that come with them.
void finish_graph(Graph& G, GraphReport& rep) {
  const std::uint32_t N = G.node_count(), E = G.edge_count();

  // Incidence lists.
  G.inc_first.assign(N + 1, 0);
  for (std::uint32_t e = 0; e < E; ++e) {
    ++G.inc_first[G.edge_u[e] + 1];
    if (G.edge_v[e] != G.edge_u[e]) ++G.inc_first[G.edge_v[e] + 1];
  }
  std::partial_sum(G.inc_first.begin(), G.inc_first.end(), G.inc_first.begin());
  G.inc_edge.resize(G.inc_first[N]);
  {
    std::vector<std::uint32_t> pos(G.inc_first.begin(), G.inc_first.end() - 1);
    for (std::uint32_t e = 0; e < E; ++e) {
      G.inc_edge[pos[G.edge_u[e]]++] = e;
      if (G.edge_v[e] != G.edge_u[e]) G.inc_edge[pos[G.edge_v[e]]++] = e;
    }
  }

  // Arcs: both directions, loops dropped, shortest of parallel edges kept. Bucketed by tail, then
  // each node's few arcs sorted by head and weight.
  std::vector<std::uint32_t> arc_first(N + 1, 0);
  for (std::uint32_t e = 0; e < E; ++e)
    if (G.edge_u[e] != G.edge_v[e]) ++arc_first[G.edge_u[e] + 1], ++arc_first[G.edge_v[e] + 1];
  std::partial_sum(arc_first.begin(), arc_first.end(), arc_first.begin());
  std::vector<std::pair<std::uint32_t, double>> arcs(arc_first[N]);  // head, weight
  {
    std::vector<std::uint32_t> pos(arc_first.begin(), arc_first.end() - 1);
    for (std::uint32_t e = 0; e < E; ++e) {
      const std::uint32_t u = G.edge_u[e], v = G.edge_v[e];
      if (u == v) {
        ++rep.loop_edges;
        continue;
      }
      arcs[pos[u]++] = {v, G.edge_length[e]};
      arcs[pos[v]++] = {u, G.edge_length[e]};
    }
  }
  G.first_out.assign(N + 1, 0);
  G.head.reserve(arcs.size()), G.weight.reserve(arcs.size());
  for (std::uint32_t n = 0; n < N; ++n) {
    const auto begin = arcs.begin() + arc_first[n], end = arcs.begin() + arc_first[n + 1];
    std::sort(begin, end);
    for (auto it = begin; it != end; ++it) {
      if (it != begin && it->first == (it - 1)->first) {
        if (n < it->first) {  // count each undirected pair once
          ++rep.parallel_edges;
          if (it->second - (it - 1)->second <= 1e-3) ++rep.duplicate_edges;
        }
        continue;
      }
      G.head.push_back(it->first);
      G.weight.push_back(it->second);
    }
    G.first_out[n + 1] = G.head.size();
  }

  // Components (union-find), renumbered by decreasing size.
  std::vector<std::uint32_t> parent(N);
  std::iota(parent.begin(), parent.end(), 0);
  auto find = [&](std::uint32_t a) {
    while (parent[a] != a) a = parent[a] = parent[parent[a]];
    return a;
  };
  for (std::uint32_t e = 0; e < E; ++e) {
    auto a = find(G.edge_u[e]), b = find(G.edge_v[e]);
    if (a != b) parent[std::max(a, b)] = std::min(a, b);
  }
  std::vector<std::uint32_t> root_size(N, 0);
  for (std::uint32_t n = 0; n < N; ++n) ++root_size[find(n)];
  std::vector<std::uint32_t> roots;
  for (std::uint32_t n = 0; n < N; ++n)
    if (parent[n] == n) roots.push_back(n);
  std::stable_sort(roots.begin(), roots.end(), [&](auto a, auto b) { return root_size[a] > root_size[b]; });
  std::vector<std::uint32_t> comp_of_root(N, kInvalid);
  for (std::uint32_t c = 0; c < roots.size(); ++c) {
    comp_of_root[roots[c]] = c;
    G.component_size.push_back(root_size[roots[c]]);
  }
  G.component.resize(N);
  for (std::uint32_t n = 0; n < N; ++n) G.component[n] = comp_of_root[find(n)];

  for (std::uint32_t n = 0; n < N; ++n)
    if (G.inc_first[n + 1] - G.inc_first[n] == 1) {
      auto e = G.inc_edge[G.inc_first[n]];
      if (G.edge_u[e] != G.edge_v[e]) ++rep.dead_ends;
    }
}

// Topology from node id fields (pgRouting source/target, OSMnx u/v, walkshed's exported edges):
// each line is one edge; lines meet only where they name the same node. A node sits at the line
// end of the first edge naming it; a line drawn from its v to its u end is turned around.
Graph build_graph_from_ids(const RoadSet& roads, const GraphOptions& options, GraphReport& rep) {
  LineSet own;
  std::vector<std::uint32_t> line_source;
  const LineSet& lines = usable_lines(roads, own, line_source, rep);

  Graph G;
  G.crs_wkt = roads.crs_wkt;
  G.epsg = roads.epsg;
  G.class_names = roads.class_names;
  const std::uint32_t L = lines.size();
  // Node id -> node: a table when the ids are small and not negative (pgRouting, walkshed), else a hash.
  std::int64_t lo = std::numeric_limits<std::int64_t>::max(), hi = std::numeric_limits<std::int64_t>::min();
  for (std::uint32_t i = 0; i < L; ++i)
    for (std::int64_t id : {roads.from_node[line_source[i]], roads.to_node[line_source[i]]})
      lo = std::min(lo, id), hi = std::max(hi, id);
  const bool table = L > 0 && lo >= 0 && hi < 4 * static_cast<std::int64_t>(L) + 1024;
  std::vector<std::uint32_t> node_at(table ? hi + 1 : 0, kInvalid);
  std::unordered_map<std::int64_t, std::uint32_t> node_of;
  if (!table) node_of.reserve(2 * L);
  auto find = [&](std::int64_t id) {
    if (table) return node_at[id];
    auto it = node_of.find(id);
    return it == node_of.end() ? kInvalid : it->second;
  };
  for (auto* v : {&G.edge_u, &G.edge_v}) v->resize(L);
  G.edge_length.resize(L), G.edge_source_id.resize(L), G.edge_class.resize(L);
  G.edge_first_point.reserve(L + 1), G.point_x.reserve(lines.points.size()), G.point_y.reserve(lines.points.size());
  G.edge_first_point.push_back(0);
  for (std::uint32_t i = 0; i < L; ++i) {
    const std::uint32_t source = line_source[i], n = lines.count(i);
    const XY a = lines.at(i, 0), b = lines.at(i, n - 1);
    const std::int64_t from = roads.from_node[source], to = roads.to_node[source];
    const std::uint32_t fu = find(from), fv = find(to);
    double as_drawn = 0, turned = 0;  // distances of the line ends to the places its nodes already have
    if (fu != kInvalid) as_drawn += distance(a, G.node(fu)), turned += distance(b, G.node(fu));
    if (fv != kInvalid) as_drawn += distance(b, G.node(fv)), turned += distance(a, G.node(fv));
    const bool turn = turned < as_drawn;
    auto node = [&](std::int64_t id, XY at) {
      const std::uint32_t n = find(id);  // a loop names its node twice
      if (n != kInvalid) return n;
      if (table) node_at[id] = G.node_count();
      else node_of.emplace(id, G.node_count());
      G.node_x.push_back(at.x), G.node_y.push_back(at.y), G.node_source_id.push_back(id);
      return G.node_count() - 1;
    };
    const std::uint32_t u = fu != kInvalid ? fu : node(from, turn ? b : a);
    const std::uint32_t v = fv != kInvalid ? fv : node(to, turn ? a : b);
    const XY start = turn ? b : a, end = turn ? a : b;
    if (distance(start, G.node(u)) > options.near_miss_distance || distance(end, G.node(v)) > options.near_miss_distance)
      ++rep.ends_off_node;
    double length = 0;
    for (std::uint32_t k = 1; k < n; ++k) length += distance(lines.at(i, k - 1), lines.at(i, k));
    for (std::uint32_t k = 0; k < n; ++k) {
      const XY& p = lines.at(i, turn ? n - 1 - k : k);
      G.point_x.push_back(p.x), G.point_y.push_back(p.y);
    }
    G.edge_first_point.push_back(G.point_x.size());
    G.edge_u[i] = u, G.edge_v[i] = v;
    G.edge_length[i] = length;
    G.edge_source_id[i] = roads.source_id[source];
    G.edge_class[i] = roads.line_class[source];
    rep.total_length_m += length;
  }
  finish_graph(G, rep);
  return G;
}

}  // namespace

namespace {

// Near-miss ends: a line end seen only once, close to a vertex or segment of another line, is
// counted, and joined to it within the snap tolerance (the lines in `own`, `use` pointing there, and
// the vertices grouped again).
void join_near_misses(const RoadSet& roads, const GraphOptions& options, LineSet& own, const LineSet*& use,
                      Grouping& gr, GraphReport& rep) {
  const double snap_tolerance = options.snap_tolerance >= 0 ? options.snap_tolerance : roads.osm ? 0.0 : 0.001;
  const double near = std::max(options.near_miss_distance, snap_tolerance);
  if (near <= 0) return;
  {
    const LineSet& lines = *use;
    // Dead ends, and the nearest vertex and segment point (an undershoot at a T) of another line.
    std::vector<XY> ends;
    std::vector<std::uint32_t> end_line;
    for (std::uint32_t i = 0; i < lines.size(); ++i)
      for (std::uint32_t k : {0u, lines.count(i) - 1})
        if (gr.count[gr.group[lines.first[i] + k]] == 1) ends.push_back(lines.at(i, k)), end_line.push_back(i);
    const std::vector<EndHit> hits = nearest_to_ends(lines, gr, ends, end_line, near, options.threads);
    std::size_t next_end = 0;
    std::vector<std::pair<std::uint32_t, XY>> moves;  // point index, new place
    struct Insert {
      std::uint32_t line, segment;
      double t;
      XY point;
    };
    std::vector<Insert> inserts;  // vertices added inside segments that an end snaps onto
    for (std::uint32_t i = 0; i < lines.size(); ++i) {
      for (std::uint32_t k : {0u, lines.count(i) - 1}) {
        auto g = gr.group[lines.first[i] + k];
        if (gr.count[g] != 1) continue;
        const EndHit& hit = hits[next_end++];
        const double best = hit.vertex_distance, ds = hit.segment_distance, st = hit.t;
        const std::uint32_t best_g = hit.vertex_group, sline = hit.line, sseg = hit.segment;
        const double nearest = std::min(best_g == kInvalid ? std::numeric_limits<double>::infinity() : best, ds);
        if (nearest > near || (best_g == kInvalid && sline == kInvalid)) continue;
        if (nearest <= options.near_miss_distance && nearest > snap_tolerance) ++rep.near_miss_ends;
        if (snap_tolerance <= 0 || nearest > snap_tolerance) continue;
        if (best_g != kInvalid && best <= snap_tolerance) {
          moves.push_back({lines.first[i] + k, gr.where[best_g]});  // a vertex within the tolerance wins
        } else {
          const XY a = lines.at(sline, sseg), b = lines.at(sline, sseg + 1);
          const XY q{a.x + st * (b.x - a.x), a.y + st * (b.y - a.y)};
          moves.push_back({lines.first[i] + k, q});
          inserts.push_back({sline, sseg, st, q});
        }
      }
    }
    rep.snapped_ends = moves.size();
    if (!moves.empty()) {
      if (use != &own) own = roads.lines;
      for (auto& m : moves) own.points[m.first] = m.second;
      std::sort(inserts.begin(), inserts.end(), [](const Insert& x, const Insert& y) {
        return x.line != y.line ? x.line < y.line : x.segment != y.segment ? x.segment < y.segment : x.t < y.t;
      });
      if (!inserts.empty()) {
        LineSet with;
        with.points.reserve(own.points.size() + inserts.size()), with.first.reserve(own.first.size());
        std::size_t next = 0;
        for (std::uint32_t i = 0; i < own.size(); ++i) {
          for (std::uint32_t k = 0; k < own.count(i); ++k) {
            with.points.push_back(own.at(i, k));
            for (; next < inserts.size() && inserts[next].line == i && inserts[next].segment == k; ++next)
              with.points.push_back(inserts[next].point);
          }
          with.first.push_back(static_cast<std::uint32_t>(with.points.size()));
        }
        own = std::move(with);
      }
      std::int64_t ignored = 0;
      own = without_repeats(own, ignored, nullptr);
      use = &own;
      gr = group_vertices(own, options.threads);
    }
  }
}

// Spikes: a vertex repeated inside one line (other than a closed ring's ends).
std::int64_t count_spikes(const LineSet& lines, const Grouping& gr) {
  std::int64_t spikes = 0;
  {
    std::vector<std::uint32_t> seen_in(gr.count.size(), kInvalid);
    for (std::uint32_t i = 0; i < lines.size(); ++i) {
      const std::uint32_t n = lines.count(i);
      for (std::uint32_t k = 0; k < n; ++k) {
        auto g = gr.group[lines.first[i] + k];
        if (seen_in[g] == i && !(k == n - 1 && gr.group[lines.first[i]] == g)) ++spikes;
        seen_in[g] = i;
      }
    }
  }
  return spikes;
}

// The lines split into edges at every vertex shared with another line (or repeated).
Graph split_into_edges(const RoadSet& roads, const LineSet& lines, const std::vector<std::uint32_t>& line_source,
                       const Grouping& gr, GraphReport& rep) {
  Graph G;
  G.crs_wkt = roads.crs_wkt;
  G.epsg = roads.epsg;
  std::vector<std::uint32_t> node_of(gr.count.size(), kInvalid);
  auto node_for = [&](std::uint32_t g) {
    if (node_of[g] == kInvalid) {
      node_of[g] = G.node_x.size();
      G.node_x.push_back(gr.where[g].x);
      G.node_y.push_back(gr.where[g].y);
    }
    return node_of[g];
  };
  G.class_names = roads.class_names;
  {
    std::size_t segments = gr.group.size() - lines.size();  // an upper bound on edges
    for (auto* v : {&G.edge_u, &G.edge_v, &G.edge_first_point}) v->reserve(segments + 1);
    G.edge_length.reserve(segments), G.edge_source_id.reserve(segments), G.edge_class.reserve(segments);
    G.point_x.reserve(gr.group.size() + segments), G.point_y.reserve(gr.group.size() + segments);
    G.node_x.reserve(gr.where.size()), G.node_y.reserve(gr.where.size());
  }
  G.edge_first_point.push_back(0);
  for (std::uint32_t i = 0; i < lines.size(); ++i) {
    const std::uint32_t source = line_source[i];
    const XY* p = &lines.at(i, 0);
    const std::uint32_t n = lines.count(i);
    std::uint32_t start = 0;
    double length = 0;
    for (std::uint32_t k = 1; k < n; ++k) {
      length += distance(p[k - 1], p[k]);
      auto g = gr.group[lines.first[i] + k];
      if (k < n - 1 && gr.count[g] < 2) continue;
      G.edge_u.push_back(node_for(gr.group[lines.first[i] + start]));
      G.edge_v.push_back(node_for(g));
      G.edge_length.push_back(length);
      for (std::uint32_t j = start; j <= k; ++j) G.point_x.push_back(p[j].x), G.point_y.push_back(p[j].y);
      G.edge_first_point.push_back(G.point_x.size());
      G.edge_source_id.push_back(roads.source_id[source]);
      G.edge_class.push_back(roads.line_class[source]);
      rep.total_length_m += length;
      start = k;
      length = 0;
    }
  }
  return G;
}

}  // namespace

Graph build_graph(const RoadSet& roads, const GraphOptions& options, GraphReport* report_out) {
  GraphReport rep;
  rep.lines_in = roads.lines.size();
  if (!roads.from_node.empty()) {
    Graph G = build_graph_from_ids(roads, options, rep);
    if (report_out) *report_out = rep;
    return G;
  }
  LineSet own;
  std::vector<std::uint32_t> line_source;  // index into roads.lines
  const LineSet* use = &usable_lines(roads, own, line_source, rep);
  Grouping gr = group_vertices(*use, options.threads);
  join_near_misses(roads, options, own, use, gr, rep);
  rep.spike_vertices = count_spikes(*use, gr);
  Graph G = split_into_edges(roads, *use, line_source, gr, rep);
  finish_graph(G, rep);
  if (report_out) *report_out = rep;
  return G;
}

void validate_graph(const Graph& g, const std::string& what) {
  auto fail = [&](const std::string& m) { throw InputError(what + ": invalid graph (" + m + ")"); };
  const std::uint64_t N = g.node_x.size(), E = g.edge_u.size();
  if (g.node_y.size() != N || g.component.size() != N || (!g.node_source_id.empty() && g.node_source_id.size() != N))
    fail("node arrays differ in size");
  if (g.edge_v.size() != E || g.edge_length.size() != E || g.edge_source_id.size() != E ||
      g.edge_class.size() != E || g.edge_first_point.size() != E + 1)
    fail("edge arrays differ in size");
  if (g.first_out.size() != N + 1 || g.first_out[0] != 0 || g.first_out[N] != g.head.size() ||
      g.weight.size() != g.head.size())
    fail("CSR offsets");
  if (g.inc_first.size() != N + 1 || g.inc_first[N] != g.inc_edge.size()) fail("incidence offsets");
  if (g.edge_first_point.back() != g.point_x.size() || g.point_y.size() != g.point_x.size()) fail("edge points");
  for (auto h : g.head)
    if (h >= N) fail("arc head out of range");
  for (std::uint64_t e = 0; e < E; ++e) {
    if (g.edge_u[e] >= N || g.edge_v[e] >= N) fail("edge end out of range");
    if (g.edge_first_point[e + 1] < g.edge_first_point[e] + 2) fail("edge with fewer than 2 points");
    if (g.edge_class[e] >= g.class_names.size()) fail("edge class out of range");
  }
  for (auto e : g.inc_edge)
    if (e >= E) fail("incident edge out of range");
  for (std::uint64_t i = 0; i < N; ++i)
    if (g.first_out[i] > g.first_out[i + 1] || g.inc_first[i] > g.inc_first[i + 1]) fail("offsets decrease");
  for (auto c : g.component)
    if (c >= g.component_size.size()) fail("component out of range");
}

}  // namespace walkshed
