#include "walkshed/siting/selection.hpp"

#include <glpk.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <queue>
#include <stdexcept>

namespace walkshed {

double capacity_of(const CoverProblem& p, std::uint32_t c) {
  return c < p.site_capacity.size() && p.site_capacity[c] > 0 ? p.site_capacity[c] : p.capacity;
}

bool has_capacity(const CoverProblem& p) {
  if (p.capacity > 0) return true;
  for (double c : p.site_capacity)
    if (c > 0) return true;
  return false;
}

double site_gain(const CoverProblem& p, std::uint32_t c, const std::vector<char>& open, std::vector<std::uint32_t>* taken) {
  const auto& cov = p.covers[c];
  const double capacity = capacity_of(p, c);
  if (capacity <= 0) {
    double g = 0;
    for (auto i : cov)
      if (open[i]) {
        g += p.weight[i];
        if (taken) taken->push_back(i);
      }
    return g;
  }
  std::vector<std::uint32_t> order(cov.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) { return p.distance[c][a] < p.distance[c][b]; });
  double g = 0;
  for (auto k : order) {
    const auto i = cov[k];
    if (!open[i] || g + p.weight[i] > capacity + 1e-9) continue;
    g += p.weight[i];
    if (taken) taken->push_back(i);
  }
  return g;
}

