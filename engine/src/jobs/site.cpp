#include "walkshed/jobs/site.hpp"

#include "walkshed/core/text.hpp"
#include "walkshed/core/error.hpp"
#include "walkshed/io/output.hpp"

namespace walkshed {

SiteReport run_site(const SiteJob& job, const Progress& progress, const Log& log) {
  SiteOptions o = job.options;
  o.functions.clear();
  for (auto& f : job.functions) {
    const int i = function_index(f);
    if (i < 0) throw InputError("`functions`: unknown service function '" + f + "'");
    o.functions.push_back(i);
  }
  if (job.candidates_from_landuse == !job.candidates.services.points.path.empty())
    throw InputError("give either `candidates` or `candidates_from_landuse`");
  if (job.candidates_from_landuse && job.landuse.path.empty())
    throw InputError("`candidates_from_landuse` needs `landuse`");
  validate(o);
  output_format(job.output.path, job.output.format);
  check_outputs({job.output.path, job.output.csv},
                {job.network.roads.path, job.demand.communities.path, job.demand.services.points.path,
                 job.demand.buildings.path, job.candidates.services.points.path, job.landuse.path},
                job.output.overwrite);
  const Profile profile = load_profile(job.profile);
  for (auto& [k, v] : profile.site_weights) o.weights[k] = v;
  for (auto& [k, v] : job.weights) {
    if (!o.weights.count(k)) throw InputError("`weights`: unknown weight '" + k + "' (marginal, reached, central, area, landuse, gap)");
    o.weights[k] = v;
  }

  // The graph, demand and coverage: a study's coverage step's, or read and computed here.
  const CoverageState* shared = job.shared.get();
  if (shared && !(shared->options.max_snap == o.max_snap && shared->options.grid_spacing == job.grid_spacing &&
                  !shared->options.thresholds_m.empty() && shared->options.thresholds_m.back() >= o.distance))
    shared = nullptr;
  CoverageState own;
  if (shared) {
    log.info("graph, communities, facilities and their searches: the study's coverage step's");
  } else {
    own.graph = open_network(job.network, progress, log, &own.network);
    DemandInput demand = job.demand;
    if (demand.communities.household_size <= 0) demand.communities.household_size = profile.household_size;
    poll(progress);
    own.demand = load_demand(demand, own.network, own.graph, log);
    own.options.thresholds_m = {o.distance};
    own.options.max_snap = o.max_snap;
    own.options.grid_spacing = job.grid_spacing;
    own.result = compute_coverage(own.graph, own.demand.communities.items, own.demand.services.items,
                                  own.demand.buildings, own.options);
    warn_demand(own.result, log);
  }
  const CoverageState& state = shared ? *shared : own;
  const Graph& g = state.graph;
  const NetworkReport& net = state.network;
  const Demand& d = state.demand;
  const CoverageResult& cov = state.result;

  poll(progress);
  const Landuse lu = load_landuse_index(job.landuse, profile, g.crs_wkt, log);
  if (lu.layer) note_crs(log, "land-use parcels", lu.layer->source_crs, net, g);
  SiteReport rep;
  auto& cands = rep.candidates;
  if (job.candidates_from_landuse) {
    cands = candidates_from_landuse(g, *lu.layer, *lu.index, job.parcel_spacing, d.communities.items);
  } else {
    SiteLayerOptions copt = job.candidates;
    copt.services.osm_tags = false;
    copt.services.need_functions = false;
    const SiteLayer layer = load_sites(copt, g.crs_wkt);
    cands = candidates_from_sites(layer.services.items, layer.attributes);
  }
  if (cands.empty()) throw InputError("no candidate site");
  poll(progress);
  rep.result = select_sites(g, d.communities.items, cov, cands, profile, lu.index.get(), o);
  const SiteResult& r = rep.result;

  int eligible = 0;
  for (auto& c : r.candidates) eligible += c.eligible;
  std::string bundle;
  for (int f : o.functions) bundle += (bundle.empty() ? "" : "+") + std::string(service_functions()[f].id);
  log.info("candidates: " + std::to_string(cands.size()) +
           (job.candidates_from_landuse ? " from eligible parcels in the study area" : "") + ", " +
           std::to_string(eligible) + " eligible (the others keep their reason in the output)");
  log.info("need: " + fixed(r.need_total, 0) + " households without " + bundle + " within " + fixed(o.distance, 0) +
           " m; " + fixed(r.need_coverable, 0) + " of them within reach of an eligible candidate");
  int by_area = 0;
  for (auto& cr : r.candidates) by_area += cr.eligible && cr.capacity > 0 && o.capacity <= 0;
  if (o.capacity > 0)
    log.info("capacity: " + fixed(o.capacity, 0) + " households per site (--capacity)");
  else if (by_area > 0)
    log.info("capacity: " + std::to_string(by_area) + " eligible candidates serve the households their floor area provides "
             "for at the profile's m2 per 100 households (" + std::to_string(eligible - by_area) +
             " without an area: unlimited; `area_capacity` off to ignore)");
  else
    log.info("capacity: unlimited (no candidate floor area known)");
  log.info("chosen (" + r.selection.method + "):");
  double cum = 0;
  for (auto c : r.chosen) {
    const auto& cr = r.candidates[c];
    cum += cr.gain;
    log.info("  " + std::to_string(cr.order) + ". " + cands[c].id + "  +" + fixed(cr.gain, 0) + " households (total " +
             fixed(cum, 0) + "); their standard for all embedded services " + fixed(cr.all_services_area_m2, 0) + " m2" +
             (std::isnan(cr.function_area_m2) ? "" : ", the function's own minimum " + fixed(cr.function_area_m2, 0) + " m2"));
  }
  log.info("gap: " + r.gap_note);
  OutputOptions out = job.output;
  out.inputs = {job.network.roads.path, job.demand.communities.path, job.demand.services.points.path,
                job.demand.buildings.path, job.candidates.services.points.path, job.landuse.path};
  poll(progress);
  rep.files = write_sites(g, d.communities.items, cands, r, out);
  for (auto& f : rep.files) log.info("wrote " + f);
  return rep;
}

}  // namespace walkshed
