// Coverage location problems on an abstract instance: maximal covering (MCLP) and set covering
// (LSCP), by lazy greedy + swaps, or exactly as a MILP (GLPK).
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace walkshed {

struct CoverProblem {
  std::vector<double> weight;                        // per demand item (households still to serve)
  std::vector<std::vector<std::uint32_t>> covers;    // per candidate: demand items within reach, ascending
  std::vector<std::vector<double>> distance;         // per candidate, aligned with covers (for capacity)
  std::vector<std::pair<std::uint32_t, std::uint32_t>> conflicts;  // candidates too close to both be chosen
  double capacity = 0;  // households per site; 0 = unlimited
  std::vector<double> site_capacity;  // per candidate, overriding `capacity` where > 0 (empty: none)
};

// The households candidate `c` may serve (0: unlimited), and whether any candidate is limited.
double capacity_of(const CoverProblem& p, std::uint32_t c);
bool has_capacity(const CoverProblem& p);

struct Selection {
  std::vector<std::uint32_t> chosen;  // in order of choice
  std::vector<double> gains;          // marginal gain of each, in that order
  double objective = 0;               // weight covered
  double bound = 0;                   // upper bound on the best objective (MCLP) / lower bound on sites (LSCP)
  bool optimal = false;
  std::string method;
};

// Weight a site serves among the items still open (with capacity: nearest first, up to capacity);
// the items are appended to `taken` when given.
double site_gain(const CoverProblem& p, std::uint32_t candidate, const std::vector<char>& open,
                 std::vector<std::uint32_t>* taken);

// Weight covered by `chosen` (with capacity: each site serves its nearest items up to capacity, in order).
double covered_weight(const CoverProblem& p, const std::vector<std::uint32_t>& chosen);

// MCLP: k sites maximising the weight covered. Greedy with lazy evaluation, ties by smaller index,
// then 1-swap improvement (without capacity). bound: LP relaxation when lp_bound is set.
Selection mclp_greedy(const CoverProblem& p, int k, bool swaps = true);
// Exact MILP (GLPK). time_limit in seconds; optimal is false when it stopped early.
Selection mclp_exact(const CoverProblem& p, int k, double time_limit = 60);
// LP relaxation of the MCLP: an upper bound.
double mclp_lp_bound(const CoverProblem& p, int k);
// A Lagrangian upper bound (subgradient over the covering constraints): close to the LP bound at a
// fraction of its time on large instances. `lower`: a known objective (e.g. the greedy's).
double mclp_lagrangian_bound(const CoverProblem& p, int k, double lower, int iterations = 300);

// LSCP: fewest sites covering at least `target` weight (greedy: until reached or no gain).
Selection lscp_greedy(const CoverProblem& p, double target);
Selection lscp_exact(const CoverProblem& p, double target, double time_limit = 60);

}  // namespace walkshed
