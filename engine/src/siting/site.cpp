#include "walkshed/siting/site.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "coverage/reach.hpp"
#include "walkshed/core/error.hpp"
#include "walkshed/core/text.hpp"

namespace walkshed {

namespace {

constexpr double kCentreSearch = 5000;  // metres searched from a community centre

// The rules that can exclude a candidate for the functions it would host.
const char* kSiteRules[] = {"infant_max_floor", "infant_no_basement", "child_max_floor", "child_no_basement",
                            "elderly_min_area", "infant_min_area", "complex_min_area"};

}  // namespace

std::vector<Candidate> candidates_from_sites(const std::vector<ServiceFacility>& sites,
                                             const std::vector<SiteAttributes>& attributes) {
  std::vector<Candidate> out;
  for (size_t i = 0; i < sites.size(); ++i) {
    const auto& s = sites[i];
    Candidate c;
    c.id = s.point.id;
    c.name = s.point.name;
    c.origin = "layer";
    c.point = s.point.point;
    c.area_m2 = s.area_m2;
    c.attributes = attributes[i];
    c.footprint = s.point.footprint;
    out.push_back(std::move(c));
  }
  return out;
}

std::vector<Candidate> candidates_from_landuse(const Graph& g, const LanduseLayer& layer, const ParcelIndex& index,
                                               double spacing, const std::vector<Community>& study_area) {
  EdgeIndex edges(g);
  std::vector<Candidate> out;
  Box extent;  // the study area: the extent of the communities
  for (auto& c : study_area) extent.add(c.geometry.box());
  auto in_study_area = [&](const Parcel& p) { return extent.intersects(p.box); };
  for (size_t i = 0; i < layer.parcels.size(); ++i) {
    const Parcel& p = layer.parcels[i];
    if (!in_study_area(p)) continue;
    const SiteLanduse judged = index.locate(p.geometry);
    if (judged.eligibility != Eligibility::Allowed) continue;
    // The outline vertex nearest the network.
    XY best{};
    double best_d = kUnreached;
    for (const Polygon& poly : p.geometry.polygons)
      for (const XY& v : poly.rings[0]) {
        const Snap s = edges.nearest(v, best_d < kUnreached ? best_d : 1e5);
        if (s.edge != kInvalid && s.distance < best_d) best_d = s.distance, best = v;
      }
    if (best_d == kUnreached) continue;
    Candidate c;
    c.id = "P" + p.id;
    // The parcel's own name and address where it has them, else what it is and where it comes from.
    c.name = !p.name.empty() ? p.name + (p.address.empty() ? "" : ", " + p.address)
             : !p.address.empty() ? p.address
                                  : "parcel " + p.id + " (" + p.code + "), " + judged.land_class + " land";
    c.origin = "parcel " + p.id;
    c.point = best;
    out.push_back(c);
    if (spacing > 0) {
      const Box e = p.box;
      const double cells = std::ceil((e.max_x - e.min_x) / spacing) * std::ceil((e.max_y - e.min_y) / spacing);
      if (cells > kMaxGridPoints)
        throw InputError("land-use parcel '" + p.id + "': a candidate grid of " + short_number(cells) + " points (" +
                         short_number(e.max_x - e.min_x) + " x " + short_number(e.max_y - e.min_y) + " m at " +
                         short_number(spacing) + " m) is more than " + short_number(kMaxGridPoints) +
                         "; check its polygon or raise `parcel_spacing`");
      const PreparedRegion inside(p.geometry);
      int n = 0;
      for (double y = e.min_y + spacing / 2; y < e.max_y; y += spacing)
        for (double x = e.min_x + spacing / 2; x < e.max_x; x += spacing) {
          if (!inside.contains({x, y})) continue;
          Candidate gc = c;
          gc.id = c.id + "-" + std::to_string(++n);
          gc.point = {x, y};
          out.push_back(gc);
        }
    }
  }
  return out;
}

void validate(const SiteOptions& o) {
  if (o.functions.empty()) throw InputError("no service function to site (`functions`)");
  if (!(o.distance > 0)) throw InputError("`distance` must be > 0");
  if (o.target_share < 0 && o.k <= 0) throw InputError("give `k` (sites to choose) or `target_share`");
  if (o.target_share > 1) throw InputError("`target_share` must be between 0 and 1");
  if (!(o.max_snap >= 0)) throw InputError("`max_snap` must be >= 0");
  if (o.objective != "households" && o.objective != "area_gap")
    throw InputError("`objective`: '" + o.objective + "' is not households or area_gap");
  if (o.objective == "area_gap" && o.target_share >= 0)
    throw InputError("`objective` area_gap chooses `k` sites; it does not take `target_share`");
}

namespace {

// Need: the households each demand point still lacks the bundle for within the distance (a share per
// missing function); fills need_total and community_before.
std::vector<double> unserved_need(const std::vector<Community>& communities, const CoverageResult& cov,
                                  const SiteOptions& o, SiteResult& r) {
  const std::size_t N = cov.demand.size();
  std::vector<double> need(N, 0);
  for (std::size_t i = 0; i < N; ++i) {
    int missing = 0;
    for (int f : o.functions) missing += !(cov.demand[i].distance[f] <= o.distance);
    need[i] = cov.demand[i].households * missing / double(o.functions.size());
    r.need_total += need[i];
  }
  r.community_before.assign(communities.size(), 0);
  for (std::size_t i = 0; i < N; ++i) r.community_before[cov.demand[i].community] += cov.demand[i].households - need[i];
  return need;
}

// Eligibility of one candidate: routable, its land use under the profile, and the floor, basement
// and size rules of the functions it would host (area rules only where its area is known).
void judge_candidate(const Candidate& cand, const EdgeIndex& edges, const Profile& profile, const ParcelIndex* landuse,
                     const SiteOptions& o, FunctionSet bundle, CandidateResult& cr) {
  cr.snap = edges.nearest(cand.point, o.max_snap);
  cr.eligible = true;
  auto exclude = [&](const std::string& why) {
    if (cr.eligible) cr.reason = why;
    cr.eligible = false;
  };
  if (cr.snap.edge == kInvalid) exclude("not routable: no network edge within the snap distance (" + short_number(o.max_snap) + " m)");
  if (landuse) {
    cr.landuse = cand.footprint ? landuse->locate(*cand.footprint) : landuse->locate(cand.point);
    // BT 第三条's five years cover construction land kept in its use, not non-construction land.
    const bool transitional = profile.transitional_years > 0 && cand.attributes.government_nonprofit == 1 &&
                              cr.landuse.eligibility == Eligibility::Unlisted &&
                              profile.transitional != Severity::Error && profile.transitional != Severity::ErrorOverride;
    auto refuses = [](Severity s) { return s == Severity::Error || s == Severity::ErrorOverride; };
    if (transitional) {
      cr.landuse_pref = 0.25;
      if (cr.eligible)
        cr.reason = "land use " + cr.landuse.code + " kept as a government non-profit facility (" +
                    profile.transitional_source + ")";
    } else switch (cr.landuse.eligibility) {
      case Eligibility::Allowed: cr.landuse_pref = 1; break;
      case Eligibility::Unlisted:
        if (refuses(profile.unlisted))
          exclude("land use " + cr.landuse.code + " (" + cr.landuse.land_class + ") not allowed");
        else
          cr.landuse_pref = 0.5;
        break;
      case Eligibility::Restricted: {
        const LanduseClass& c = *profile.landuse_class(cr.landuse.land_class);  // Restricted: the class exists
        if (refuses(c.severity)) exclude("land use " + cr.landuse.code + ": " + c.note + " (" + c.source + ")");
        else cr.landuse_pref = 0.25;
        break;
      }
      case Eligibility::NonConstruction:
        // Where the profile only informs on land use, farmland is still the least likely site.
        if (refuses(profile.non_construction)) exclude("non-construction land " + cr.landuse.code);
        else cr.landuse_pref = 0.1;
        break;
      case Eligibility::UnknownCode: exclude("unknown land-use code " + cr.landuse.code + " (the plan must say)"); break;
      case Eligibility::NoParcel: exclude("outside every land-use parcel"); break;
    }
  }
  ServiceFacility host;
  host.functions = bundle;
  host.area_m2 = cand.area_m2;
  SiteAttributes a = cand.attributes;
  if (a.complex < 0) a.complex = o.functions.size() >= 3 ? 1 : 0;
  double required = kUnknown;
  for (const char* id : kSiteRules) {
    RuleResult rr = check_rule(profile, id, host, a, {});
    if (std::string(id).find("area") != std::string::npos && rr.outcome != Outcome::NotApplicable)
      required = std::isnan(required) ? rr.threshold : std::max(required, rr.threshold);
    if (rr.outcome == Outcome::Fail && (rr.severity == Severity::Error || rr.severity == Severity::ErrorOverride))
      exclude(std::string(id) + ": " + short_number(rr.value) + " vs " + short_number(rr.threshold) + " " + rr.unit + " (" + rr.source + ")");
  }
  // Beds and places known: their per-unit areas are minimums too (BT 第十三条, 第十四条).
  auto per_unit = [&](const char* fn, const char* rule, double units) {
    const Rule* ru = profile.rule(rule);
    if (ru && (bundle & (1u << function_index(fn))) && units > 0)
      required = std::isnan(required) ? ru->value * units : std::max(required, ru->value * units);
  };
  per_unit("elderly_care", "elderly_area_per_bed", a.beds);
  per_unit("infant_care", "infant_area_per_place", a.places);
  cr.function_area_m2 = required;
  if (!std::isnan(required) && !std::isnan(cand.area_m2)) cr.area_adequacy = std::min(1.0, cand.area_m2 / required);
}

// The covering problem over the eligible candidates: the need each reaches within the distance.
struct Problem {
  CoverProblem cover;
  std::vector<std::uint32_t> items;     // demand index per item
  std::vector<std::uint32_t> eligible;  // problem candidate -> candidate index
};

Problem cover_problem(const Graph& g, const CoverageResult& cov, const std::vector<Candidate>& cands,
                      const std::vector<double>& need, const Profile& profile, const SiteOptions& o, SiteResult& r) {
  const std::size_t N = cov.demand.size();
  Problem p;
  p.cover.capacity = o.capacity;
  // Without a set capacity, a candidate of known floor area serves the households that area provides
  // for at the profile's standard per 100 households (BT 第十条); others are unlimited.
  const Rule* per100 = profile.rule("area_per_100_households");
  std::vector<std::int64_t> item_of(N, -1);
  for (std::size_t i = 0; i < N; ++i)
    if (need[i] > 0) item_of[i] = p.items.size(), p.items.push_back(i), p.cover.weight.push_back(need[i]);
  detail::DemandReach reach(g, cov.demand);
  for (std::size_t c = 0; c < cands.size(); ++c) {
    CandidateResult& cr = r.candidates[c];
    std::vector<std::pair<std::uint32_t, double>> within;
    std::map<std::uint32_t, double> by_community;
    reach.visit(cr.snap, o.distance, [&](std::uint32_t i, double d) {
      cr.reached += cov.demand[i].households;
      cr.marginal += need[i];
      by_community[cov.demand[i].community] += cov.demand[i].households;
      if (item_of[i] >= 0) within.push_back({std::uint32_t(item_of[i]), d});
    });
    cr.reach.assign(by_community.begin(), by_community.end());
    for (auto& [k, hh] : cr.reach) {
      const auto& cm = cov.communities[k];
      if (cm.households > 0) cr.area_gap_m2 += cm.gap_m2 * std::min(1.0, hh / cm.households);
    }
    if (!cr.eligible) continue;
    std::sort(within.begin(), within.end());
    cr.capacity = o.capacity;
    if (o.capacity <= 0 && o.area_capacity && per100 && per100->value > 0 && cands[c].area_m2 > 0)
      cr.capacity = cands[c].area_m2 / per100->value * 100;
    p.cover.site_capacity.push_back(cr.capacity);
    p.eligible.push_back(c);
    p.cover.covers.emplace_back();
    p.cover.distance.emplace_back();
    for (auto& [it, d] : within) p.cover.covers.back().push_back(it), p.cover.distance.back().push_back(d);
  }
  std::vector<char> reachable(p.items.size(), 0);
  for (auto& cv : p.cover.covers)
    for (auto it : cv) reachable[it] = 1;
  for (std::size_t k = 0; k < p.items.size(); ++k)
    if (reachable[k]) r.need_coverable += p.cover.weight[k];
  if (o.min_spacing > 0)
    for (std::uint32_t a = 0; a < p.eligible.size(); ++a)
      for (std::uint32_t b = a + 1; b < p.eligible.size(); ++b)
        if (distance(cands[p.eligible[a]].point, cands[p.eligible[b]].point) < o.min_spacing) p.cover.conflicts.push_back({a, b});
  return p;
}

// Centrality: walking distance from the household-weighted centre of each candidate's community.
// Each search reaches twice as far as the community's farthest candidate in a straight line, and
// again twice as far while a candidate is not reached, up to kCentreSearch: a distance found within
// the search's reach is exact, so this is the result of one search of kCentreSearch, much faster.
void centrality(const Graph& g, const EdgeIndex& edges, const std::vector<Community>& communities,
                const CoverageResult& cov, const std::vector<Candidate>& cands, SiteResult& r) {
  const std::size_t C = cands.size();
  std::vector<XY> centre(communities.size(), XY{});
  std::vector<double> weight(communities.size(), 0);
  for (auto& d : cov.demand) {
    const double w = std::max(d.households, 1e-9);
    centre[d.community].x += w * d.point.x, centre[d.community].y += w * d.point.y, weight[d.community] += w;
  }
  const RegionIndex areas = community_index(communities);
  std::vector<std::vector<std::uint32_t>> in_community(communities.size());  // routable candidates
  for (std::size_t c = 0; c < C; ++c) {
    const std::uint32_t k = areas.first_containing(cands[c].point);
    if (k != RegionIndex::kNone && r.candidates[c].snap.edge != kInvalid) in_community[k].push_back(c);
  }
  Search s(g);
  for (std::size_t k = 0; k < communities.size(); ++k) {
    if (weight[k] <= 0 || in_community[k].empty()) continue;
    const XY at{centre[k].x / weight[k], centre[k].y / weight[k]};
    const Snap cs = edges.nearest(at, 1e5);
    if (cs.edge == kInvalid) continue;
    double reach = 100;
    for (auto c : in_community[k]) reach = std::max(reach, 2 * distance(at, cands[c].point) + 2 * cs.distance);
    const std::vector<std::pair<std::uint32_t, double>> own = {{cs.edge, cs.offset}};
    for (reach = std::min(reach, kCentreSearch);; reach = std::min(2 * reach, kCentreSearch)) {
      s.clear();
      s.add_edge_point(cs.edge, cs.offset, 0);
      s.run(reach);
      bool all = true;
      for (auto c : in_community[k]) {
        const double d = detail::point_distance(g, s, r.candidates[c].snap.edge, r.candidates[c].snap.offset, own);
        if (d <= reach) r.candidates[c].central_m = d;
        else all = false;
      }
      if (all || reach >= kCentreSearch) break;
    }
  }
}

// Scores: weighted, each component scaled to [0, 1] over the eligible candidates; ranks, ties by id.
void score(const std::vector<Candidate>& cands, const std::vector<std::uint32_t>& eligible, const SiteOptions& o,
           SiteResult& r) {
  double max_marginal = 0, max_reached = 0, max_central = 0, max_gap = 0;
  for (auto c : eligible) {
    max_gap = std::max(max_gap, r.candidates[c].area_gap_m2);
    max_marginal = std::max(max_marginal, r.candidates[c].marginal);
    max_reached = std::max(max_reached, r.candidates[c].reached);
    if (!std::isnan(r.candidates[c].central_m)) max_central = std::max(max_central, r.candidates[c].central_m);
  }
  auto w = [&](const char* k) {
    auto it = o.weights.find(k);
    return it == o.weights.end() ? 0.0 : it->second;
  };
  for (auto c : eligible) {
    CandidateResult& cr = r.candidates[c];
    cr.score = w("marginal") * (max_marginal > 0 ? cr.marginal / max_marginal : 0) +
               w("reached") * (max_reached > 0 ? cr.reached / max_reached : 0) +
               w("central") * (std::isnan(cr.central_m) ? 0 : max_central > 0 ? 1 - cr.central_m / max_central : 1) +
               w("area") * (std::isnan(cr.area_adequacy) ? 0 : cr.area_adequacy) +
               w("landuse") * (std::isnan(cr.landuse_pref) ? 1 : cr.landuse_pref) +
               w("gap") * (max_gap > 0 ? cr.area_gap_m2 / max_gap : 0);
  }
  std::vector<std::uint32_t> ranked = eligible;
  std::stable_sort(ranked.begin(), ranked.end(), [&](auto a, auto b) {
    if (r.candidates[a].score != r.candidates[b].score) return r.candidates[a].score > r.candidates[b].score;
    return cands[a].id < cands[b].id;
  });
  for (std::size_t k = 0; k < ranked.size(); ++k) r.candidates[ranked[k]].rank = k + 1;
}

// The floor area of a candidate shared over the communities it reaches, by households reached.
std::vector<std::pair<std::uint32_t, double>> area_shares(const CandidateResult& cr, double area) {
  std::vector<std::pair<std::uint32_t, double>> out;
  double total = 0;
  for (auto& [k, hh] : cr.reach) total += hh;
  if (!(area > 0) || total <= 0) return out;
  for (auto& [k, hh] : cr.reach) out.push_back({k, area * hh / total});
  return out;
}

// objective area_gap: k sites by greedy, each time the one closing the most remaining gap with its
// known floor area (min_spacing respected; capacity does not apply).
Selection area_gap_greedy(const Problem& p, const std::vector<Candidate>& cands, const SiteOptions& o, SiteResult& r) {
  Selection s;
  s.method = "area-gap greedy (" + std::to_string(o.k) + " sites)";
  std::vector<double> remaining = r.gap_before;
  std::vector<char> taken(p.eligible.size(), 0);
  std::vector<std::vector<std::uint32_t>> conflicts(p.eligible.size());
  for (auto& [a, b] : p.cover.conflicts) conflicts[a].push_back(b), conflicts[b].push_back(a);
  for (int step = 0; step < o.k; ++step) {
    double best = 0;
    std::int64_t best_c = -1;
    for (std::uint32_t pc = 0; pc < p.eligible.size(); ++pc) {
      bool blocked = taken[pc];
      for (auto other : conflicts[pc]) blocked |= taken[other] != 0;
      if (blocked) continue;
      double gain = 0;
      for (auto& [k, a] : area_shares(r.candidates[p.eligible[pc]], cands[p.eligible[pc]].area_m2))
        gain += std::min(remaining[k], a);
      if (gain > best + 1e-9) best = gain, best_c = pc;
    }
    if (best_c < 0) break;
    taken[best_c] = 1;
    for (auto& [k, a] : area_shares(r.candidates[p.eligible[best_c]], cands[p.eligible[best_c]].area_m2))
      remaining[k] = std::max(0.0, remaining[k] - a);
    s.chosen.push_back(best_c);
    s.gains.push_back(best);
    s.objective += best;
  }
  return s;
}

// Selection: MCLP (k sites) or LSCP (target share), greedy always, exact when asked or small enough.
void choose(const CoverProblem& prob, const SiteOptions& o, SiteResult& r) {
  double pairs = 0;
  for (auto& cv : prob.covers) pairs += cv.size();
  const bool exact = o.solver == "exact" || (o.solver == "auto" && pairs <= o.exact_limit);
  const std::string greedy_only = o.solver == "greedy" ? "greedy only (solver greedy)"
                                                       : "greedy only (" + short_number(pairs) +
                                                             " candidate-demand pairs, above the exact limit of " +
                                                             short_number(o.exact_limit) + ")";
  if (o.target_share >= 0) {
    const double target = o.target_share * r.need_coverable;
    Selection heur = lscp_greedy(prob, target);
    r.heuristic_objective = heur.chosen.size();
    r.selection = heur;
    if (!exact) {
      r.gap_note = greedy_only + ": no bound";
      return;
    }
    Selection ex = lscp_exact(prob, target, o.time_limit);
    if (!ex.chosen.empty() || target <= 0) {
      r.bound = ex.bound;
      r.gap_note = "greedy " + std::to_string(heur.chosen.size()) + " sites, exact " + std::to_string(ex.chosen.size()) +
                   (ex.optimal ? " (optimal)" : " (time limit; LP bound " + short_number(ex.bound) + ")");
      if (ex.chosen.size() <= heur.chosen.size()) r.selection = ex;
    }
    return;
  }
  Selection heur = mclp_greedy(prob, o.k, true);
  r.heuristic_objective = heur.objective;
  r.selection = heur;
  if (!exact) {
    r.bound = mclp_lagrangian_bound(prob, o.k, heur.objective);
    r.gap = r.bound > 0 ? (r.bound - heur.objective) / r.bound : 0;
    r.gap_note = greedy_only + ": " + short_number(heur.objective) + " households, Lagrangian bound " +
                 short_number(r.bound) + ": gap at most " + short_number(100 * r.gap) + " %";
    return;
  }
  Selection ex = mclp_exact(prob, o.k, o.time_limit);
  r.bound = ex.bound;
  if (ex.objective > heur.objective + 1e-9) r.selection = ex;
  r.gap = r.bound > 0 ? (r.bound - heur.objective) / r.bound : 0;
  r.gap_note = "heuristic " + short_number(heur.objective) + " households, " + (ex.optimal ? "optimum " : "best bound ") +
               short_number(r.bound) + ": gap " + short_number(100 * r.gap) + " %";
  if (has_capacity(prob)) r.gap_note += " (capacity: the MILP may split a demand point between sites)";
}

// Chosen sites: order, gain, households served per community, the floor area they call for.
void record_chosen(const std::vector<Community>& communities, const CoverageResult& cov, const Problem& p,
                   const Profile& profile, SiteResult& r) {
  std::vector<char> open(p.cover.weight.size(), 1);
  r.community_after = r.community_before;
  for (std::size_t k = 0; k < r.selection.chosen.size(); ++k) {
    const std::uint32_t pc = r.selection.chosen[k], c = p.eligible[pc];
    CandidateResult& cr = r.candidates[c];
    cr.order = k + 1;
    r.chosen.push_back(c);
    std::vector<std::uint32_t> taken;
    cr.gain = site_gain(p.cover, pc, open, &taken);
    std::map<std::uint32_t, double> served;
    for (auto it : taken) {
      open[it] = 0;
      served[cov.demand[p.items[it]].community] += p.cover.weight[it];
    }
    for (auto& [comm, hh] : served) {
      cr.served.push_back({comm, hh});
      r.community_after[comm] += hh;
      const Rule* rule = profile.rule(communities[comm].qualified ? "area_per_100_households_qualified" : "area_per_100_households");
      cr.all_services_area_m2 += (rule ? rule->value : 30) * hh / 100;
    }
  }
}

}  // namespace

SiteResult select_sites(const Graph& g, const std::vector<Community>& communities, const CoverageResult& cov,
                        const std::vector<Candidate>& cands, const Profile& profile, const ParcelIndex* landuse,
                        const SiteOptions& o) {
  validate(o);
  SiteResult r;
  FunctionSet bundle = 0;
  for (int f : o.functions) bundle |= FunctionSet(1u << f);
  const std::vector<double> need = unserved_need(communities, cov, o, r);
  const EdgeIndex edges(g);
  r.candidates.resize(cands.size());
  for (std::size_t c = 0; c < cands.size(); ++c) judge_candidate(cands[c], edges, profile, landuse, o, bundle, r.candidates[c]);
  const Problem p = cover_problem(g, cov, cands, need, profile, o, r);
  centrality(g, edges, communities, cov, cands, r);
  score(cands, p.eligible, o, r);
  r.gap_before.resize(communities.size());
  for (std::size_t k = 0; k < communities.size(); ++k) r.gap_before[k] = cov.communities[k].gap_m2;
  if (o.objective == "area_gap") {
    r.selection = area_gap_greedy(p, cands, o, r);
    r.heuristic_objective = r.selection.objective;
    r.gap_note = "area-gap greedy: " + short_number(r.selection.objective) + " m2 of the communities' gap closed (no bound)";
  } else {
    choose(p.cover, o, r);
  }
  record_chosen(communities, cov, p, profile, r);
  r.gap_after = r.gap_before;
  for (auto c : r.chosen)
    for (auto& [k, a] : area_shares(r.candidates[c], cands[c].area_m2)) r.gap_after[k] = std::max(0.0, r.gap_after[k] - a);
  return r;
}

}  // namespace walkshed
