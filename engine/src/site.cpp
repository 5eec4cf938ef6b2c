#include "walkshed/site.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include <ogr_api.h>

#include "reach.hpp"
#include "walkshed/error.hpp"
#include "walkshed/output.hpp"

namespace walkshed {

namespace {

constexpr double kCentreSearch = 5000;  // metres searched from a community centre

// The rules that can exclude a candidate for the functions it would host.
const char* kSiteRules[] = {"infant_max_floor", "infant_no_basement", "child_max_floor", "child_no_basement",
                            "elderly_min_area", "infant_min_area", "complex_min_area"};

std::string fmt(double v) {
  std::ostringstream s;
  s.precision(6);
  s << v;
  return s.str();
}

}  // namespace

std::vector<Candidate> candidates_from_sites(const SiteLayer& layer) {
  std::vector<Candidate> out;
  for (size_t i = 0; i < layer.services.items.size(); ++i) {
    const auto& s = layer.services.items[i];
    Candidate c;
    c.id = s.point.id;
    c.name = s.point.name;
    c.origin = "layer";
    c.point = s.point.point;
    c.area_m2 = s.area_m2;
    c.attributes = layer.attributes[i];
    c.footprint = s.point.footprint;
    out.push_back(std::move(c));
  }
  return out;
}

std::vector<Candidate> candidates_from_landuse(const Graph& g, const LanduseLayer& layer, const ParcelIndex& index,
                                               double spacing, const std::vector<Community>& study_area) {
  EdgeIndex edges(g);
  std::vector<Candidate> out;
  OGREnvelope extent;  // the study area: the extent of the communities
  for (auto& c : study_area)
    if (c.geometry) {
      OGREnvelope e;
      c.geometry->getEnvelope(&e);
      extent.Merge(e);
    }
  auto in_study_area = [&](const Parcel& p) { return extent.Intersects(p.envelope); };
  for (size_t i = 0; i < layer.parcels.size(); ++i) {
    const Parcel& p = layer.parcels[i];
    if (index.locate(*p.geometry).eligibility != Eligibility::Allowed || !in_study_area(p)) continue;
    // The outline vertex nearest the network.
    XY best{};
    double best_d = kUnreached;
    auto visit_ring = [&](const OGRLinearRing* ring) {
      for (int k = 0; ring && k < ring->getNumPoints(); ++k) {
        const XY v{ring->getX(k), ring->getY(k)};
        const Snap s = edges.nearest(v, best_d < kUnreached ? best_d : 1e5);
        if (s.edge != kInvalid && s.distance < best_d) best_d = s.distance, best = v;
      }
    };
    const auto t = wkbFlatten(p.geometry->getGeometryType());
    if (t == wkbPolygon) visit_ring(p.geometry->toPolygon()->getExteriorRing());
    if (t == wkbMultiPolygon)
      for (auto* poly : *p.geometry->toMultiPolygon()) visit_ring(poly->getExteriorRing());
    if (best_d == kUnreached) continue;
    Candidate c;
    c.id = "P" + p.id;
    c.name = "parcel " + p.id + " (" + p.code + ")";
    c.origin = "parcel " + p.id;
    c.point = best;
    out.push_back(c);
    if (spacing > 0) {
      OGREnvelope e = p.envelope;
      int n = 0;
      for (double y = e.MinY + spacing / 2; y < e.MaxY; y += spacing)
        for (double x = e.MinX + spacing / 2; x < e.MaxX; x += spacing) {
          OGRPoint pt(x, y);
          if (!p.geometry->Contains(&pt)) continue;
          Candidate gc = c;
          gc.id = c.id + "-" + std::to_string(++n);
          gc.point = {x, y};
          out.push_back(gc);
        }
    }
  }
  return out;
}

SiteResult select_sites(const Graph& g, const std::vector<Community>& communities, const CoverageResult& cov,
                        const std::vector<Candidate>& cands, const Profile& profile, const ParcelIndex* landuse,
                        const SiteOptions& o) {
  if (o.functions.empty()) throw InputError("no service function to site (use --function)");
  if (!(o.distance > 0)) throw InputError("--distance must be > 0");
  if (o.target_share < 0 && o.k <= 0) throw InputError("give --k (sites to choose) or --target-share");
  if (o.target_share > 1) throw InputError("--target-share must be between 0 and 1");
  SiteResult r;
  const std::size_t N = cov.demand.size(), C = cands.size();
  FunctionSet bundle = 0;
  for (int f : o.functions) bundle |= FunctionSet(1u << f);

  // Need: households still without the bundle within the distance (a share per missing function).
  std::vector<double> need(N, 0);
  for (std::size_t i = 0; i < N; ++i) {
    int missing = 0;
    for (int f : o.functions) missing += !(cov.demand[i].distance[f] <= o.distance);
    need[i] = cov.demand[i].households * missing / double(o.functions.size());
    r.need_total += need[i];
  }
  r.community_before.assign(communities.size(), 0);
  for (std::size_t i = 0; i < N; ++i) r.community_before[cov.demand[i].community] += cov.demand[i].households - need[i];

  // Community centres: household-weighted mean of the demand points, then a search from there.
  EdgeIndex edges(g);
  std::vector<XY> centre(communities.size(), XY{});
  std::vector<double> weight(communities.size(), 0);
  for (auto& d : cov.demand) {
    const double w = std::max(d.households, 1e-9);
    centre[d.community].x += w * d.point.x, centre[d.community].y += w * d.point.y, weight[d.community] += w;
  }
  std::vector<std::uint32_t> comm_of(C, kInvalid);
  for (std::size_t c = 0; c < C; ++c) {
    OGRPoint pt(cands[c].point.x, cands[c].point.y);
    for (std::size_t k = 0; k < communities.size() && comm_of[c] == kInvalid; ++k) {
      if (!communities[k].geometry) continue;
      OGREnvelope e;
      communities[k].geometry->getEnvelope(&e);
      if (pt.getX() >= e.MinX && pt.getX() <= e.MaxX && pt.getY() >= e.MinY && pt.getY() <= e.MaxY &&
          communities[k].geometry->Contains(&pt))
        comm_of[c] = k;
    }
  }

  r.candidates.resize(C);
  for (std::size_t c = 0; c < C; ++c) {
    CandidateResult& cr = r.candidates[c];
    const Candidate& cand = cands[c];
    cr.snap = edges.nearest(cand.point, o.max_snap);
    cr.eligible = true;
    auto exclude = [&](const std::string& why) {
      if (cr.eligible) cr.reason = why;
      cr.eligible = false;
    };
    if (cr.snap.edge == kInvalid) exclude("not routable: no network edge within --max-snap");
    if (landuse) {
      OGRPoint pt(cand.point.x, cand.point.y);
      cr.landuse = cand.footprint ? landuse->locate(*cand.footprint) : landuse->locate(pt);
      const bool transitional = profile.transitional_years > 0 && cand.attributes.government_nonprofit == 1 &&
                                (cr.landuse.eligibility == Eligibility::Unlisted ||
                                 cr.landuse.eligibility == Eligibility::NonConstruction) &&
                                profile.transitional != Severity::Error && profile.transitional != Severity::ErrorOverride;
      if (transitional) {
        cr.landuse_pref = 0.25;
        if (cr.eligible)
          cr.reason = "land use " + cr.landuse.code + " kept as a government non-profit facility (" +
                      profile.transitional_source + ")";
      } else switch (cr.landuse.eligibility) {
        case Eligibility::Allowed: cr.landuse_pref = 1; break;
        case Eligibility::Unlisted:
          if (profile.unlisted == Severity::Error || profile.unlisted == Severity::ErrorOverride)
            exclude("land use " + cr.landuse.code + " (" + cr.landuse.land_class + ") not allowed");
          else
            cr.landuse_pref = 0.5;
          break;
        case Eligibility::NonConstruction: exclude("non-construction land " + cr.landuse.code); break;
        case Eligibility::UnknownCode: exclude("unknown land-use code " + cr.landuse.code + " (the plan must say)"); break;
        case Eligibility::NoParcel: exclude("outside every land-use parcel"); break;
      }
    }
    // Floor, basement and size rules for the functions it would host (area rules only when known).
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
        exclude(std::string(id) + ": " + fmt(rr.value) + " vs " + fmt(rr.threshold) + " " + rr.unit + " (" + rr.source + ")");
    }
    if (!std::isnan(required) && !std::isnan(cand.area_m2)) cr.area_adequacy = std::min(1.0, cand.area_m2 / required);
  }

