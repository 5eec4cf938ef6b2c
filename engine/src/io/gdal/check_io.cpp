// Sites and their rule attributes in; rule results out (layer and CSV).
#include "walkshed/io/check.hpp"

#include <cmath>
#include <filesystem>
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
  auto text = [&](const OGRFeature& f, const char* key) {
    int i = index[key];
    if (i < 0 || !f.IsFieldSetAndNotNull(i)) return std::string();
    std::string v = f.GetFieldAsString(i);
    v.erase(0, v.find_first_not_of(" \t"));
    v.erase(v.find_last_not_of(" \t") + 1);
    return v;
  };
  auto date = [&](const OGRFeature& f, const char* key) {
    const std::string v = text(f, key);
    if (v.empty()) return kNoDate;
    const int d = parse_date(v);
    if (d == kNoDate) {
      if (out.bad_dates++ == 0)
        out.bad_date_example = std::string(key) + " '" + v + "' (feature " + std::to_string(f.GetFID()) + ")";
    }
    return d;
  };
  auto opts = o.services;
  opts.points.keep_footprints = true;
  if (auto it = o.fields.find("operator_id"); it != o.fields.end()) opts.points.operator_field = it->second;
  out.services = load_services(opts, target_wkt, [&](const OGRFeature& f, ServiceFacility& s) {
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
    a.operator_id = s.point.operator_id, a.operator_name = text(f, "operator_name");  // the id read with the point
    a.model = text(f, "model"), a.grade = text(f, "grade");
    a.quarterly_report = date(f, "quarterly_report"), a.yearly_report = date(f, "yearly_report");
    a.self_assessment = date(f, "self_assessment"), a.third_party_evaluation = date(f, "third_party_evaluation");
    a.suspension = date(f, "suspension"), a.suspension_notice = date(f, "suspension_notice");
    out.attributes.push_back(a);
  });
  return out;
}

namespace {

FieldValue outcome_of(const std::vector<RuleResult>& results, const std::string& id) {
  for (auto& r : results)
    if (r.rule == id) return FieldValue{outcome_name(r.outcome)};
  return FieldValue{};
}

// The operators layer: one multipoint per operator (its facilities), its functions, reach and rules.
void write_operators(const Profile& p, const std::string& crs_wkt, const std::vector<CheckedSite>& sites,
                     const std::vector<OperatorResult>& ops, const CheckContext& c, OutputSet& set, const std::string& csv) {
  using I = std::int64_t;
  using O = OperatorResult;
  auto ids = [&](const O& op) {
    std::string s;
    for (std::size_t i : op.sites) s += (s.empty() ? "" : ";") + sites[i].facility.point.id;
    return s;
  };
  Schema<O> schema = {
      {"operator_id", FieldType::Text, "op_id", "运营商编号", [](const O& o) { return FieldValue{o.id.c_str()}; }},
      {"name", FieldType::Text, "", "运营商名称", [](const O& o) { return FieldValue{o.name.c_str()}; }},
      {"facilities", FieldType::Integer, "n_fac", "设施数", [](const O& o) { return FieldValue{I(o.sites.size())}; }},
      {"facility_ids", FieldType::Text, "fac_ids", "设施编号", [=](const O& o) { return FieldValue{ids(o)}; }},
      {"functions", FieldType::Text, "", "提供的服务功能", [](const O& o) { return FieldValue{function_list(o.functions)}; }},
      {"n_functions", FieldType::Integer, "n_fn", "服务功能数",
       [](const O& o) { return FieldValue{I(__builtin_popcount(o.functions))}; }},
      {"models", FieldType::Text, "", "运营模式", [](const O& o) { return FieldValue{o.models.c_str()}; }},
      {"grades", FieldType::Text, "", "等级或评级", [](const O& o) { return FieldValue{o.grades.c_str()}; }},
      {"area_m2", FieldType::Real, "", "建筑面积合计(平方米)", [](const O& o) { return FieldValue{o.area_m2}; }}};
  for (int fn = 0; fn < kFunctionCount; ++fn)
    for (std::size_t b = 0; b < c.bands_m.size(); ++b) {
      const auto& sf = service_functions()[fn];
      const std::string t = short_number(c.bands_m[b]);  // as the coverage layers name their bands
      schema.push_back({std::string(sf.id) + "_" + t + "m_hh", FieldType::Real, std::string(sf.code) + t + "hh",
                        std::string(sf.label) + " 步行" + t + "米内户数",
                        [fn, b](const O& o) {
                          return b < o.reached[fn].size() ? real_or_null(o.reached[fn][b]) : FieldValue{};
                        }});
    }
  for (auto& col : check_columns())
    if (col.id == "min_functions" || col.id == "core_four" || col.id == "elderly_or_infant" || is_operation_rule(col.id))
      schema.push_back({col.id, FieldType::Text, col.short_name, col.label + " 判定",
                        [id = col.id](const O& o) { return outcome_of(o.results, id); }});
  schema.insert(schema.end(), {
      {"summary", FieldType::Text, "", "总体判定", [](const O& o) { return FieldValue{o.summary.c_str()}; }},
      {"errors", FieldType::Integer, "", "不符合的强制条款数", [](const O& o) { return FieldValue{I(o.errors)}; }},
      {"warnings", FieldType::Integer, "", "不符合的建议条款数", [](const O& o) { return FieldValue{I(o.warnings)}; }},
      {"missing", FieldType::Integer, "", "缺少数据的条款数", [](const O& o) { return FieldValue{I(o.missing)}; }},
      {"as_of", FieldType::Text, "", "判定基准日", [&c](const O&) { return FieldValue{date_text(c.as_of)}; }},
      {"text_standing", FieldType::Text, "standing", "文件效力", [&c](const O&) { return FieldValue{c.standing.c_str()}; }},
      {"profile", FieldType::Text, "", "规则集", [&p](const O&) { return FieldValue{p.name.c_str()}; }}});
  auto w = set.add_layer("operators", wkbMultiPoint, working_srs(crs_wkt), schema);
  std::ostringstream out;
  out << "operator_id,name,facilities,facility_ids,functions,n_functions,models,grades,rule,result,value,threshold,unit,"
         "severity,source,note\n";
  for (auto& op : ops) {
    auto f = w.new_feature(schema, op);
    auto* mp = new OGRMultiPoint;
    for (std::size_t i : op.sites) mp->addGeometryDirectly(new OGRPoint(sites[i].facility.point.point.x, sites[i].facility.point.point.y));
    f->SetGeometryDirectly(mp);
    w.write(*f);
    for (auto& r : op.results)
      out << csv_text(op.id) << ',' << csv_text(op.name) << ',' << op.sites.size() << ',' << csv_text(ids(op)) << ','
          << function_list(op.functions) << ',' << __builtin_popcount(op.functions) << ',' << csv_text(op.models) << ','
          << csv_text(op.grades) << ',' << r.rule << ',' << outcome_name(r.outcome) << ',' << csv_number(r.value) << ','
          << csv_number(r.threshold) << ',' << r.unit << ','
          << (r.outcome == Outcome::NotApplicable ? "" : severity_name(r.severity)) << ',' << csv_text(r.source) << ','
          << csv_text(r.note) << '\n';
  }
  // Beside the rule table: <csv>_operators.csv by default, x_operators.csv for a given x_rules.csv.
  std::string path = csv;
  const std::string rules = "_rules.csv";
  if (path.size() > rules.size() && path.compare(path.size() - rules.size(), rules.size(), rules) == 0)
    path.replace(path.size() - rules.size(), rules.size(), "_operators.csv");
  else if (!path.empty())
    path = (std::filesystem::path(path).parent_path() / (std::filesystem::path(path).stem().string() + "_operators.csv")).string();
  set.add_text(path, "_operators.csv", out.str(),
               {{"operator_id", "运营商编号"}, {"name", "名称"}, {"facilities", "设施数"}, {"facility_ids", "设施编号"},
                {"functions", "服务功能"}, {"n_functions", "服务功能数"}, {"models", "运营模式"}, {"grades", "等级或评级"},
                {"rule", "条款"}, {"result", "判定"}, {"value", "数值"}, {"threshold", "标准值"}, {"unit", "单位"},
                {"severity", "约束程度"}, {"source", "依据"}, {"note", "说明"}});
}

}  // namespace