namespace {

// Conflicting candidates of each candidate.
std::vector<std::vector<std::uint32_t>> conflict_lists(const CoverProblem& p) {
  std::vector<std::vector<std::uint32_t>> adj(p.covers.size());
  for (auto& [a, b] : p.conflicts) adj[a].push_back(b), adj[b].push_back(a);
  return adj;
}

bool conflicts_with(const std::vector<std::vector<std::uint32_t>>& adj, std::uint32_t c, const std::vector<char>& chosen) {
  for (auto o : adj[c])
    if (chosen[o]) return true;
  return false;
}

// Lazy greedy: gains only decrease as sites are added (submodular), so a stale gain is an upper bound.
Selection greedy(const CoverProblem& p, int k, double target) {
  Selection s;
  const std::uint32_t C = p.covers.size();
  std::vector<char> open(p.weight.size(), 1), chosen(C, 0);
  const auto adj = conflict_lists(p);
  using Entry = std::pair<double, std::int64_t>;  // (gain, -index): larger gain, then smaller index
  std::priority_queue<Entry> heap;
  std::vector<std::uint32_t> stamp(C, 0);
  for (std::uint32_t c = 0; c < C; ++c) heap.push({site_gain(p, c, open, nullptr), -std::int64_t(c)});
  std::uint32_t round = 0;
  while (!heap.empty() && (k < 0 || (int)s.chosen.size() < k) && (target < 0 || s.objective < target - 1e-9)) {
    auto [g, negc] = heap.top();
    heap.pop();
    const std::uint32_t c = -negc;
    if (chosen[c] || conflicts_with(adj, c, chosen)) continue;
    if (stamp[c] != round) {  // stale: recompute and push back
      stamp[c] = round;
      heap.push({site_gain(p, c, open, nullptr), negc});
      continue;
    }
    if (g <= 0) break;
    std::vector<std::uint32_t> taken;
    site_gain(p, c, open, &taken);
    for (auto i : taken) open[i] = 0;
    chosen[c] = 1;
    s.chosen.push_back(c);
    s.gains.push_back(g);
    s.objective += g;
    ++round;
  }
  return s;
}

// Without capacity, demand items covered by the same set of candidates behave as one item: merge
// them (sum of weights). Grid demand along a street collapses a lot, which keeps the MILP small.
CoverProblem aggregate(const CoverProblem& p) {
  if (has_capacity(p)) return p;
  const std::size_t N = p.weight.size();
  std::vector<std::vector<std::uint32_t>> sets(N);
  for (std::uint32_t c = 0; c < p.covers.size(); ++c)
    for (auto i : p.covers[c]) sets[i].push_back(c);
  std::vector<std::uint32_t> order;
  for (std::uint32_t i = 0; i < N; ++i)
    if (!sets[i].empty()) order.push_back(i);
  std::sort(order.begin(), order.end(), [&](auto a, auto b) { return sets[a] < sets[b]; });
  CoverProblem out;
  out.covers.resize(p.covers.size());
  out.distance.resize(p.covers.size());
  out.conflicts = p.conflicts;
  for (std::size_t k = 0; k < order.size(); ++k) {
    const auto i = order[k];
    if (k == 0 || sets[i] != sets[order[k - 1]]) {
      out.weight.push_back(0);
      for (auto c : sets[i]) out.covers[c].push_back(out.weight.size() - 1), out.distance[c].push_back(0);
    }
    out.weight.back() += p.weight[i];
  }
  return out;
}

struct Glp {
  glp_prob* lp = glp_create_prob();
  ~Glp() { glp_delete_prob(lp); }
};

// Builds the MILP; mode 0 = MCLP (max covered, sum x <= k), 1 = LSCP (min sites, covered >= target).
// Columns: x_c (1..C), y_i (C+1..C+N), with capacity z_ic after them.
void build(Glp& m, const CoverProblem& p, int mode, double rhs) {
  const int C = p.covers.size(), N = p.weight.size();
  glp_set_obj_dir(m.lp, mode == 0 ? GLP_MAX : GLP_MIN);
  glp_add_cols(m.lp, C + N);
  for (int c = 1; c <= C; ++c) {
    glp_set_col_kind(m.lp, c, GLP_BV);
    glp_set_obj_coef(m.lp, c, mode == 0 ? 0 : 1);
  }
  for (int i = 1; i <= N; ++i) {
    glp_set_col_bnds(m.lp, C + i, GLP_DB, 0, 1);
    glp_set_obj_coef(m.lp, C + i, mode == 0 ? p.weight[i - 1] : 0);
  }
  std::vector<int> ia = {0}, ja = {0};
  std::vector<double> ar = {0};
  int row = 0;
  auto add_row = [&](int type, double lo, double hi) {
    glp_add_rows(m.lp, 1);
    ++row;
    glp_set_row_bnds(m.lp, row, type, lo, hi);
  };
  auto put = [&](int col, double v) { ia.push_back(row), ja.push_back(col), ar.push_back(v); };
  std::vector<std::vector<std::uint32_t>> by_item(N);
  for (int c = 0; c < C; ++c)
    for (auto i : p.covers[c]) by_item[i].push_back(c);
  if (!has_capacity(p)) {
    for (int i = 0; i < N; ++i) {  // y_i <= sum of x covering i
      add_row(GLP_UP, 0, 0);
      put(C + i + 1, 1);
      for (auto c : by_item[i]) put(c + 1, -1);
    }
  } else {  // y_i = sum_c z_ic, z_ic <= x_c, sum_i w_i z_ic <= cap x_c
    std::vector<std::vector<int>> zcol(C);
    for (int i = 0; i < N; ++i) {
      if (by_item[i].empty()) {  // nobody can serve it: y_i = 0 (GLPK refuses adding zero columns)
        add_row(GLP_FX, 0, 0);
        put(C + i + 1, 1);
        continue;
      }
      const int first = glp_add_cols(m.lp, by_item[i].size());
      add_row(GLP_FX, 0, 0);
      put(C + i + 1, 1);
      for (size_t k = 0; k < by_item[i].size(); ++k) {
        glp_set_col_bnds(m.lp, first + k, GLP_DB, 0, 1);
        put(first + k, -1);
        zcol[by_item[i][k]].push_back(first + k);
      }
      for (size_t k = 0; k < by_item[i].size(); ++k) {
        add_row(GLP_UP, 0, 0);
        put(first + k, 1);
        put(by_item[i][k] + 1, -1);
      }
    }
    double all = 0;  // an unlimited site's bound: all the weight there is
    for (double w : p.weight) all += w;
    for (int c = 0; c < C; ++c) {
      add_row(GLP_UP, 0, 0);
      put(c + 1, -(capacity_of(p, c) > 0 ? capacity_of(p, c) : all));
      // zcol[c] was filled by ascending item, the order of p.covers[c]
      for (size_t k = 0; k < zcol[c].size(); ++k) put(zcol[c][k], p.weight[p.covers[c][k]]);
    }
  }
  if (mode == 0) {
    add_row(GLP_UP, 0, rhs);
    for (int c = 0; c < C; ++c) put(c + 1, 1);
  } else {
    add_row(GLP_LO, rhs, 0);
    for (int i = 0; i < N; ++i) put(C + i + 1, p.weight[i]);
  }
  for (auto& [a, b] : p.conflicts) {
    add_row(GLP_UP, 0, 1);
    put(a + 1, 1), put(b + 1, 1);
  }
  glp_load_matrix(m.lp, ia.size() - 1, ia.data(), ja.data(), ar.data());
}

Selection solve(const CoverProblem& original, int mode, double rhs, double time_limit, double* lp_value) {
  const CoverProblem p = aggregate(original);
  if (p.covers.empty() || p.weight.empty()) {  // nothing to choose or nothing to serve
    Selection s;
    s.method = "exact (GLPK branch and bound)";
    s.optimal = mode == 0 || rhs <= 0;
    if (lp_value) *lp_value = 0;
    return s;
  }
  Glp m;
  build(m, p, mode, rhs);
  glp_term_out(GLP_OFF);
  glp_smcp sp;
  glp_init_smcp(&sp);
  sp.msg_lev = GLP_MSG_OFF;
  Selection s;
  s.method = "exact (GLPK branch and bound)";
  if (glp_simplex(m.lp, &sp) != 0 || glp_get_status(m.lp) != GLP_OPT) {
    if (mode == 1) return s;  // infeasible target
    throw std::runtime_error("GLPK: the LP relaxation failed");
  }
  if (lp_value) *lp_value = glp_get_obj_val(m.lp);
  if (time_limit < 0) return s;
  glp_iocp ip;
  glp_init_iocp(&ip);
  ip.msg_lev = GLP_MSG_OFF;
  ip.tm_lim = static_cast<int>(time_limit * 1000);
  const int ret = glp_intopt(m.lp, &ip);
  const int status = glp_mip_status(m.lp);
  if (status != GLP_OPT && status != GLP_FEAS) return s;
  s.optimal = ret == 0 && status == GLP_OPT;
  const int C = p.covers.size();
  for (int c = 0; c < C; ++c)
    if (glp_mip_col_val(m.lp, c + 1) > 0.5) s.chosen.push_back(c);
  return s;
}

// Orders exact picks by marginal gain (for reporting) and fills gains/objective.
void order_by_gain(const CoverProblem& p, Selection& s) {
  std::vector<std::uint32_t> left = s.chosen, ordered;
  std::vector<char> open(p.weight.size(), 1);
  s.gains.clear();
  s.objective = 0;
  while (!left.empty()) {
    size_t best = 0;
    double best_gain = -1;
    for (size_t k = 0; k < left.size(); ++k) {
      const double g = site_gain(p, left[k], open, nullptr);
      if (g > best_gain + 1e-12 || (std::abs(g - best_gain) <= 1e-12 && left[k] < left[best])) best = k, best_gain = g;
    }
    std::vector<std::uint32_t> taken;
    site_gain(p, left[best], open, &taken);
    for (auto i : taken) open[i] = 0;
    ordered.push_back(left[best]);
    s.gains.push_back(best_gain);
    s.objective += best_gain;
    left.erase(left.begin() + best);
  }
  s.chosen = ordered;
}

}  // namespace