  // Demand within reach of every routable candidate.
  CoverProblem prob;
  prob.capacity = o.capacity;
  std::vector<std::int64_t> item_of(N, -1);
  std::vector<std::uint32_t> items;  // demand index per item
  for (std::size_t i = 0; i < N; ++i)
    if (need[i] > 0) item_of[i] = items.size(), items.push_back(i), prob.weight.push_back(need[i]);
  std::vector<std::uint32_t> eligible;  // problem candidate -> candidate index
  {
    detail::DemandReach reach(g, cov.demand);
    for (std::size_t c = 0; c < C; ++c) {
      CandidateResult& cr = r.candidates[c];
      std::vector<std::pair<std::uint32_t, double>> within;
      reach.visit(cr.snap, o.distance, [&](std::uint32_t i, double d) {
        cr.reached += cov.demand[i].households;
        cr.marginal += need[i];
        if (item_of[i] >= 0) within.push_back({std::uint32_t(item_of[i]), d});
      });
      if (!cr.eligible) continue;
      std::sort(within.begin(), within.end());
      eligible.push_back(c);
      prob.covers.emplace_back();
      prob.distance.emplace_back();
      for (auto& [it, d] : within) prob.covers.back().push_back(it), prob.distance.back().push_back(d);
    }
  }
  {
    std::vector<char> reachable(items.size(), 0);
    for (auto& cv : prob.covers)
      for (auto it : cv) reachable[it] = 1;
    for (std::size_t k = 0; k < items.size(); ++k)
      if (reachable[k]) r.need_coverable += prob.weight[k];
  }
  if (o.min_spacing > 0)
    for (std::uint32_t a = 0; a < eligible.size(); ++a)
      for (std::uint32_t b = a + 1; b < eligible.size(); ++b)
        if (distance(cands[eligible[a]].point, cands[eligible[b]].point) < o.min_spacing) prob.conflicts.push_back({a, b});