std::vector<std::string> write_check(const Profile& p, const std::string& crs_wkt, const std::vector<CheckedSite>& sites,
                                     const std::vector<OperatorResult>& operators, const CheckContext& c,
                                     const OutputOptions& o) {
  using I = std::int64_t;
  using S = CheckedSite;
  OutputTarget target(o);
  OutputSet& set = target.set();
  auto parcel = [](const S& s) { return s.landuse.parcel >= 0; };
  Schema<S> schema = {
      {"fac_id", FieldType::Text, "", "设施编号", [](const S& s) { return FieldValue{s.facility.point.id.c_str()}; }},
      {"name", FieldType::Text, "", "名称", [](const S& s) { return FieldValue{s.facility.point.name.c_str()}; }},
      {"operator_id", FieldType::Text, "op_id", "运营商编号", [](const S& s) { return FieldValue{s.attributes.operator_id.c_str()}; }},
      {"operator_name", FieldType::Text, "op_name", "运营商名称",
       [](const S& s) { return FieldValue{s.attributes.operator_name.c_str()}; }},
      {"model", FieldType::Text, "", "运营模式", [](const S& s) { return FieldValue{s.attributes.model.c_str()}; }},
      {"grade", FieldType::Text, "", "等级或评级", [](const S& s) { return FieldValue{s.attributes.grade.c_str()}; }},
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
    schema.push_back({col.id, FieldType::Text, col.short_name, col.label + " 判定",
                      [id = col.id](const S& s) { return outcome_of(s.results, id); }});
  schema.insert(schema.end(), {
      {"summary", FieldType::Text, "", "总体判定", [](const S& s) { return FieldValue{s.summary.c_str()}; }},
      {"errors", FieldType::Integer, "", "不符合的强制条款数", [](const S& s) { return FieldValue{I(s.errors)}; }},
      {"warnings", FieldType::Integer, "", "不符合的建议条款数", [](const S& s) { return FieldValue{I(s.warnings)}; }},
      {"infos", FieldType::Integer, "", "不符合的鼓励条款数", [](const S& s) { return FieldValue{I(s.infos)}; }},
      {"missing", FieldType::Integer, "", "缺少数据的条款数", [](const S& s) { return FieldValue{I(s.missing)}; }},
      {"subsidy_cny", FieldType::Real, "subsidy", "补助金额(元)", [](const S& s) { return real_or_null(s.subsidy_cny); }},
      {"subsidy_basis", FieldType::Text, "subs_basis", "补助计算依据", [](const S& s) { return FieldValue{s.subsidy_basis.c_str()}; }},
      {"as_of", FieldType::Text, "", "判定基准日", [&c](const S&) { return FieldValue{date_text(c.as_of)}; }},
      {"text_standing", FieldType::Text, "standing", "文件效力", [&c](const S&) { return FieldValue{c.standing.c_str()}; }},
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
  if (!operators.empty()) write_operators(p, crs_wkt, sites, operators, c, set, o.csv);
  detail::style_check_layer(set, !operators.empty());
  return target.commit();
}

}  // namespace walkshed
