// Coverage outputs: layers for QGIS and a CSV summary table.
#include <cmath>
#include <sstream>

#include "io/gdal/access_columns.hpp"
#include "io/gdal/gdal_util.hpp"
#include "walkshed/io/coverage.hpp"
#include "walkshed/core/error.hpp"
#include "io/gdal/styles.hpp"
#include "walkshed/io/output.hpp"

namespace walkshed {

namespace {

std::string band_label(double metres) {
  std::ostringstream s;
  s << metres;
  return s.str();
}

using I = std::int64_t;

// The per-community indicators (also of a street and the whole area in the CSV).
Schema<CommunityResult> indicator_columns(const CoverageOptions& o) {
  Schema<CommunityResult> f = {
      {"households", FieldType::Real, "households", "户数", [](const CommunityResult& c) { return FieldValue{c.households}; }},
      {"demand_pts", FieldType::Integer, "demand_pts", "需求点数",
       [](const CommunityResult& c) { return FieldValue{I(c.demand_points)}; }},
      {"unreach_hh", FieldType::Real, "unreach_hh", "无法到达路网的户数",
       [](const CommunityResult& c) { return FieldValue{c.unreachable_households}; }}};
  for (int fn = 0; fn < kFunctionCount; ++fn) {
    const auto& sf = service_functions()[fn];
    for (std::size_t b = 0; b < o.thresholds_m.size(); ++b) {
      const std::string t = band_label(o.thresholds_m[b]);
      f.push_back({std::string(sf.id) + "_" + t + "m_hh", FieldType::Real, std::string(sf.code) + t + "hh",
                   std::string(sf.label) + " 步行" + t + "米内户数",
                   [fn, b](const CommunityResult& c) { return FieldValue{c.covered[fn][b]}; }});
      f.push_back({std::string(sf.id) + "_" + t + "m_share", FieldType::Real, std::string(sf.code) + t + "sh",
                   std::string(sf.label) + " 步行" + t + "米内户数比例", [fn, b](const CommunityResult& c) {
                     return c.households > 0 ? FieldValue{c.covered[fn][b] / c.households} : FieldValue{};
                   }});
    }
  }
  const std::string outer = band_label(o.thresholds_m.back());
  f.push_back({"functions_" + outer + "m", FieldType::Integer, "fn_" + outer, "步行" + outer + "米内服务功能数",
               [](const CommunityResult& c) { return FieldValue{I(c.functions_reached)}; }});
  f.push_back({"area_m2", FieldType::Real, "area_m2", "服务设施面积(平方米)", [](const CommunityResult& c) { return FieldValue{c.area_m2}; }});
  f.push_back({"area_per100", FieldType::Real, "area_p100", "每百户面积(平方米)",
               [](const CommunityResult& c) { return real_or_null(c.per100); }});
  f.push_back({"target_per100", FieldType::Real, "target_100", "每百户面积标准(平方米)", [](const CommunityResult& c) {
                 return c.target_per100 > 0 ? FieldValue{c.target_per100} : FieldValue{};
               }});
  f.push_back({"gap_m2", FieldType::Real, "gap_m2", "面积缺口(平方米)", [](const CommunityResult& c) { return FieldValue{c.gap_m2}; }});
  f.push_back({"area_pass", FieldType::Integer, "area_pass", "面积达标", [](const CommunityResult& c) { return FieldValue{I(c.pass)}; }});
  return f;
}

// A CSV cell: text quoted when needed, numbers as csv_number, null empty.
std::string csv_cell(const FieldValue& v) {
  struct Visit {
    std::string operator()(std::monostate) const { return ""; }
    std::string operator()(std::int64_t x) const { return std::to_string(x); }
    std::string operator()(double x) const { return csv_number(x); }
    std::string operator()(const char* x) const { return csv_text(x); }
    std::string operator()(const std::string& x) const { return csv_text(x); }
  };
  return std::visit(Visit{}, v);
}

}  // namespace

std::vector<std::string> write_coverage(const Graph& g, const std::vector<Community>& communities,
                                        const std::vector<ServiceFacility>& facilities, const CoverageOptions& o,
                                        const CoverageResult& r, const AccessTables& access, const OutputOptions& out) {
  OutputTarget target(out);
  OutputSet& set = target.set();
  const OGRSpatialReference srs = working_srs(g.crs_wkt);
  const auto ind = indicator_columns(o);
  const bool with_access = access.result && access.population && access.supply;
  const detail::AccessRows arows = with_access ? detail::access_rows(communities, r, o, access) : detail::AccessRows{};
  const Schema<std::size_t> acols = with_access ? detail::access_columns(arows, o, access) : Schema<std::size_t>{};
  {
    Schema<std::size_t> schema = {
        {"comm_id", FieldType::Text, "", "社区编号", [&](std::size_t i) { return FieldValue{communities[i].id.c_str()}; }},
        {"name", FieldType::Text, "", "社区名称", [&](std::size_t i) { return FieldValue{communities[i].name.c_str()}; }},
        {"street", FieldType::Text, "", "街道", [&](std::size_t i) { return FieldValue{communities[i].street.c_str()}; }},
        {"qualified", FieldType::Integer, "", "有条件的街镇", [&](std::size_t i) { return FieldValue{I(communities[i].qualified)}; }},
        {"problem", FieldType::Text, "", "数据问题", [&](std::size_t i) {
           return communities[i].problem.empty() ? FieldValue{} : FieldValue{communities[i].problem.c_str()};
         }}};
    append_columns(schema, ind, [&](std::size_t i) -> const CommunityResult& { return r.communities[i]; });
    schema.insert(schema.end(), acols.begin(), acols.end());
    auto w = set.add_layer("communities", wkbMultiPolygon, srs, schema);
    for (std::size_t i = 0; i < communities.size(); ++i) {
      std::unique_ptr<OGRGeometry> g(communities[i].geometry.empty() ? nullptr : detail::to_ogr(communities[i].geometry));
      w.write(schema, i, g.get());
    }
  }
  {
    Schema<DemandPoint> schema = {
        {"comm_id", FieldType::Text, "", "社区编号", [&](const DemandPoint& d) { return FieldValue{communities[d.community].id.c_str()}; }},
        {"households", FieldType::Real, "", "户数", [](const DemandPoint& d) { return FieldValue{d.households}; }},
        {"routable", FieldType::Integer, "", "可接入路网", [](const DemandPoint& d) { return FieldValue{I(d.snap.edge != kInvalid)}; }},
        {"snap_m", FieldType::Real, "", "到路网距离(米)", [](const DemandPoint& d) {
           return d.snap.edge != kInvalid ? FieldValue{d.snap.distance} : FieldValue{};
         }}};
    for (int fn = 0; fn < kFunctionCount; ++fn) {
      const auto& sf = service_functions()[fn];
      schema.push_back({std::string("d_") + sf.id, FieldType::Real, std::string("d_") + sf.code,
                        std::string("到最近") + sf.label + "设施步行距离(米)", [fn](const DemandPoint& d) {
                          return std::isfinite(d.distance[fn]) ? FieldValue{d.distance[fn]} : FieldValue{};
                        }});
    }
    if (with_access)
      append_columns(schema, detail::demand_access_columns(access),
                     [&](const DemandPoint& d) { return static_cast<std::size_t>(&d - r.demand.data()); });
    auto w = set.add_layer("demand_points", wkbPoint, srs, schema);
    for (auto& d : r.demand) {
      const OGRPoint p(d.point.x, d.point.y);
      w.write(schema, d, &p);
    }
  }
  {
    auto snapped = [&](std::size_t i) { return r.facility_snaps[i].edge != kInvalid; };
    Schema<std::size_t> schema = {
        {"fac_id", FieldType::Text, "", "设施编号", [&](std::size_t i) { return FieldValue{facilities[i].point.id.c_str()}; }},
        {"name", FieldType::Text, "", "名称", [&](std::size_t i) { return FieldValue{facilities[i].point.name.c_str()}; }},
        {"operator_id", FieldType::Text, "op_id", "运营商编号", [&](std::size_t i) {
           const std::string& op = facilities[i].point.operator_id;
           return op.empty() ? FieldValue{} : FieldValue{op.c_str()};
         }},
        {"functions", FieldType::Text, "", "服务功能", [&](std::size_t i) { return FieldValue{function_list(facilities[i].functions)}; }},
        {"area_m2", FieldType::Real, "", "建筑面积(平方米)", [&](std::size_t i) { return real_or_null(facilities[i].area_m2); }},
        {"comm_id", FieldType::Text, "", "所在社区编号", [&](std::size_t i) {
           return r.facility_community[i] != kInvalid ? FieldValue{communities[r.facility_community[i]].id.c_str()} : FieldValue{};
         }},
        {"routable", FieldType::Integer, "", "可接入路网", [=](std::size_t i) { return FieldValue{I(snapped(i))}; }},
        {"snap_m", FieldType::Real, "", "到路网距离(米)",
         [=, &r](std::size_t i) { return snapped(i) ? FieldValue{r.facility_snaps[i].distance} : FieldValue{}; }},
        {"shared_to", FieldType::Text, "", "面积计入社区(社区:平方米)", [&](std::size_t i) {
           std::string shares;
           for (auto& [c, a] : r.facility_share[i])
             shares += (shares.empty() ? "" : ";") + communities[c].id + ":" + csv_number(std::round(a * 100) / 100);
           return FieldValue{shares};
         }}};
    if (with_access) {
      const auto fcols = detail::facility_access_columns(access);
      schema.insert(schema.end(), fcols.begin(), fcols.end());
    }
    auto w = set.add_layer("facilities", wkbPoint, srs, schema);
    for (std::size_t i = 0; i < facilities.size(); ++i) {
      auto f = w.new_feature(schema, i);
      f->SetGeometryDirectly(new OGRPoint(facilities[i].point.point.x, facilities[i].point.point.y));
      w.write(*f);
    }
  }

  // CSV summary: communities, then streets, then the whole area.
  std::ostringstream f;
  f << "level,comm_id,name,street,qualified,problem,communities,failing";
  for (auto& d : ind) f << ',' << d.name;
  for (auto& d : acols) f << ',' << d.name;
  f << '\n';
  auto indicators = [&](const CommunityResult& c, bool group, std::size_t access_row) {
    for (auto& col : ind)
      f << ',' << (group && col.name == "target_per100" ? "" : csv_cell(col.value(c)));  // no single target for a group
    for (auto& col : acols) f << ',' << csv_cell(col.value(access_row));
    f << '\n';
  };
  for (std::size_t i = 0; i < communities.size(); ++i) {
    const Community& c = communities[i];
    f << "community," << csv_text(c.id) << ',' << csv_text(c.name) << ',' << csv_text(c.street) << ','
      << (c.qualified ? 1 : 0) << ',' << csv_text(c.problem) << ",1," << (r.communities[i].pass ? 0 : 1);
    indicators(r.communities[i], false, i);
  }
  auto summary_row = [&](const char* level, const Summary& s, std::size_t access_row) {
    f << level << ",," << csv_text(s.name) << ",,,," << s.communities << ',' << s.failing;
    indicators(s.total, true, access_row);
  };
  for (std::size_t s = 0; s < r.streets.size(); ++s) summary_row("street", r.streets[s], arows.street_row(s));
  summary_row("total", r.total, with_access ? arows.total_row() : 0);
  std::map<std::string, std::string> labels = {
      {"level", "层级"},   {"comm_id", "社区编号"},   {"name", "名称"},          {"street", "街道"},
      {"qualified", "有条件的街镇"}, {"problem", "数据问题"}, {"communities", "社区数"}, {"failing", "未达标社区数"}};
  for (auto& d : ind) labels[d.name] = d.label;
  for (auto& d : acols) labels[d.name] = d.label;
  set.add_text(out.csv, "_summary.csv", f.str(), labels);
  if (with_access) {
    std::map<std::string, std::string> alabels;
    const std::string table = detail::access_table(arows, o, access, alabels);
    // beside the summary table: x_summary.csv -> x_access.csv, x.csv -> x_access.csv
    std::string path = out.csv;
    if (!path.empty()) {
      const auto dot = path.rfind('.');
      path = path.substr(0, dot != std::string::npos && dot > path.find_last_of('/') + 1 ? dot : path.size());
      if (path.size() >= 8 && path.compare(path.size() - 8, 8, "_summary") == 0) path.resize(path.size() - 8);
      path += "_access.csv";
    }
    set.add_text(path, "_access.csv", table, alabels);
  }
  detail::style_coverage_layers(set);
  return target.commit();
}

}  // namespace walkshed