  // Centrality: walking distance from the community centre.
  {
    Search s(g);
    for (std::size_t k = 0; k < communities.size(); ++k) {
      if (weight[k] <= 0) continue;
      bool any = false;
      for (std::size_t c = 0; c < C; ++c) any |= comm_of[c] == k && r.candidates[c].snap.edge != kInvalid;
      if (!any) continue;
      const Snap cs = edges.nearest({centre[k].x / weight[k], centre[k].y / weight[k]}, 1e5);
      if (cs.edge == kInvalid) continue;
      s.clear();
      s.add_source(g.edge_u[cs.edge], cs.offset, 0);
      s.add_source(g.edge_v[cs.edge], g.edge_length[cs.edge] - cs.offset, 0);
      s.run(kCentreSearch);
      const std::vector<std::pair<std::uint32_t, double>> own = {{cs.edge, cs.offset}};
      for (std::size_t c = 0; c < C; ++c)
        if (comm_of[c] == k && r.candidates[c].snap.edge != kInvalid) {
          const double d = detail::point_distance(g, s, r.candidates[c].snap.edge, r.candidates[c].snap.offset, own);
          if (d <= kCentreSearch) r.candidates[c].central_m = d;
        }
    }
  }

  // Scores: weighted, each component scaled to [0, 1] over the eligible candidates.
  double max_marginal = 0, max_reached = 0, max_central = 0;
  for (auto c : eligible) {
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
               w("landuse") * (std::isnan(cr.landuse_pref) ? 1 : cr.landuse_pref);
  }
  std::vector<std::uint32_t> ranked = eligible;
  std::stable_sort(ranked.begin(), ranked.end(), [&](auto a, auto b) {
    if (r.candidates[a].score != r.candidates[b].score) return r.candidates[a].score > r.candidates[b].score;
    return cands[a].id < cands[b].id;
  });
  for (std::size_t k = 0; k < ranked.size(); ++k) r.candidates[ranked[k]].rank = k + 1;

