// Coverage outputs: layers for QGIS and a CSV summary table.
#include <cmath>
#include <sstream>

#include "io/gdal/gdal_util.hpp"
#include "walkshed/io/coverage.hpp"
#include "walkshed/core/error.hpp"
#include "walkshed/io/output.hpp"

namespace walkshed {

namespace {

std::string band_label(double metres) {
  std::ostringstream s;
  s << metres;
  return s.str();
}

// Column names of the per-community indicators, in order: {long name, Shapefile name}.
std::vector<FieldDef> indicator_fields(const CoverageOptions& o) {
  std::vector<FieldDef> f = {{"households", OFTReal, "households", "户数"},
                             {"demand_pts", OFTInteger, "demand_pts", "需求点数"},
                             {"unreach_hh", OFTReal, "unreach_hh", "无法到达路网的户数"}};
  for (auto& fn : service_functions())
    for (double t : o.thresholds_m) {
      const std::string b = band_label(t);
      f.push_back({std::string(fn.id) + "_" + b + "m_hh", OFTReal, std::string(fn.code) + b + "hh",
                   std::string(fn.label) + " 步行" + b + "米内户数"});
      f.push_back({std::string(fn.id) + "_" + b + "m_share", OFTReal, std::string(fn.code) + b + "sh",
                   std::string(fn.label) + " 步行" + b + "米内户数比例"});
    }
  const std::string outer = band_label(o.thresholds_m.back());
  f.push_back({"functions_" + outer + "m", OFTInteger, "fn_" + outer, "步行" + outer + "米内服务功能数"});
  f.push_back({"area_m2", OFTReal, "area_m2", "服务设施面积(平方米)"});
  f.push_back({"area_per100", OFTReal, "area_p100", "每百户面积(平方米)"});
  f.push_back({"target_per100", OFTReal, "target_100", "每百户面积标准(平方米)"});
  f.push_back({"gap_m2", OFTReal, "gap_m2", "面积缺口(平方米)"});
  f.push_back({"area_pass", OFTInteger, "area_pass", "面积达标"});
  return f;
}

// Values in the order of indicator_fields (NaN = null).
std::vector<double> indicator_values(const CommunityResult& c, const CoverageOptions& o) {
  std::vector<double> v = {c.households, double(c.demand_points), c.unreachable_households};
  for (int fn = 0; fn < kFunctionCount; ++fn)
    for (std::size_t b = 0; b < o.thresholds_m.size(); ++b) {
      v.push_back(c.covered[fn][b]);
      v.push_back(c.households > 0 ? c.covered[fn][b] / c.households : kUnknown);
    }
  v.push_back(c.functions_reached);
  v.push_back(c.area_m2);
  v.push_back(c.per100);
  v.push_back(c.target_per100 > 0 ? c.target_per100 : kUnknown);
  v.push_back(c.gap_m2);
  v.push_back(c.pass ? 1 : 0);
  return v;
}

}  // namespace

std::vector<std::string> write_coverage(const Graph& g, const std::vector<Community>& communities,
                                        const std::vector<ServiceFacility>& facilities, const CoverageOptions& o,
                                        const CoverageResult& r, const CoverageOutputOptions& out) {
  OutputSet set(out.path, out.format, out.inputs, out.spatial_index);
  OGRSpatialReference srs;
  srs.importFromWkt(g.crs_wkt.c_str());
  srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  const auto ind = indicator_fields(o);

  {
    std::vector<FieldDef> fields = {{"comm_id", OFTString, ""},  {"name", OFTString, ""},
                                    {"street", OFTString, ""},   {"qualified", OFTInteger, ""},
                                    {"problem", OFTString, ""}};
    fields.insert(fields.end(), ind.begin(), ind.end());
    auto w = set.add_layer("communities", wkbMultiPolygon, srs, fields);
    for (std::size_t i = 0; i < communities.size(); ++i) {
      const Community& c = communities[i];
      auto f = w.new_feature();
      f->SetField(w.field("comm_id"), c.id.c_str());
      f->SetField(w.field("name"), c.name.c_str());
      f->SetField(w.field("street"), c.street.c_str());
      f->SetField(w.field("qualified"), c.qualified ? 1 : 0);
      if (!c.problem.empty()) f->SetField(w.field("problem"), c.problem.c_str());
      auto vals = indicator_values(r.communities[i], o);
      for (std::size_t k = 0; k < ind.size(); ++k)
        if (!std::isnan(vals[k])) f->SetField(w.field(ind[k].name), vals[k]);
      if (!c.geometry.empty()) f->SetGeometryDirectly(detail::to_ogr(c.geometry));
      w.write(*f);
    }
  }
  {
    std::vector<FieldDef> fields = {{"comm_id", OFTString, ""}, {"households", OFTReal, ""}, {"routable", OFTInteger, ""},
                                    {"snap_m", OFTReal, ""}};
    for (auto& fn : service_functions()) fields.push_back({std::string("d_") + fn.id, OFTReal, std::string("d_") + fn.code});
    auto w = set.add_layer("demand_points", wkbPoint, srs, fields);
    for (auto& d : r.demand) {
      auto f = w.new_feature();
      f->SetField(w.field("comm_id"), communities[d.community].id.c_str());
      f->SetField(w.field("households"), d.households);
      f->SetField(w.field("routable"), d.snap.edge != kInvalid ? 1 : 0);
      if (d.snap.edge != kInvalid) f->SetField(w.field("snap_m"), d.snap.distance);
      for (int fn = 0; fn < kFunctionCount; ++fn)
        if (std::isfinite(d.distance[fn]))
          f->SetField(w.field(std::string("d_") + service_functions()[fn].id), d.distance[fn]);
      f->SetGeometryDirectly(new OGRPoint(d.point.x, d.point.y));
      w.write(*f);
    }
  }
  {
    auto w = set.add_layer("facilities", wkbPoint, srs,
                           {{"fac_id", OFTString, ""},
                            {"name", OFTString, ""},
                            {"functions", OFTString, ""},
                            {"area_m2", OFTReal, ""},
                            {"comm_id", OFTString, ""},
                            {"routable", OFTInteger, ""},
                            {"snap_m", OFTReal, ""},
                            {"shared_to", OFTString, ""}});
    for (std::size_t i = 0; i < facilities.size(); ++i) {
      const auto& s = facilities[i];
      auto f = w.new_feature();
      f->SetField(w.field("fac_id"), s.point.id.c_str());
      f->SetField(w.field("name"), s.point.name.c_str());
      f->SetField(w.field("functions"), function_list(s.functions).c_str());
      if (!std::isnan(s.area_m2)) f->SetField(w.field("area_m2"), s.area_m2);
      if (r.facility_community[i] != kInvalid)
        f->SetField(w.field("comm_id"), communities[r.facility_community[i]].id.c_str());
      f->SetField(w.field("routable"), r.facility_snaps[i].edge != kInvalid ? 1 : 0);
      if (r.facility_snaps[i].edge != kInvalid) f->SetField(w.field("snap_m"), r.facility_snaps[i].distance);
      std::string shares;
      for (auto& [c, a] : r.facility_share[i])
        shares += (shares.empty() ? "" : ";") + communities[c].id + ":" + csv_number(std::round(a * 100) / 100);
      f->SetField(w.field("shared_to"), shares.c_str());
      f->SetGeometryDirectly(new OGRPoint(s.point.point.x, s.point.point.y));
      w.write(*f);
    }
  }

  // CSV summary: communities, then streets, then the whole area.
  std::ostringstream f;
  f << "level,comm_id,name,street,qualified,problem,communities,failing";
  for (auto& d : ind) f << ',' << d.name;
  f << '\n';
  for (std::size_t i = 0; i < communities.size(); ++i) {
    const Community& c = communities[i];
    f << "community," << csv_text(c.id) << ',' << csv_text(c.name) << ',' << csv_text(c.street) << ','
      << (c.qualified ? 1 : 0) << ',' << csv_text(c.problem) << ",1," << (r.communities[i].pass ? 0 : 1);
    for (double v : indicator_values(r.communities[i], o)) f << ',' << csv_number(v);
    f << '\n';
  }
  auto summary_row = [&](const char* level, const Summary& s) {
    f << level << ",," << csv_text(s.name) << ",,,," << s.communities << ',' << s.failing;
    auto vals = indicator_values(s.total, o);
    vals[ind.size() - 3] = kUnknown;  // no single target for a group
    for (double v : vals) f << ',' << csv_number(v);
    f << '\n';
  };
  for (auto& s : r.streets) summary_row("street", s);
  summary_row("total", r.total);
  set.add_text(out.csv, "_summary.csv", f.str());
  set.commit();
  return set.paths();
}

}  // namespace walkshed
