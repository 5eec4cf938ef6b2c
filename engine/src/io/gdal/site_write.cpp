// Candidate sites and the chosen ones: layers and a CSV table.
#include "walkshed/io/site.hpp"

#include <cmath>
#include <sstream>

#include "io/gdal/gdal_util.hpp"
#include "walkshed/io/output.hpp"

namespace walkshed {

std::vector<std::string> write_sites(const Graph& g, const std::vector<Community>& communities,
                                     const std::vector<Candidate>& cands, const SiteResult& r,
                                     const SiteOutputOptions& out) {
  OutputSet set(out.path, out.format, out.inputs);
  OGRSpatialReference srs;
  srs.importFromWkt(g.crs_wkt.c_str());
  srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  auto served_text = [&](const CandidateResult& cr) {
    std::string s;
    for (auto& [c, hh] : cr.served) s += (s.empty() ? "" : ";") + communities[c].id + ":" + short_number(std::round(hh * 10) / 10);
    return s;
  };
  {
    auto w = set.add_layer("candidates", wkbPoint, srs,
                           {{"cand_id", OFTString, ""},       {"name", OFTString, ""},
                            {"origin", OFTString, ""},        {"eligible", OFTInteger, ""},
                            {"reason", OFTString, ""},        {"landuse_code", OFTString, "lu_code"},
                            {"landuse_class", OFTString, "lu_class"}, {"snap_m", OFTReal, ""},
                            {"hh_reached", OFTReal, ""},      {"hh_marginal", OFTReal, "hh_margin"},
                            {"central_m", OFTReal, ""},       {"area_adequacy", OFTReal, "area_adeq"},
                            {"landuse_pref", OFTReal, "lu_pref"}, {"score", OFTReal, ""},
                            {"rank", OFTInteger, ""},         {"chosen_order", OFTInteger, "chosen"}});
    for (std::size_t c = 0; c < cands.size(); ++c) {
      const auto& cr = r.candidates[c];
      auto f = w.new_feature();
      f->SetField(w.field("cand_id"), cands[c].id.c_str());
      f->SetField(w.field("name"), cands[c].name.c_str());
      f->SetField(w.field("origin"), cands[c].origin.c_str());
      f->SetField(w.field("eligible"), cr.eligible ? 1 : 0);
      f->SetField(w.field("reason"), cr.reason.c_str());
      if (cr.landuse.parcel >= 0) {
        f->SetField(w.field("landuse_code"), cr.landuse.code.c_str());
        f->SetField(w.field("landuse_class"), cr.landuse.land_class.c_str());
      }
      if (cr.snap.edge != kInvalid) f->SetField(w.field("snap_m"), cr.snap.distance);
      f->SetField(w.field("hh_reached"), cr.reached);
      f->SetField(w.field("hh_marginal"), cr.marginal);
      if (!std::isnan(cr.central_m)) f->SetField(w.field("central_m"), cr.central_m);
      if (!std::isnan(cr.area_adequacy)) f->SetField(w.field("area_adequacy"), cr.area_adequacy);
      if (!std::isnan(cr.landuse_pref)) f->SetField(w.field("landuse_pref"), cr.landuse_pref);
      if (cr.eligible) {
        f->SetField(w.field("score"), cr.score);
        f->SetField(w.field("rank"), cr.rank);
      }
      f->SetField(w.field("chosen_order"), cr.order);
      f->SetGeometryDirectly(new OGRPoint(cands[c].point.x, cands[c].point.y));
      w.write(*f);
    }
  }
  {
    auto w = set.add_layer("chosen", wkbPoint, srs,
                           {{"order", OFTInteger, ""},
                            {"cand_id", OFTString, ""},
                            {"name", OFTString, ""},
                            {"hh_added", OFTReal, ""},
                            {"hh_cumulative", OFTReal, "hh_cum"},
                            {"communities", OFTString, "comms"},
                            {"area_for_served_m2", OFTReal, "area_m2"}});
    double cum = 0;
    for (auto c : r.chosen) {
      const auto& cr = r.candidates[c];
      cum += cr.gain;
      auto f = w.new_feature();
      f->SetField(w.field("order"), cr.order);
      f->SetField(w.field("cand_id"), cands[c].id.c_str());
      f->SetField(w.field("name"), cands[c].name.c_str());
      f->SetField(w.field("hh_added"), cr.gain);
      f->SetField(w.field("hh_cumulative"), cum);
      f->SetField(w.field("communities"), served_text(cr).c_str());
      f->SetField(w.field("area_for_served_m2"), cr.area_for_served_m2);
      f->SetGeometryDirectly(new OGRPoint(cands[c].point.x, cands[c].point.y));
      w.write(*f);
    }
  }
  {
    auto w = set.add_layer("communities", wkbMultiPolygon, srs,
                           {{"comm_id", OFTString, ""},
                            {"name", OFTString, ""},
                            {"households", OFTReal, ""},
                            {"served_before", OFTReal, "served_bef"},
                            {"served_after", OFTReal, "served_aft"},
                            {"share_before", OFTReal, "share_bef"},
                            {"share_after", OFTReal, "share_aft"}});
    for (std::size_t k = 0; k < communities.size(); ++k) {
      const auto& c = communities[k];
      auto f = w.new_feature();
      f->SetField(w.field("comm_id"), c.id.c_str());
      f->SetField(w.field("name"), c.name.c_str());
      f->SetField(w.field("households"), c.households);
      f->SetField(w.field("served_before"), r.community_before[k]);
      f->SetField(w.field("served_after"), r.community_after[k]);
      if (c.households > 0) {
        f->SetField(w.field("share_before"), r.community_before[k] / c.households);
        f->SetField(w.field("share_after"), r.community_after[k] / c.households);
      }
      if (!c.geometry.empty()) f->SetGeometryDirectly(detail::to_ogr(c.geometry));
      w.write(*f);
    }
  }
  std::ostringstream f;
  f << "order,cand_id,hh_added,area_for_served_m2,communities\n";
  for (auto c : r.chosen) {
    const auto& cr = r.candidates[c];
    f << cr.order << ',' << csv_text(cands[c].id) << ',' << csv_number(cr.gain) << ','
      << csv_number(cr.area_for_served_m2) << ',' << csv_text(served_text(cr)) << '\n';
  }
  f << "# method," << csv_text(r.selection.method) << "\n# need_total," << csv_number(r.need_total)
    << "\n# need_coverable," << csv_number(r.need_coverable) << "\n# gap," << csv_text(r.gap_note) << '\n';
  set.add_text(out.csv, "_chosen.csv", f.str());
  set.commit();
  return set.paths();
}

}  // namespace walkshed
