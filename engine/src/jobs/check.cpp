#include "walkshed/jobs/check.hpp"

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
  const Landuse lu = load_landuse_index(job.landuse, profile, wkt, log);
  CheckOptions options;
  options.overrides = job.overrides;
  options.landuse_given = lu.index != nullptr;
  CheckReport rep;
  for (std::size_t i = 0; i < layer.services.items.size(); ++i) {
    CheckedSite s;
    s.facility = layer.services.items[i];
    s.attributes = layer.attributes[i];
    if (lu.index) {
      const auto& fac = s.facility.point;
      s.landuse = fac.footprint ? lu.index->locate(*fac.footprint) : lu.index->locate(fac.point);
    }
    check_site(profile, options, s);
    (s.summary == "pass" ? rep.pass : s.summary == "warning" ? rep.warnings : s.summary == "incomplete" ? rep.incomplete : rep.errors)++;
    rep.sites.push_back(std::move(s));
  }
  poll(progress);
  OutputOptions out = job.output;
  out.inputs = {job.sites.services.points.path, job.landuse.path};
  rep.files = write_check(profile, wkt, rep.sites, out);
  log.info("result: " + std::to_string(rep.pass) + " pass, " + std::to_string(rep.warnings) + " with warnings, " +
           std::to_string(rep.errors) + " with errors, " + std::to_string(rep.incomplete) +
           " incomplete (a rule that applies lacks data)");
  for (auto& f : rep.files) log.info("wrote " + f);
  return rep;
}

}  // namespace walkshed
