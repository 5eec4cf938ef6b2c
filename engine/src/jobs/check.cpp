#include "walkshed/jobs/check.hpp"

#include <map>

#include "walkshed/core/error.hpp"
#include "walkshed/io/output.hpp"
#include "walkshed/jobs/network.hpp"

namespace walkshed {

Landuse load_landuse_index(const LanduseLayerOptions& options, const Profile& profile, const std::string& crs_wkt,
                           const Log& log) {
  Landuse out;
  if (options.path.empty()) return out;
  out.layer = std::make_unique<LanduseLayer>(load_landuse(options, crs_wkt));
  out.index = std::make_unique<ParcelIndex>(*out.layer, profile);
  const auto& lu = *out.layer;
  std::string unknown;
  for (auto& [code, n] : out.index->unknown_codes()) unknown += (unknown.empty() ? "" : ", ") + code + " x" + std::to_string(n);
  log.info("land use: " + std::to_string(lu.parcels.size()) + " parcels, codes from " + lu.code_source +
           (lu.repaired ? ", " + std::to_string(lu.repaired) + " invalid parcels repaired" : "") +
           (lu.skipped ? ", " + std::to_string(lu.skipped) + " unusable skipped" : ""));
  if (!unknown.empty()) log.warning("land-use codes no class knows (not guessed): " + unknown);
  warn_encoding(log, options.path, lu.invalid_text);
  return out;
}

CheckReport run_check(const CheckJob& job, const Progress& progress, const Log& log) {
  output_format(job.output.path, job.output.format);
  check_outputs({job.output.path, job.output.csv}, {job.sites.services.points.path, job.landuse.path},
                job.output.overwrite);
  const Profile profile = load_profile(job.profile);
  for (auto& o : job.overrides)
    if (!profile.rules.count(o)) throw InputError("`overrides`: profile " + profile.name + " has no rule '" + o + "'");
  const std::string wkt = working_crs_for(job.sites.services.points);
  const SiteLayer layer = load_sites(job.sites, wkt);
  std::string cols;
  for (auto& [k, c] : layer.columns) cols += (cols.empty() ? "" : ", ") + k + "=" + c;
  log.info("profile: " + profile.name + " (" + profile.title + ")");
  log.info("sites: " + std::to_string(layer.services.items.size()) + ", functions from " +
           layer.services.functions_source + "; attributes: " + (cols.empty() ? "none found" : cols));
  poll(progress);
  std::vector<std::string> ids;
  for (auto& s : layer.services.items) ids.push_back(s.point.id);
  warn_duplicate_ids(log, "site", ids);
  warn_encoding(log, job.sites.services.points.path, layer.services.invalid_text);
  if (layer.bad_dates)
    log.warning(std::to_string(layer.bad_dates) + " date values of " + job.sites.services.points.path +
                " are not dates (YYYY-MM-DD) and count as unknown, e.g. " + layer.bad_date_example);
  const Landuse lu = load_landuse_index(job.landuse, profile, wkt, log);
  CheckOptions options;
  options.overrides = job.overrides;
  options.landuse_given = lu.index != nullptr;
  options.as_of = job.as_of == kNoDate ? today() : job.as_of;
  for (const char* key : {"operator_id", "operator_name", "model", "grade", "quarterly_report", "yearly_report",
                          "self_assessment", "third_party_evaluation", "suspension", "suspension_notice"})
    options.operations_given = options.operations_given || layer.columns.count(key);
  CheckReport rep;
  rep.as_of = options.as_of;
  rep.standing = text_standing(profile, rep.as_of);
  if (!rep.standing.empty()) log.warning(rep.standing);
  for (std::size_t i = 0; i < layer.services.items.size(); ++i) {
    CheckedSite s;
    s.facility = layer.services.items[i];
    s.attributes = layer.attributes[i];
    if (lu.index) {
      const auto& fac = s.facility.point;
      s.landuse = fac.footprint ? lu.index->locate(*fac.footprint) : lu.index->locate(fac.point);
    }
    check_site(profile, options, s);
    rep.sites.push_back(std::move(s));
  }
  rep.operators = check_operators(profile, options, rep.sites);
  for (auto& s : rep.sites)
    (s.summary == "pass" ? rep.pass : s.summary == "warning" ? rep.warnings : s.summary == "incomplete" ? rep.incomplete : rep.errors)++;
  CheckContext context;
  context.as_of = rep.as_of, context.standing = rep.standing;
  if (job.coverage && !rep.operators.empty()) {
    // The coverage run's facilities by id; an operator's facility it lacks (unroutable, dropped) adds nothing.
    const auto& st = *job.coverage;
    std::map<std::string, std::uint32_t> at;
    for (std::uint32_t i = 0; i < st.demand.services.items.size(); ++i) at.emplace(st.demand.services.items[i].point.id, i);
    std::vector<std::vector<std::uint32_t>> groups;
    for (auto& op : rep.operators) {
      auto& g = groups.emplace_back();
      for (std::size_t i : op.sites)
        if (auto it = at.find(rep.sites[i].facility.point.id); it != at.end()) g.push_back(it->second);
    }
    auto reached = group_reach(st.graph, st.result, st.demand.services.items, groups, st.options.thresholds_m,
                               st.options.threads, progress);
    for (std::size_t k = 0; k < rep.operators.size(); ++k) rep.operators[k].reached = std::move(reached[k]);
    context.bands_m = st.options.thresholds_m;
  }
  if (!rep.operators.empty()) {
    int failing = 0;
    for (auto& op : rep.operators) failing += op.summary == "fail";
    log.info("operators: " + std::to_string(rep.operators.size()) + " (" + std::to_string(failing) + " failing a rule)" +
             (profile.operations.mix_per_operator ? "; the function mix counted per operator (" +
                                                        profile.operations.mix_source + ")"
                                                  : std::string()));
  }
  log.info("rules judged as of " + date_text(rep.as_of));
  poll(progress);
  OutputOptions out = job.output;
  out.inputs = {job.sites.services.points.path, job.landuse.path};
  rep.files = write_check(profile, wkt, rep.sites, rep.operators, context, out);
  log.info("result: " + std::to_string(rep.pass) + " pass, " + std::to_string(rep.warnings) + " with warnings, " +
           std::to_string(rep.errors) + " with errors, " + std::to_string(rep.incomplete) +
           " incomplete (a rule that applies lacks data)");
  for (auto& f : rep.files) log.info("wrote " + f);
  return rep;
}

}  // namespace walkshed
