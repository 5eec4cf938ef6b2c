#include "walkshed/jobs/catchment.hpp"

#include "jobs/clock.hpp"
#include "walkshed/core/error.hpp"
#include "walkshed/core/text.hpp"
#include "walkshed/io/output.hpp"

namespace walkshed {

using detail::Clock;
using detail::seconds_since;

void thresholds_from_minutes(std::vector<double>& metres, const std::vector<double>& minutes, double walk_speed) {
  if (minutes.empty()) return;
  if (!(walk_speed > 0)) throw InputError("`walk_speed` must be > 0");
  metres.clear();
  for (double m : minutes) metres.push_back(m * walk_speed);
}

CatchmentReport run_catchment(const CatchmentJob& job, const Progress& progress, const Log& log) {
  const auto start = Clock::now();
  CatchmentOptions o = job.options;
  thresholds_from_minutes(o.thresholds_m, o.thresholds_min, job.walk_speed);
  o.lines = job.layers;
  o.polygons = o.polygons && job.layers;
  o.keep_nodes = !job.reached_nodes.empty();
  validate(o);
  const std::vector<std::string> inputs = {job.network.roads.path, job.facilities.path};
  if (job.layers) output_format(job.output.path, job.output.format);
  check_outputs({job.layers ? job.output.path : "", job.reached_nodes}, inputs, job.output.overwrite);

  CatchmentReport rep;
  const Graph g = open_network(job.network, o.threads, progress, log, rep.network, rep.timings);
  auto t = Clock::now();
  rep.facilities = load_points(job.facilities, g.crs_wkt);
  const PointLayer& fac = rep.facilities;
  rep.timings.emplace_back("facilities", seconds_since(t));
  note_crs(log, "facilities", fac.source_crs, rep.network, g);
  log.info("facilities: " + std::to_string(fac.items.size()) + " of " + std::to_string(fac.features_read) +
           " features (" + std::to_string(fac.polygons) + " polygons as points on surface, " +
           std::to_string(fac.empty_geometries) + " empty and " + std::to_string(fac.invalid_geometries) +
           " unusable geometries skipped)");
  if (fac.items.empty()) throw InputError("facilities file '" + job.facilities.path + "': no usable point");
  std::vector<std::string> ids;
  for (auto& f : fac.items) ids.push_back(f.id);
  warn_duplicate_ids(log, "facility", ids);
  warn_encoding(log, job.facilities.path, fac.invalid_text);

  poll(progress);
  const CatchmentResult r = compute_catchments(g, fac.items, o, progress);
  for (auto& s : r.snaps)
    if (s.routable) ++rep.routable, rep.largest_snap_m = std::max(rep.largest_snap_m, s.snap.distance);
  rep.settled_nodes = r.settled_nodes;
  log.info("snapped: " + std::to_string(rep.routable) + " routable (largest snap " + fixed(rep.largest_snap_m, 1) +
           " m), " + std::to_string(fac.items.size() - rep.routable) + " not routable (beyond `max_snap` " +
           fixed(o.max_snap, 0) + " m; see layer not_routable)");
  rep.timings.insert(rep.timings.end(), r.timings.begin(), r.timings.end());
  std::vector<double> snap_m;
  for (auto& s : r.snaps) snap_m.push_back(s.routable ? s.snap.distance : o.max_snap);
  suggest_datum(log, g, job.facilities, snap_m, o.max_snap, "facilities.datum");

  poll(progress);
  t = Clock::now();
  if (job.layers) {
    OutputOptions out = job.output;
    out.inputs = inputs;
    rep.files = write_catchments(g, fac.items, o, r, out, progress);
  }
  if (!job.reached_nodes.empty()) {
    write_reached_nodes(g, fac.items, r, job.reached_nodes, o.threads);
    rep.files.push_back(job.reached_nodes);
  }
  rep.timings.emplace_back("write", seconds_since(t));
  std::string bands;
  for (size_t b = 0; b < o.thresholds_m.size(); ++b) bands += (b ? "/" : "") + fixed(o.thresholds_m[b], 0);
  log.info(std::string(o.mode == CatchmentMode::Nearest ? "nearest-facility" : "per-facility") + " catchments at " +
           bands + " m: " + std::to_string(r.settled_nodes) + " nodes settled" +
           (r.invalid_polygons_repaired ? ", " + std::to_string(r.invalid_polygons_repaired) + " polygons repaired" : ""));
  for (auto& f : rep.files) log.info("wrote " + f);
  rep.timings.emplace_back("total", seconds_since(start));
  return rep;
}

}  // namespace walkshed