double covered_weight(const CoverProblem& p, const std::vector<std::uint32_t>& chosen) {
  std::vector<char> open(p.weight.size(), 1);
  double total = 0;
  for (auto c : chosen) {
    std::vector<std::uint32_t> taken;
    total += site_gain(p, c, open, &taken);
    for (auto i : taken) open[i] = 0;
  }
  return total;
}

Selection mclp_greedy(const CoverProblem& p, int k, bool swaps) {
  Selection s = greedy(p, k, -1);
  s.method = "greedy (lazy evaluation)";
  if (!swaps || has_capacity(p) || s.chosen.empty()) return s;
  // 1-swap improvement: replace a chosen site by another while the covered weight grows.
  const std::uint32_t C = p.covers.size();
  std::vector<std::uint32_t> count(p.weight.size(), 0);
  for (auto c : s.chosen)
    for (auto i : p.covers[c]) ++count[i];
  std::vector<char> chosen(C, 0), mark(p.weight.size(), 0);
  const auto adj = conflict_lists(p);
  for (auto c : s.chosen) chosen[c] = 1;
  bool improved = true;
  for (int pass = 0; improved && pass < 5; ++pass) {
    improved = false;
    for (size_t slot = 0; slot < s.chosen.size(); ++slot) {
      const auto out = s.chosen[slot];
      double loss = 0;
      for (auto i : p.covers[out]) {
        mark[i] = 1;
        if (count[i] == 1) loss += p.weight[i];
      }
      chosen[out] = 0;
      double best_delta = 1e-9;
      std::int64_t best = -1;
      for (std::uint32_t c = 0; c < C; ++c) {
        if (chosen[c] || c == out || conflicts_with(adj, c, chosen)) continue;
        double gain = 0;
        for (auto i : p.covers[c])
          if (count[i] == 0 || (count[i] == 1 && mark[i])) gain += p.weight[i];
        if (gain - loss > best_delta) best_delta = gain - loss, best = c;
      }
      for (auto i : p.covers[out]) mark[i] = 0;
      if (best < 0) {
        chosen[out] = 1;
        continue;
      }
      for (auto i : p.covers[out]) --count[i];
      for (auto i : p.covers[best]) ++count[i];
      chosen[best] = 1;
      s.chosen[slot] = best;
      improved = true;
    }
  }
  order_by_gain(p, s);
  s.method = "greedy (lazy evaluation) + swaps";
  return s;
}

