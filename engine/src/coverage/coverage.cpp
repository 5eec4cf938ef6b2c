#include "walkshed/coverage/coverage.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "core/parallel.hpp"
#include "coverage/reach.hpp"
#include "walkshed/core/error.hpp"
#include "walkshed/core/text.hpp"
#include "walkshed/routing/search.hpp"

namespace walkshed {

double household_size_for(const std::string& city) {
  if (city == "beijing") return 2.31;
  if (city == "wuhan") return 2.47;
  if (city == "baotou") return 2.35;  // Inner Mongolia value until a Baotou figure is verified
  return 2.62;                        // China
}

namespace {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

void add_into(CommunityResult& into, const CommunityResult& c, std::size_t bands) {
  into.households += c.households;
  into.unreachable_households += c.unreachable_households;
  into.demand_points += c.demand_points;
  for (int f = 0; f < kFunctionCount; ++f) {
    into.covered[f].resize(bands, 0);
    for (std::size_t b = 0; b < bands; ++b) into.covered[f][b] += c.covered[f][b];
  }
  into.area_m2 += c.area_m2;
  into.gap_m2 += c.gap_m2;
}

void finish_summary(Summary& s, const CoverageOptions& o) {
  auto& t = s.total;
  t.per100 = t.households > 0 ? t.area_m2 / (t.households / 100) : kUnknown;
  t.functions_reached = 0;
  for (int f = 0; f < kFunctionCount; ++f)
    if (t.households > 0 && t.covered[f].back() >= o.function_share * t.households) ++t.functions_reached;
  t.pass = s.failing == 0;
}

}  // namespace

RegionIndex community_index(const std::vector<Community>& communities) {
  std::vector<const Region*> regions;
  for (auto& c : communities) regions.push_back(&c.geometry);
  return RegionIndex(regions);
}

void validate(const CoverageOptions& o) {
  if (o.thresholds_m.empty()) throw InputError("no distance threshold given");
  for (size_t i = 0; i < o.thresholds_m.size(); ++i)
    if (!(o.thresholds_m[i] > 0) || (i && o.thresholds_m[i] <= o.thresholds_m[i - 1]))
      throw InputError("thresholds must be positive and strictly increasing");
  if (!(o.grid_spacing > 0)) throw InputError("`grid_spacing` must be > 0");
  if (!(o.target_per100 >= 0) || !(o.qualified_target_per100 >= 0)) throw InputError("area targets must be >= 0");
  if (!(o.function_share > 0 && o.function_share <= 1)) throw InputError("`function_share` must be in (0, 1]");
}

namespace {

std::int64_t overlapping_pairs(const std::vector<Community>& communities, const RegionIndex& areas) {
  std::int64_t n = 0;
  areas.for_box_pairs([&](std::uint32_t a, std::uint32_t b) {
    if (intersection_area(communities[a].geometry, communities[b].geometry) > 1.0) ++n;
  });
  return n;
}

// Demand: households spread over buildings by floor area, else over a grid inside each community
// (one point on the surface for a community too small for the grid).
void place_demand(const std::vector<Community>& communities, const std::vector<Building>& buildings,
                  const RegionIndex& areas, const CoverageOptions& o, CoverageResult& r) {
  const std::size_t C = communities.size();
  std::vector<std::vector<std::pair<XY, double>>> weights(C);  // (point, weight) per community
  for (auto& b : buildings) {
    const XY p = point_on_surface(b.geometry);
    const auto c = areas.first_containing(p);
    if (c != kInvalid) weights[c].push_back({p, std::max(area(b.geometry), 1.0) * b.floors});
  }
  r.demand_method = buildings.empty() ? "grid of " + std::to_string(static_cast<int>(o.grid_spacing)) + " m inside each community"
                                      : "residential buildings, by floor area";
  for (std::size_t c = 0; c < C; ++c) {
    if (communities[c].geometry.empty()) continue;
    if (weights[c].empty()) {
      if (!buildings.empty()) ++r.grid_fallback_communities;
      const Box& e = areas.region(c)->box();
      const double cells = std::ceil((e.max_x - e.min_x) / o.grid_spacing) * std::ceil((e.max_y - e.min_y) / o.grid_spacing);
      if (cells > kMaxGridPoints)
        throw InputError("community '" + communities[c].id + "': a demand grid of " + short_number(cells) + " points (" +
                         short_number(e.max_x - e.min_x) + " x " + short_number(e.max_y - e.min_y) + " m at " +
                         short_number(o.grid_spacing) + " m) is more than " + short_number(kMaxGridPoints) +
                         "; check its polygon (a stray vertex?) or raise `grid_spacing`");
      for (double y = e.min_y + o.grid_spacing / 2; y < e.max_y; y += o.grid_spacing)
        for (double x = e.min_x + o.grid_spacing / 2; x < e.max_x; x += o.grid_spacing)
          if (areas.region(c)->contains({x, y})) weights[c].push_back({{x, y}, 1.0});
      if (weights[c].empty()) weights[c].push_back({point_on_surface(communities[c].geometry), 1.0});
    }
    double total = 0;
    for (auto& w : weights[c]) total += w.second;
    for (auto& w : weights[c]) {
      DemandPoint d;
      d.point = w.first;
      d.community = c;
      d.households = communities[c].households * w.second / total;
      d.distance.fill(kUnreached);
      r.demand.push_back(d);
    }
  }
}

// Demand points and facilities onto the network; each facility's community.
void snap_points(const Graph& g, const std::vector<ServiceFacility>& facilities, const RegionIndex& areas,
                 const CoverageOptions& o, CoverageResult& r) {
  EdgeIndex index(g);
  for (auto& d : r.demand) d.snap = index.nearest(d.point, o.max_snap);
  r.facility_snaps.resize(facilities.size());
  r.facility_community.resize(facilities.size());
  for (std::size_t f = 0; f < facilities.size(); ++f) {
    r.facility_snaps[f] = index.nearest(facilities[f].point.point, o.max_snap);
    r.facility_community[f] = areas.first_containing(facilities[f].point.point);
    r.facilities_outside += r.facility_community[f] == kInvalid;
  }
}

// One multi-source search per function: each demand point's distance to the nearest facility offering it.
void function_distances(const Graph& g, const std::vector<ServiceFacility>& facilities, const CoverageOptions& o,
                        const Progress& progress, CoverageResult& r) {
  const int threads = detail::thread_count(o.threads, kFunctionCount);
  std::vector<std::unique_ptr<Search>> searches;
  for (int i = 0; i < threads; ++i) searches.push_back(std::make_unique<Search>(g));
  detail::parallel_for(kFunctionCount, threads, progress, "coverage", [&](std::size_t fn, int wi) {
    Search& s = *searches[wi];
    s.clear();
    std::vector<std::pair<std::uint32_t, double>> on_edge;
    for (std::uint32_t f = 0; f < facilities.size(); ++f) {
      const Snap& sn = r.facility_snaps[f];
      if (!(facilities[f].functions & (1u << fn)) || sn.edge == kInvalid) continue;
      s.add_edge_point(sn.edge, sn.offset, f);
      on_edge.push_back({sn.edge, sn.offset});
    }
    if (on_edge.empty()) return;
    std::sort(on_edge.begin(), on_edge.end());
    if (o.nearest_limit > 0) s.run(o.nearest_limit);
    else s.run();
    for (auto& d : r.demand)
      if (d.snap.edge != kInvalid) {
        d.distance[fn] = detail::point_distance(g, s, d.snap.edge, d.snap.offset, on_edge);
        if (o.nearest_limit > 0 && d.distance[fn] > o.nearest_limit) d.distance[fn] = kUnreached;
      }
  });
}

// Households covered per community, function and threshold.
void count_covered(std::size_t communities, const CoverageOptions& o, CoverageResult& r) {
  const std::size_t B = o.thresholds_m.size();
  r.communities.resize(communities);
  for (auto& c : r.communities)
    for (auto& v : c.covered) v.assign(B, 0);
  for (auto& d : r.demand) {
    CommunityResult& c = r.communities[d.community];
    ++c.demand_points;
    c.households += d.households;
    if (d.snap.edge == kInvalid) c.unreachable_households += d.households;
    for (int fn = 0; fn < kFunctionCount; ++fn)
      for (std::size_t b = 0; b < B; ++b)
        if (d.distance[fn] <= o.thresholds_m[b]) c.covered[fn][b] += d.households;
  }
}

// Floor area: located in the community, or shared by households served.
void share_floor_area(const Graph& g, const std::vector<ServiceFacility>& facilities, const CoverageOptions& o,
                      CoverageResult& r) {
  const std::size_t C = r.communities.size(), F = facilities.size();
  r.facility_share.resize(F);
  if (o.area_share == AreaShare::Catchment) {
    const double limit = o.share_distance > 0 ? o.share_distance : o.thresholds_m.back();
    detail::DemandReach reach(g, r.demand);
    std::vector<double> served(C, 0);
    for (std::uint32_t f = 0; f < F; ++f) {
      const double area = std::isnan(facilities[f].area_m2) ? 0 : facilities[f].area_m2;
      if (area <= 0) continue;
      std::fill(served.begin(), served.end(), 0);
      double total = 0;
      reach.visit(r.facility_snaps[f], limit, [&](std::uint32_t i, double) {
        served[r.demand[i].community] += r.demand[i].households;
        total += r.demand[i].households;
      });
      if (total > 0) {
        for (std::uint32_t c = 0; c < C; ++c)
          if (served[c] > 0) r.facility_share[f].push_back({c, area * served[c] / total});
      } else if (r.facility_community[f] != kInvalid) {
        r.facility_share[f].push_back({r.facility_community[f], area});  // serves nobody: stays where it is
      }
    }
  } else {
    for (std::uint32_t f = 0; f < F; ++f) {
      const double area = std::isnan(facilities[f].area_m2) ? 0 : facilities[f].area_m2;
      if (area > 0 && r.facility_community[f] != kInvalid) r.facility_share[f].push_back({r.facility_community[f], area});
    }
  }
  for (auto& shares : r.facility_share)
    for (auto& [c, a] : shares) r.communities[c].area_m2 += a;
}

// Targets, gaps and function counts per community; sums per street and for the whole area.
void summarise(const std::vector<Community>& communities, const CoverageOptions& o, CoverageResult& r) {
  const std::size_t B = o.thresholds_m.size();
  std::map<std::string, std::size_t> street_index;
  r.total.name = "total";
  for (auto& v : r.total.total.covered) v.assign(B, 0);
  for (std::size_t i = 0; i < communities.size(); ++i) {
    CommunityResult& c = r.communities[i];
    const double hh = communities[i].households;
    c.households = hh;  // the stated figure (demand points carry the same total)
    c.target_per100 = communities[i].qualified ? o.qualified_target_per100 : o.target_per100;
    const double required = c.target_per100 * hh / 100;
    c.per100 = hh > 0 ? c.area_m2 / (hh / 100) : kUnknown;
    c.gap_m2 = std::max(0.0, required - c.area_m2);
    c.pass = communities[i].problem.empty() && c.area_m2 >= required * (1 - 1e-12);
    if (c.gap_m2 <= required * 1e-12) c.gap_m2 = 0;
    c.functions_reached = 0;
    for (int fn = 0; fn < kFunctionCount; ++fn)
      if (hh > 0 && c.covered[fn].back() >= o.function_share * hh * (1 - 1e-12)) ++c.functions_reached;
    add_into(r.total.total, c, B);
    ++r.total.communities;
    r.total.failing += !c.pass;
    if (!communities[i].street.empty()) {
      auto [it, added] = street_index.emplace(communities[i].street, r.streets.size());
      if (added) {
        r.streets.push_back({communities[i].street, 0, 0, {}});
        for (auto& v : r.streets.back().total.covered) v.assign(B, 0);
      }
      Summary& s = r.streets[it->second];
      add_into(s.total, c, B);
      ++s.communities;
      s.failing += !c.pass;
    }
  }
  for (auto& s : r.streets) finish_summary(s, o);
  finish_summary(r.total, o);
}

}  // namespace

CoverageResult compute_coverage(const Graph& g, const std::vector<Community>& communities,
                                const std::vector<ServiceFacility>& facilities, const std::vector<Building>& buildings,
                                const CoverageOptions& o, const Progress& progress) {
  validate(o);
  CoverageResult r;
  auto t = Clock::now();
  const RegionIndex areas = community_index(communities);
  r.overlapping_pairs = overlapping_pairs(communities, areas);
  place_demand(communities, buildings, areas, o, r);
  r.timings.emplace_back("demand points", seconds_since(t));
  t = Clock::now();
  snap_points(g, facilities, areas, o, r);
  r.timings.emplace_back("snap", seconds_since(t));
  t = Clock::now();
  function_distances(g, facilities, o, progress, r);
  r.timings.emplace_back("function searches", seconds_since(t));
  count_covered(communities.size(), o, r);
  t = Clock::now();
  share_floor_area(g, facilities, o, r);
  r.timings.emplace_back("floor area", seconds_since(t));
  summarise(communities, o, r);
  return r;
}

}  // namespace walkshed