  // Selection.
  double pairs = 0;
  for (auto& cv : prob.covers) pairs += cv.size();
  const bool small = pairs <= o.exact_limit;
  const bool exact = o.solver == "exact" || (o.solver == "auto" && small);
  if (o.target_share >= 0) {
    const double target = o.target_share * r.need_coverable;
    Selection heur = lscp_greedy(prob, target);
    r.heuristic_objective = heur.chosen.size();
    r.selection = heur;
    if (exact) {
      Selection ex = lscp_exact(prob, target, o.time_limit);
      if (!ex.chosen.empty() || target <= 0) {
        r.bound = ex.bound;
        r.gap_note = "greedy " + std::to_string(heur.chosen.size()) + " sites, exact " +
                     std::to_string(ex.chosen.size()) + (ex.optimal ? " (optimal)" : " (time limit; LP bound " + fmt(ex.bound) + ")");
        if (ex.chosen.size() <= heur.chosen.size()) r.selection = ex;
      }
    } else {
      r.gap_note = o.solver == "greedy" ? "greedy only (--solver greedy): no bound"
                                         : "greedy only (instance above --exact-limit " + fmt(o.exact_limit) + "): no bound";
    }
  } else {
    Selection heur = mclp_greedy(prob, o.k, true);
    r.heuristic_objective = heur.objective;
    r.selection = heur;
    if (exact) {
      Selection ex = mclp_exact(prob, o.k, o.time_limit);
      r.bound = ex.bound;
      if (ex.objective > heur.objective + 1e-9) r.selection = ex;
      r.gap = r.bound > 0 ? (r.bound - heur.objective) / r.bound : 0;
      r.gap_note = "heuristic " + fmt(heur.objective) + " households, " +
                   (ex.optimal ? "optimum " : "best bound ") + fmt(r.bound) + ": gap " + fmt(100 * r.gap) + " %";
      if (o.capacity > 0) r.gap_note += " (capacity: the MILP may split a demand point between sites)";
    } else {
      r.gap_note = o.solver == "greedy" ? "greedy only (--solver greedy): gap unknown"
                                         : "greedy only (instance above --exact-limit " + fmt(o.exact_limit) + "): gap unknown";
    }
  }

  // Chosen sites: order, gain, households served per community, area they call for.
  std::vector<char> open(prob.weight.size(), 1);
  r.community_after = r.community_before;
  for (std::size_t k = 0; k < r.selection.chosen.size(); ++k) {
    const std::uint32_t pc = r.selection.chosen[k], c = eligible[pc];
    CandidateResult& cr = r.candidates[c];
    cr.order = k + 1;
    r.chosen.push_back(c);
    std::vector<std::uint32_t> taken;
    cr.gain = site_gain(prob, pc, open, &taken);
    std::map<std::uint32_t, double> served;
    for (auto it : taken) {
      open[it] = 0;
      served[cov.demand[items[it]].community] += prob.weight[it];
    }
    for (auto& [comm, hh] : served) {
      cr.served.push_back({comm, hh});
      r.community_after[comm] += hh;
      const Rule* rule = profile.rule(communities[comm].qualified ? "area_per_100_households_qualified" : "area_per_100_households");
      cr.area_for_served_m2 += (rule ? rule->value : 30) * hh / 100;
    }
  }
  return r;
}

std::vector<std::string> write_sites(const Graph& g, const std::vector<Community>& communities,
                                     const std::vector<Candidate>& cands, const SiteResult& r,
                                     const SiteOutputOptions& out) {
  OutputSet set(out.path, out.format, out.inputs);
  OGRSpatialReference srs;
  srs.importFromWkt(g.crs_wkt.c_str());
  srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  auto served_text = [&](const CandidateResult& cr) {
    std::string s;
    for (auto& [c, hh] : cr.served) s += (s.empty() ? "" : ";") + communities[c].id + ":" + fmt(std::round(hh * 10) / 10);
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
      if (c.geometry) f->SetGeometryDirectly(OGRGeometryFactory::forceToMultiPolygon(c.geometry->clone()));
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