double mclp_lp_bound(const CoverProblem& p, int k) {
  double v = 0;
  solve(p, 0, k, -1, &v);
  return v;
}

double mclp_lagrangian_bound(const CoverProblem& original, int k, double lower, int iterations) {
  // Relaxing y_i <= sum of x_c covering i with multipliers 0 <= l_i <= w_i leaves
  //   L(l) = sum_i (w_i - l_i) + the k largest v_c = sum of l_i over the items c covers,
  // an upper bound for every l (capacities and conflicts only lower the optimum). Subgradient steps
  // (Polyak, towards `lower`) make it small; the least L seen is returned.
  const CoverProblem p = aggregate(original);
  const std::size_t N = p.weight.size(), C = p.covers.size();
  double total = 0;
  for (double w : p.weight) total += w;
  if (N == 0 || C == 0 || k <= 0) return 0;
  const std::size_t K = std::min<std::size_t>(k, C);
  std::vector<double> lambda(N), value(C), step(N);
  for (std::size_t i = 0; i < N; ++i) lambda[i] = p.weight[i] / 2;
  std::vector<std::uint32_t> order(C), count(N);
  double best = total, theta = 1;
  int since = 0;
  for (int it = 0; it < iterations; ++it) {
    for (std::size_t c = 0; c < C; ++c) {
      double v = 0;
      for (auto i : p.covers[c]) v += lambda[i];
      value[c] = v;
    }
    std::iota(order.begin(), order.end(), 0);
    std::nth_element(order.begin(), order.begin() + (K - 1), order.end(),
                     [&](auto a, auto b) { return value[a] > value[b]; });
    double bound = 0;
    for (std::size_t i = 0; i < N; ++i) bound += p.weight[i] - lambda[i];
    std::fill(count.begin(), count.end(), 0);
    for (std::size_t j = 0; j < K; ++j) {
      bound += value[order[j]];
      for (auto i : p.covers[order[j]]) ++count[i];
    }
    if (bound < best - 1e-9) best = bound, since = 0;
    else if (++since >= 10) theta /= 2, since = 0;
    // d L / d l_i = count_i - 1; l stays within [0, w_i].
    double norm = 0;
    for (std::size_t i = 0; i < N; ++i) {
      double g = count[i] - 1.0;
      if ((lambda[i] <= 0 && g > 0) || (lambda[i] >= p.weight[i] && g < 0)) g = 0;
      step[i] = g, norm += g * g;
    }
    if (norm == 0 || best - lower <= 1e-9 * std::max(1.0, best) || theta < 1e-6) break;
    const double t = theta * (bound - lower) / norm;
    for (std::size_t i = 0; i < N; ++i) lambda[i] = std::clamp(lambda[i] - t * step[i], 0.0, p.weight[i]);
  }
  return std::max(best, lower);
}

Selection mclp_exact(const CoverProblem& p, int k, double time_limit) {
  double lp = 0;
  Selection s = solve(p, 0, k, time_limit, &lp);
  order_by_gain(p, s);
  s.bound = s.optimal ? s.objective : lp;
  return s;
}

Selection lscp_greedy(const CoverProblem& p, double target) {
  Selection s = greedy(p, -1, target);
  s.method = "greedy (lazy evaluation)";
  return s;
}

Selection lscp_exact(const CoverProblem& p, double target, double time_limit) {
  double lp = 0;
  Selection s = solve(p, 1, target, time_limit, &lp);
  order_by_gain(p, s);
  s.bound = std::ceil(lp - 1e-9);
  return s;
}

}  // namespace walkshed
