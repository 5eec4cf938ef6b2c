// Sites and their rule attributes in; rule results out (layer and CSV).
#include "walkshed/io/check.hpp"

#include <cmath>
#include <sstream>

#include "io/gdal/gdal_util.hpp"
#include "io/gdal/styles.hpp"
#include "walkshed/io/output.hpp"

namespace walkshed {

SiteLayer load_sites(const SiteLayerOptions& o, const std::string& target_wkt) {
  SiteLayer out;
  for (auto& [key, col] : o.fields)
    if (!site_attribute_guesses().count(key)) {
      std::string keys;
      for (auto& [k, g] : site_attribute_guesses()) keys += (keys.empty() ? "" : ", ") + k;
      throw InputError("`sites.fields` " + key + "=" + col + ": unknown attribute '" + key + "' (known: " + keys + ")");
    }
  std::map<std::string, int> index;
  bool resolved = false;
  auto resolve = [&](const OGRFeature& f) {
    for (auto& [key, guesses] : site_attribute_guesses()) {
      int i = -1;
      if (auto it = o.fields.find(key); it != o.fields.end()) {
        i = f.GetFieldIndex(it->second.c_str());
        if (i < 0)
          throw InputError("facilities file '" + o.services.points.path + "': no field '" + it->second + "' (`sites.fields` " +
                           key + ")");
      } else {
        for (auto& gname : guesses)
          if ((i = f.GetFieldIndex(gname.c_str())) >= 0) break;
      }
      index[key] = i;
      if (i >= 0) out.columns[key] = f.GetFieldDefnRef(i)->GetNameRef();
    }
    resolved = true;
  };
  auto num = [&](const OGRFeature& f, const char* key) {
    int i = index[key];
    return i >= 0 && f.IsFieldSetAndNotNull(i) ? f.GetFieldAsDouble(i) : kUnknown;
  };
  auto flag = [&](const OGRFeature& f, const char* key) {
    int i = index[key];
    return i >= 0 && f.IsFieldSetAndNotNull(i) ? detail::flag_value(f.GetFieldAsString(i)) : -1;
  };
  auto opts = o.services;
  opts.points.keep_footprints = true;
  out.services = load_services(opts, target_wkt, [&](const OGRFeature& f, ServiceFacility&) {
    if (!resolved) resolve(f);
    SiteAttributes a;
    a.beds = num(f, "beds"), a.places = num(f, "places");
    a.elderly_area = num(f, "elderly_area"), a.infant_area = num(f, "infant_area");
    a.max_floor = num(f, "floor");
    a.basement = flag(f, "basement");
    if (a.basement < 0 && !std::isnan(a.max_floor) && a.max_floor < 0) a.basement = 1;  // a negative floor is underground
    a.complex = flag(f, "complex"), a.qualified = flag(f, "qualified"), a.new_residential = flag(f, "new_residential");
    a.residents = num(f, "residents");
    a.indoor_fitness_m2 = num(f, "indoor_fitness_m2"), a.outdoor_fitness_m2 = num(f, "outdoor_fitness_m2");
    a.investment = num(f, "investment");
    a.eligible_area = num(f, "eligible_area");
    a.government_nonprofit = flag(f, "government_nonprofit");
    out.attributes.push_back(a);
  });
  return out;
}

std::vector<std::string> write_check(const Profile& p, const std::string& crs_wkt, const std::vector<CheckedSite>& sites,
                                     const OutputOptions& o) {
  using I = std::int64_t;
  using S = CheckedSite;
  OutputTarget target(o);
  OutputSet& set = target.set();
  auto parcel = [](const S& s) { return s.landuse.parcel >= 0; };
  Schema<S> schema = {
      {"fac_id", FieldType::Text, "", "设施编号", [](const S& s) { return FieldValue{s.facility.point.id.c_str()}; }},
      {"name", FieldType::Text, "", "名称", [](const S& s) { return FieldValue{s.facility.point.name.c_str()}; }},
      {"functions", FieldType::Text, "", "服务功能", [](const S& s) { return FieldValue{function_list(s.facility.functions)}; }},
      {"categories", FieldType::Text, "categories", "服务类别", [](const S& s) { return FieldValue{s.categories.c_str()}; }},
      {"area_m2", FieldType::Real, "", "建筑面积(平方米)", [](const S& s) { return real_or_null(s.facility.area_m2); }},
      {"parcel_id", FieldType::Text, "", "地块编号",
       [=](const S& s) { return parcel(s) ? FieldValue{s.landuse.parcel_id.c_str()} : FieldValue{}; }},
      {"landuse_code", FieldType::Text, "lu_code", "用地代码",
       [=](const S& s) { return parcel(s) ? FieldValue{s.landuse.code.c_str()} : FieldValue{}; }},
      {"landuse_class", FieldType::Text, "lu_class", "用地类别",
       [=](const S& s) { return parcel(s) ? FieldValue{s.landuse.land_class.c_str()} : FieldValue{}; }},
      {"overlap_share", FieldType::Real, "lu_share", "位于该地块的比例",
       [=](const S& s) { return parcel(s) ? FieldValue{s.landuse.overlap_share} : FieldValue{}; }}};
  for (auto& col : check_columns())
    schema.push_back({col.id, FieldType::Text, col.short_name, col.label + " 判定", [id = col.id](const S& s) {
                        for (auto& r : s.results)
                          if (r.rule == id) return FieldValue{outcome_name(r.outcome)};
                        return FieldValue{};
                      }});
  schema.insert(schema.end(), {
      {"summary", FieldType::Text, "", "总体判定", [](const S& s) { return FieldValue{s.summary.c_str()}; }},
      {"errors", FieldType::Integer, "", "不符合的强制条款数", [](const S& s) { return FieldValue{I(s.errors)}; }},
      {"warnings", FieldType::Integer, "", "不符合的建议条款数", [](const S& s) { return FieldValue{I(s.warnings)}; }},
      {"infos", FieldType::Integer, "", "不符合的鼓励条款数", [](const S& s) { return FieldValue{I(s.infos)}; }},
      {"missing", FieldType::Integer, "", "缺少数据的条款数", [](const S& s) { return FieldValue{I(s.missing)}; }},
      {"subsidy_cny", FieldType::Real, "subsidy", "补助金额(元)", [](const S& s) { return real_or_null(s.subsidy_cny); }},
      {"subsidy_basis", FieldType::Text, "subs_basis", "补助计算依据", [](const S& s) { return FieldValue{s.subsidy_basis.c_str()}; }},
      {"profile", FieldType::Text, "", "规则集", [&p](const S&) { return FieldValue{p.name.c_str()}; }}});
  auto w = set.add_layer("checked", wkbPoint, working_srs(crs_wkt), schema);
  for (auto& s : sites) {
    auto f = w.new_feature(schema, s);
    f->SetGeometryDirectly(new OGRPoint(s.facility.point.point.x, s.facility.point.point.y));
    w.write(*f);
  }
  std::ostringstream out;
  out << "fac_id,name,rule,result,value,threshold,unit,severity,source,note\n";
  for (auto& s : sites)
    for (auto& r : s.results)
      out << csv_text(s.facility.point.id) << ',' << csv_text(s.facility.point.name) << ',' << r.rule << ','
          << outcome_name(r.outcome) << ',' << csv_number(r.value) << ',' << csv_number(r.threshold) << ',' << r.unit
          << ',' << (r.outcome == Outcome::NotApplicable ? "" : severity_name(r.severity)) << ',' << csv_text(r.source)
          << ',' << csv_text(r.note) << '\n';
  set.add_text(o.csv, "_rules.csv", out.str(),
               {{"fac_id", "设施编号"}, {"name", "名称"}, {"rule", "条款"}, {"result", "判定"}, {"value", "数值"},
                {"threshold", "标准值"}, {"unit", "单位"}, {"severity", "约束程度"}, {"source", "依据"}, {"note", "说明"}});
  detail::style_check_layer(set);
  return target.commit();
}

}  // namespace walkshed
