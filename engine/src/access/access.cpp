#include "walkshed/access/access.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <memory>

#include "core/parallel.hpp"
#include "coverage/reach.hpp"
#include "walkshed/core/error.hpp"

namespace walkshed {

PopulationProfile default_population() {
  PopulationProfile p;
  p.groups = {{"everyone", "全体居民", {}, true}};
  p.function_group.fill(0);
  // 7th census bulletin no. 5 (docs/rules.md §10): 0-14 17.95 %, 15-59 63.35 %, 60+ 18.70 % of which 65+ 13.50 %.
  p.census.bands = {{{0, 15}, 0.1795}, {{15, 60}, 0.6335}, {{60, 65}, 0.0520}, {{65, kOpenAge}, 0.1350}};
  p.census.source = "7th census 2020, China";
  return p;
}

double census_share(const CensusShares& census, const AgeBand& band, bool* estimated) {
  double share = 0, covered = 0;
  bool spread = false;
  for (auto& [cb, s] : census.bands) {
    const double from = std::max(band.from, cb.from), to = std::min(band.to, cb.to);
    if (!(from < to)) continue;
    if (from == cb.from && to == cb.to) {
      share += s;
    } else if (std::isinf(cb.to)) {
      return -1;  // a part of an open band: no years to spread over
    } else {
      share += s * (to - from) / (cb.to - cb.from);
      spread = true;
    }
    covered += std::isinf(to) ? 0 : to - from;
  }
  const bool open_ok = !std::isinf(band.to) || (!census.bands.empty() && std::isinf(census.bands.back().first.to));
  if (!open_ok || (!std::isinf(band.to) && std::abs(covered - (band.to - band.from)) > 1e-9)) return -1;
  if (estimated) *estimated = spread;
  return share;
}

namespace {

// True (and the sum) when some of `counts` tile [from, to) exactly.
bool tile(const std::vector<std::pair<AgeBand, double>>& counts, double from, double to, double& sum, int depth = 0) {
  if (from == to) return true;
  if (depth > 32) return false;
  for (auto& [b, n] : counts) {
    if (b.from != from || b.to > to) continue;
    double rest = 0;
    if (tile(counts, b.to, to, rest, depth + 1)) {
      sum = n + rest;
      return true;
    }
  }
  return false;
}

}  // namespace

GroupCount group_people(const PopulationGroup& g, double residents, const std::vector<std::pair<AgeBand, double>>& counts,
                        const CensusShares& census) {
  GroupCount c;
  if (g.everyone) {
    c.people = residents;
    return c;
  }
  double sum = 0;
  if (!counts.empty() && tile(counts, g.ages.from, g.ages.to, sum)) {
    c.people = sum;
    return c;
  }
  bool spread = false;
  const double share = census_share(census, g.ages, &spread);
  if (share < 0) throw InputError("group '" + g.id + "' (" + age_label(g.ages) + "): the census bands cannot give it");
  c.people = residents * share;
  c.from_census = true;
  c.interpolated = spread;
  return c;
}

std::vector<std::vector<GroupCount>> community_groups(const std::vector<Community>& communities,
                                                      const PopulationProfile& p) {
  std::vector<std::vector<GroupCount>> out(communities.size());
  for (std::size_t c = 0; c < communities.size(); ++c)
    for (auto& g : p.groups) out[c].push_back(group_people(g, communities[c].residents, communities[c].ages, p.census));
  return out;
}

SupplyProfile default_supply() {
  SupplyProfile s;
  for (auto& x : s) x.source = "walkshed default: each facility counts 1";
  return s;
}

double gaussian_weight(double d, double D) {
  if (!(d <= D)) return 0;
  const double e = std::exp(-0.5);
  return (std::exp(-0.5 * (d / D) * (d / D)) - e) / (1 - e);
}

std::vector<double> band_weights(const std::vector<double>& t, const std::vector<double>& given) {
  if (!given.empty()) {
    if (given.size() != t.size())
      throw InputError(std::to_string(given.size()) + " band weights for " + std::to_string(t.size()) +
                       " distances: give one weight per distance");
    for (std::size_t i = 0; i < given.size(); ++i)
      if (!(given[i] >= 0 && given[i] <= 1) || (i && given[i] > given[i - 1]))
        throw InputError("band weights must lie in [0, 1] and not increase with distance");
    return given;
  }
  std::vector<double> w;
  for (std::size_t i = 0; i < t.size(); ++i) w.push_back(gaussian_weight((i ? t[i - 1] : 0) / 2 + t[i] / 2, t.back()));
  return w;
}

double facility_supply(const ServiceFacility& f, int fn, const SupplySpec& spec) {
  if (!(f.functions & (1u << fn))) return 0;
  if (spec.field.empty()) return 1;
  const double v = spec.field == "area" ? f.area_m2 : f.supply[fn];
  return std::isfinite(v) && v >= 0 ? v : spec.fallback;
}

namespace {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// Demand points within `limit` of each facility: (point, metres), CSR by facility.
struct Pairs {
  std::vector<std::size_t> first;
  std::vector<std::uint32_t> point;
  std::vector<double> metres;
};

Pairs find_pairs(const Graph& g, const CoverageResult& cov, const std::vector<ServiceFacility>& facilities, double limit,
                 int threads_wanted, const Progress& progress) {
  const std::size_t F = facilities.size();
  std::vector<std::vector<std::pair<std::uint32_t, double>>> per(F);
  const int threads = detail::thread_count(threads_wanted, F / 8 + 1);
  std::vector<std::unique_ptr<detail::DemandReach>> reach;
  for (int i = 0; i < threads; ++i) reach.push_back(std::make_unique<detail::DemandReach>(g, cov.demand));
  detail::parallel_for(F, threads, progress, "access", [&](std::size_t f, int w) {
    if (facilities[f].functions == 0) return;
    reach[w]->visit(cov.facility_snaps[f], limit, [&](std::uint32_t i, double d) { per[f].push_back({i, d}); });
    std::sort(per[f].begin(), per[f].end());
  });
  Pairs p;
  p.first.assign(F + 1, 0);
  for (std::size_t f = 0; f < F; ++f) p.first[f + 1] = p.first[f] + per[f].size();
  p.point.reserve(p.first.back());
  p.metres.reserve(p.first.back());
  for (auto& v : per) {
    for (auto& [i, d] : v) {
      p.point.push_back(i);
      p.metres.push_back(d);
    }
    std::vector<std::pair<std::uint32_t, double>>().swap(v);
  }
  return p;
}

double weighted_mean(double sum, double people) { return people > 0 ? sum / people : kUnknown; }

// The four measures of one function from the shared pairs.
void measure(int fn, const std::vector<Community>& communities, const CoverageResult& cov,
             const std::vector<ServiceFacility>& facilities, const CoverageOptions& co, const PopulationProfile& pop,
             const std::vector<std::vector<GroupCount>>& groups, const SupplySpec& spec, const AccessOptions& o,
             double D, const std::vector<double>& weights, const Pairs& pairs, FunctionAccess& a) {
  const std::size_t N = cov.demand.size(), C = communities.size(), F = facilities.size(), B = co.thresholds_m.size();
  const int group = pop.function_group[fn];
  a.people.assign(N, 0);
  for (std::size_t i = 0; i < N; ++i) {
    const auto& d = cov.demand[i];
    const double hh = communities[d.community].households;
    if (hh > 0) a.people[i] = groups[d.community][group].people * d.households / hh;
  }
  auto band_weight = [&](double d) {
    for (std::size_t b = 0; b < B; ++b)
      if (d <= co.thresholds_m[b]) return weights[b];
    return 0.0;
  };
  const double beta = o.gravity_beta / 1000;
  a.supply.assign(F, kUnknown);
  a.ratio.assign(F, kUnknown);
  a.fca.assign(N, 0);
  a.efca.assign(N, 0);
  a.gfca.assign(N, 0);
  a.gravity.assign(N, 0);
  a.supply_total = 0;
  std::vector<double> we, wg;  // a facility's band and Gaussian weight per pair
  for (std::size_t f = 0; f < F; ++f) {
    if (!(facilities[f].functions & (1u << fn))) continue;
    const double s = facility_supply(facilities[f], fn, spec);
    a.supply[f] = s;
    a.supply_total += s;
    // Step 1: the people each facility serves, weighted by each kernel (the weights kept for step 2).
    double p1 = 0, pe = 0, pg = 0;
    we.clear(), wg.clear();
    for (std::size_t k = pairs.first[f]; k < pairs.first[f + 1]; ++k) {
      const double d = pairs.metres[k], p = a.people[pairs.point[k]];
      we.push_back(band_weight(d));
      wg.push_back(gaussian_weight(d, D));  // 0 beyond D
      if (d <= D) p1 += p;
      pg += p * wg.back();
      pe += p * we.back();
    }
    const double r1 = p1 > 0 ? s / p1 : 0, re = pe > 0 ? s / pe : 0, rg = pg > 0 ? s / pg : 0;
    if (p1 > 0) a.ratio[f] = 100 * r1;
    // Step 2: each demand point adds up the ratios it reaches.
    for (std::size_t k = pairs.first[f]; k < pairs.first[f + 1]; ++k) {
      const double d = pairs.metres[k], w = wg[k - pairs.first[f]];
      const std::uint32_t i = pairs.point[k];
      if (d <= D) {
        a.fca[i] += 100 * r1;
        a.gfca[i] += 100 * rg * w;
      }
      a.efca[i] += 100 * re * we[k - pairs.first[f]];
      a.gravity[i] += s * std::exp(-beta * d);
    }
  }
  // Per community: residents of the group, those within each band, people-weighted means.
  a.community_people.assign(C, 0);
  a.covered.assign(C, std::vector<double>(B, 0));
  std::vector<double> s1(C, 0), se(C, 0), sg(C, 0), sv(C, 0);
  a.covered_total.assign(B, 0);
  double t1 = 0, te = 0, tg = 0, tv = 0;
  for (std::size_t i = 0; i < N; ++i) {
    const auto& d = cov.demand[i];
    const double p = a.people[i];
    a.community_people[d.community] += p;
    for (std::size_t b = 0; b < B; ++b)
      if (d.distance[fn] <= co.thresholds_m[b]) a.covered[d.community][b] += p;
    s1[d.community] += p * a.fca[i];
    se[d.community] += p * a.efca[i];
    sg[d.community] += p * a.gfca[i];
    sv[d.community] += p * a.gravity[i];
    t1 += p * a.fca[i], te += p * a.efca[i], tg += p * a.gfca[i], tv += p * a.gravity[i];
  }
  a.community_fca.resize(C), a.community_efca.resize(C), a.community_gfca.resize(C), a.community_gravity.resize(C);
  a.shortfall.assign(C, kUnknown);
  a.people_total = 0;
  double shortfall = 0;
  for (std::size_t c = 0; c < C; ++c) {
    const double p = a.community_people[c];
    a.people_total += p;
    for (std::size_t b = 0; b < B; ++b) a.covered_total[b] += a.covered[c][b];
    a.community_fca[c] = weighted_mean(s1[c], p);
    a.community_efca[c] = weighted_mean(se[c], p);
    a.community_gfca[c] = weighted_mean(sg[c], p);
    a.community_gravity[c] = weighted_mean(sv[c], p);
    if (std::isfinite(spec.target_per100)) {
      a.shortfall[c] = p > 0 ? std::max(0.0, (spec.target_per100 - a.community_fca[c]) * p / 100) : 0;
      shortfall += a.shortfall[c];
    }
  }
  a.fca_total = weighted_mean(t1, a.people_total);
  a.efca_total = weighted_mean(te, a.people_total);
  a.gfca_total = weighted_mean(tg, a.people_total);
  a.gravity_total = weighted_mean(tv, a.people_total);
  if (std::isfinite(spec.target_per100)) a.shortfall_total = shortfall;
}

}  // namespace

AccessResult compute_access(const Graph& g, const std::vector<Community>& communities, const CoverageResult& cov,
                            const std::vector<ServiceFacility>& facilities, const CoverageOptions& co,
                            const PopulationProfile& pop, const SupplyProfile& supply, const AccessOptions& o,
                            const Progress& progress) {
  if (pop.groups.empty()) throw InputError("the population profile has no group");
  for (int fn = 0; fn < kFunctionCount; ++fn)
    if (pop.function_group[fn] < 0 || pop.function_group[fn] >= static_cast<int>(pop.groups.size()))
      throw InputError(std::string("no population group for ") + service_functions()[fn].id);
  if (!(o.distance >= 0) || !std::isfinite(o.distance)) throw InputError("the access distance must be >= 0");
  if (!std::isfinite(o.gravity_beta) || o.gravity_beta < 0) throw InputError("the gravity decay must be >= 0");
  if (cov.facility_snaps.size() != facilities.size()) throw InputError("coverage and facilities do not match");
  AccessResult r;
  r.distance = o.distance > 0 ? o.distance : co.thresholds_m.back();
  r.band_weights = band_weights(co.thresholds_m, o.band_weights);
  auto t = Clock::now();
  r.groups = community_groups(communities, pop);
  const Pairs pairs = find_pairs(g, cov, facilities, std::max(r.distance, co.thresholds_m.back()), o.threads, progress);
  r.pairs = static_cast<std::int64_t>(pairs.point.size());
  r.timings.emplace_back("access searches", seconds_since(t));
  t = Clock::now();
  const int threads = detail::thread_count(o.threads, kFunctionCount);
  detail::parallel_for(kFunctionCount, threads, {}, "access", [&](std::size_t fn, int) {
    measure(static_cast<int>(fn), communities, cov, facilities, co, pop, r.groups, supply[fn], o, r.distance,
            r.band_weights, pairs, r.functions[fn]);
  });
  r.timings.emplace_back("access measures", seconds_since(t));
  return r;
}

}  // namespace walkshed
