#include "walkshed/jobs/coverage.hpp"

#include <algorithm>
#include <cmath>

#include "jobs/clock.hpp"
#include "walkshed/core/text.hpp"
#include "walkshed/io/output.hpp"
#include "walkshed/jobs/catchment.hpp"
#include "walkshed/rules/profile.hpp"

namespace walkshed {

using detail::Clock;
using detail::seconds_since;

namespace {

std::string pct(double part, double whole) { return whole > 0 ? fixed(100 * part / whole, 1) + " %" : "-"; }

// The whole area's shares per function and threshold, and its floor area against the target.
std::string area_table(const CoverageOptions& o, const CoverageResult& r) {
  const auto& t = r.total.total;
  std::string s = "households within walking distance, whole area:\n  function                    ";
  for (double d : o.thresholds_m) s += "  <=" + fixed(d, 0) + " m";
  s += '\n';
  for (int fn = 0; fn < kFunctionCount; ++fn) {
    std::string line = "  " + std::string(service_functions()[fn].id);
    line.resize(30, ' ');
    for (std::size_t b = 0; b < o.thresholds_m.size(); ++b) {
      const std::string cell = pct(t.covered[fn][b], t.households);
      line += std::string(10 - std::min<std::size_t>(10, cell.size()), ' ') + cell;
    }
    s += line + '\n';
  }
  s += std::string("floor area (") + (o.area_share == AreaShare::Catchment ? "shared by households served" : "located in the community") +
       "): " + fixed(t.area_m2, 0) + " m2 = " + (std::isnan(t.per100) ? "-" : fixed(t.per100, 1)) + " m2 per 100 households; " +
       std::to_string(r.total.failing) + " of " + std::to_string(r.total.communities) + " communities below target, gap " +
       fixed(t.gap_m2, 0) + " m2";
  return s;
}

// The profile's population and supply with the job's changes; the facility columns to read.
void access_setup(const CoverageJob& job, CoverageReport& rep, ServiceLayerOptions& services) {
  const Profile prof = load_profile(job.profile.empty() ? job.demand.communities.city : job.profile);
  rep.population = prof.population;
  rep.supply = prof.supply;
  for (auto& [fn, column] : job.supply_fields) {
    const int i = function_index(fn);
    if (i < 0) throw InputError("supply field for unknown service function '" + fn + "'");
    rep.supply[i].field = column;
    rep.supply[i].unit = column == "area" ? "m2" : column;
    rep.supply[i].source = "set for this run";
  }
  for (auto& [fn, target] : job.targets) {
    const int i = function_index(fn);
    if (i < 0) throw InputError("access target for unknown service function '" + fn + "'");
    if (!(target >= 0) || !std::isfinite(target)) throw InputError("access target for " + fn + " must be >= 0");
    rep.supply[i].target_per100 = target;
  }
  for (int i = 0; i < kFunctionCount; ++i) services.supply_fields[i] = rep.supply[i].field;
}

// Supply columns the facilities lack: each facility counts 1.
void settle_supply(const ServiceLayer& svc, SupplyProfile& supply, const Log& log) {
  for (int i = 0; i < kFunctionCount; ++i) {
    SupplySpec& sp = supply[i];
    const char* fn = service_functions()[i].id;
    if (sp.field.empty()) continue;
    if (sp.field == "area") {
      std::int64_t missing = 0;
      for (auto& f : svc.items) missing += (f.functions & (1u << i)) && !(f.area_m2 >= 0);
      if (missing)
        log.warning(std::to_string(missing) + " facilities offering " + fn + " have no floor area; each counts " +
                    short_number(sp.fallback) + " m2");
      continue;
    }
    if (svc.supply_columns[i].empty()) {
      log.info(std::string(fn) + ": the facilities have no '" + sp.field + "' column; each facility counts as 1");
      sp.field.clear();
      sp.unit = "facility";
      continue;
    }
    if (svc.without_supply[i])
      log.warning(std::to_string(svc.without_supply[i]) + " facilities offering " + fn + " have no " + sp.field +
                  " value; each counts " + short_number(sp.fallback) + " " + sp.unit);
  }
}

// What the groups came from, and the whole area's access per function.
void log_access(const std::vector<Community>& communities, const PopulationProfile& pop, const SupplyProfile& supply,
                const AccessResult& a, const Log& log) {
  std::string estimated;
  bool any_spread = false;
  for (std::size_t k = 1; k < pop.groups.size(); ++k) {
    bool used = false;
    for (int fn = 0; fn < kFunctionCount; ++fn) used |= pop.function_group[fn] == static_cast<int>(k);
    std::size_t census = 0, people = 0;
    for (std::size_t c = 0; c < communities.size() && used; ++c) {
      if (communities[c].residents <= 0) continue;
      ++people;
      census += a.groups[c][k].from_census;
    }
    if (!census) continue;
    const auto& g = pop.groups[k];
    bool spread = false;
    const double share = census_share(pop.census, g.ages, &spread);
    any_spread |= spread;
    estimated += (estimated.empty() ? "" : ", ") + g.id + " " + age_label(g.ages) + " " + fixed(100 * share, 2) + " %" +
                 (spread ? "*" : "") + " in " + std::to_string(census) + " of " + std::to_string(people) + " communities";
  }
  if (!estimated.empty())
    log.warning("census shares stand in for age columns (" + pop.census.source +
                (pop.census.verified ? "" : ", NOT VERIFIED") + "): " + estimated +
                (any_spread ? " (* spread evenly over the years of a census band)" : "") +
                "; columns such as age_60_plus, age_0_3 give real counts");
  std::string s = "access within " + fixed(a.distance, 0) + " m (2SFCA supply per 100 residents of the group):\n";
  for (int fn = 0; fn < kFunctionCount; ++fn) {
    const auto& f = a.functions[fn];
    const auto& sp = supply[fn];
    std::string line = "  " + std::string(service_functions()[fn].id);
    line.resize(28, ' ');
    line += pop.groups[pop.function_group[fn]].id + " " + fixed(f.people_total, 0) + ", supply " + short_number(f.supply_total) +
            " " + sp.unit + ", 2SFCA " + (std::isnan(f.fca_total) ? "-" : fixed(f.fca_total, 2));
    if (std::isfinite(sp.target_per100))
      line += ", target " + short_number(sp.target_per100) + ", short " + fixed(f.shortfall_total, 1) + " " + sp.unit;
    s += line + "\n";
  }
  s += std::to_string(a.pairs) + " facility x demand point pairs";
  log.info(s);
}

}  // namespace

Demand load_demand(const DemandInput& in, const NetworkReport& net, const Graph& g, const Log& log) {
  Demand d;
  d.communities = load_communities(in.communities, g.crs_wkt);
  const auto& comm = d.communities;
  log.info("communities: " + std::to_string(comm.items.size()) + ", households from " + comm.households_source +
           (comm.problems ? ", " + std::to_string(comm.problems) + " with problems (see column 'problem')" : "") +
           (comm.repaired_geometries ? ", " + std::to_string(comm.repaired_geometries) + " polygons repaired" : ""));
  note_crs(log, "communities", comm.source_crs, net, g);
  if (comm.implausible)
    log.warning(std::to_string(comm.implausible) + " communities have more than " + fixed(kMaxHouseholds, 0) +
                " households each: check the households or population field and its unit");
  d.services = load_services(in.services, g.crs_wkt);
  const auto& svc = d.services;
  note_crs(log, "facilities", svc.source_crs, net, g);
  std::string unknown;
  for (auto& [name, n] : svc.unknown_functions) unknown += (unknown.empty() ? "" : ", ") + name + " x" + std::to_string(n);
  log.info("facilities: " + std::to_string(svc.items.size()) + ", functions from " + svc.functions_source + ", " +
           std::to_string(svc.without_functions) + " without any of the nine functions, " +
           std::to_string(svc.without_area) + " without floor area" +
           (svc.skipped ? ", " + std::to_string(svc.skipped) + " unusable geometries skipped" : ""));
  if (!unknown.empty()) log.warning("unknown function names: " + unknown);
  std::vector<std::string> ids;
  for (auto& c : comm.items) ids.push_back(c.id);
  warn_duplicate_ids(log, "community", ids);
  warn_encoding(log, in.communities.path, comm.invalid_text);
  warn_encoding(log, in.services.points.path, svc.invalid_text);
  ids.clear();
  for (auto& s : svc.items) ids.push_back(s.point.id);
  warn_duplicate_ids(log, "facility", ids);
  if (!in.buildings.path.empty()) {
    d.buildings = load_buildings(in.buildings, g.crs_wkt, &d.buildings_skipped);
    log.info("buildings: " + std::to_string(d.buildings.size()) + " (" + std::to_string(d.buildings_skipped) + " skipped)");
  }
  return d;
}

void warn_demand(const CoverageResult& r, const Log& log) {
  if (r.overlapping_pairs)
    log.warning(std::to_string(r.overlapping_pairs) +
                " pairs of communities overlap (each community's households count once; a building in an overlap "
                "belongs to the first community)");
  if (r.grid_fallback_communities)
    log.warning(std::to_string(r.grid_fallback_communities) + " communities have no building; their demand is on a grid");
}

CoverageReport run_coverage(const CoverageJob& job, const Progress& progress, const Log& log) {
  const auto start = Clock::now();
  CoverageOptions o = job.options;
  thresholds_from_minutes(o.thresholds_m, o.thresholds_min, job.walk_speed);
  validate(o);

  output_format(job.output.path, job.output.format);
  check_outputs({job.output.path, job.output.csv}, {job.network.roads.path, job.demand.communities.path,
                                                     job.demand.services.points.path, job.demand.buildings.path},
                job.output.overwrite);
  band_weights(o.thresholds_m, job.access.band_weights);  // checked before any work
  CoverageReport rep;
  DemandInput input = job.demand;
  access_setup(job, rep, input.services);
  Graph g = open_network(job.network, o.threads, progress, log, rep.network, rep.timings);
  auto t = Clock::now();
  Demand d = load_demand(input, rep.network, g, log);
  settle_supply(d.services, rep.supply, log);
  rep.timings.emplace_back("communities, facilities and buildings", seconds_since(t));
  rep.communities = d.communities.items.size();
  rep.facilities = d.services.items.size();
  poll(progress);
  rep.result = compute_coverage(g, d.communities.items, d.services.items, d.buildings, o, progress);
  const CoverageResult& r = rep.result;
  warn_demand(r, log);
  rep.timings.insert(rep.timings.end(), r.timings.begin(), r.timings.end());
  AccessOptions ao = job.access;
  ao.threads = o.threads;
  rep.access = std::make_shared<const AccessResult>(
      compute_access(g, d.communities.items, r, d.services.items, o, rep.population, rep.supply, ao, progress));
  rep.timings.insert(rep.timings.end(), rep.access->timings.begin(), rep.access->timings.end());
  OutputOptions out = job.output;
  out.inputs = {job.network.roads.path, job.demand.communities.path, job.demand.services.points.path,
                job.demand.buildings.path};
  poll(progress);
  t = Clock::now();
  rep.files = write_coverage(g, d.communities.items, d.services.items, o, r, {rep.access.get(), &rep.population, &rep.supply}, out);
  rep.timings.emplace_back("write", seconds_since(t));

  const auto& total = r.total.total;
  std::vector<double> snap_m;
  for (auto& s : r.facility_snaps) {
    rep.routable_facilities += s.edge != kInvalid;
    snap_m.push_back(s.edge != kInvalid ? s.distance : o.max_snap);
  }
  suggest_datum(log, g, job.demand.services.points, snap_m, o.max_snap, "facilities.datum");
  log.info("demand: " + std::to_string(r.demand.size()) + " points (" + r.demand_method + "), " + fixed(total.households, 0) +
           " households, " + pct(total.unreachable_households, total.households) + " beyond `max_snap`; facilities routable: " +
           std::to_string(rep.routable_facilities) + " of " + std::to_string(rep.facilities));
  log.info(area_table(o, r));
  log_access(d.communities.items, rep.population, rep.supply, *rep.access, log);
  for (auto& f : rep.files) log.info("wrote " + f);
  rep.timings.emplace_back("total", seconds_since(start));
  if (job.keep_state)
    rep.state = std::make_shared<const CoverageState>(CoverageState{std::move(g), rep.network, std::move(d), o, r, rep.access});
  return rep;
}

}  // namespace walkshed
