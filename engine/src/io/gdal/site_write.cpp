// Candidate sites and the chosen ones: layers and a CSV table.
#include "walkshed/io/site.hpp"

#include <cmath>
#include <filesystem>
#include <sstream>

#include "io/gdal/gdal_util.hpp"
#include "io/gdal/styles.hpp"
#include "walkshed/io/output.hpp"

namespace walkshed {

std::vector<std::string> write_sites(const Graph& g, const std::vector<Community>& communities,
                                     const std::vector<Candidate>& cands, const SiteResult& r,
                                     const OutputOptions& out) {
  using I = std::int64_t;
  OutputTarget target(out);
  OutputSet& set = target.set();
  const OGRSpatialReference srs = working_srs(g.crs_wkt);
  auto served_text = [&](const CandidateResult& cr) {
    std::string s;
    for (auto& [c, hh] : cr.served) s += (s.empty() ? "" : ";") + communities[c].id + ":" + short_number(std::round(hh * 10) / 10);
    return s;
  };
  auto point = [&](std::size_t c) { return new OGRPoint(cands[c].point.x, cands[c].point.y); };
  {
    auto res = [&r](std::size_t c) -> const CandidateResult& { return r.candidates[c]; };
    const Schema<std::size_t> schema = {
        {"cand_id", FieldType::Text, "", "候选点编号", [&](std::size_t c) { return FieldValue{cands[c].id.c_str()}; }},
        {"name", FieldType::Text, "", "名称", [&](std::size_t c) { return FieldValue{cands[c].name.c_str()}; }},
        {"origin", FieldType::Text, "", "来源", [&](std::size_t c) { return FieldValue{cands[c].origin.c_str()}; }},
        {"eligible", FieldType::Integer, "", "可选址", [=](std::size_t c) { return FieldValue{I(res(c).eligible)}; }},
        {"reason", FieldType::Text, "", "不可选原因或说明", [=](std::size_t c) { return FieldValue{res(c).reason.c_str()}; }},
        {"landuse_code", FieldType::Text, "lu_code", "用地代码",
         [=](std::size_t c) { return res(c).landuse.parcel >= 0 ? FieldValue{res(c).landuse.code.c_str()} : FieldValue{}; }},
        {"landuse_class", FieldType::Text, "lu_class", "用地类别",
         [=](std::size_t c) { return res(c).landuse.parcel >= 0 ? FieldValue{res(c).landuse.land_class.c_str()} : FieldValue{}; }},
        {"snap_m", FieldType::Real, "", "到路网距离(米)",
         [=](std::size_t c) { return res(c).snap.edge != kInvalid ? FieldValue{res(c).snap.distance} : FieldValue{}; }},
        {"hh_reached", FieldType::Real, "", "步行范围内户数", [=](std::size_t c) { return FieldValue{res(c).reached}; }},
        {"hh_marginal", FieldType::Real, "hh_margin", "步行范围内未覆盖户数", [=](std::size_t c) { return FieldValue{res(c).marginal}; }},
        {"central_m", FieldType::Real, "", "到社区中心步行距离(米)", [=](std::size_t c) { return real_or_null(res(c).central_m); }},
        {"function_area_m2", FieldType::Real, "fn_min_m2", "该功能最低建筑面积(平方米)",
         [=](std::size_t c) { return real_or_null(res(c).function_area_m2); }},
        {"area_adequacy", FieldType::Real, "area_adeq", "面积满足程度", [=](std::size_t c) { return real_or_null(res(c).area_adequacy); }},
        {"landuse_pref", FieldType::Real, "lu_pref", "用地适宜度", [=](std::size_t c) { return real_or_null(res(c).landuse_pref); }},
        {"area_gap_m2", FieldType::Real, "gap_m2", "所达社区面积缺口(平方米)", [=](std::size_t c) { return FieldValue{res(c).area_gap_m2}; }},
        {"score", FieldType::Real, "", "综合得分",
         [=](std::size_t c) { return res(c).eligible ? FieldValue{res(c).score} : FieldValue{}; }},
        {"rank", FieldType::Integer, "", "排名", [=](std::size_t c) { return res(c).eligible ? FieldValue{I(res(c).rank)} : FieldValue{}; }},
        {"chosen_order", FieldType::Integer, "chosen", "选中顺序", [=](std::size_t c) { return FieldValue{I(res(c).order)}; }}};
    auto w = set.add_layer("candidates", wkbPoint, srs, schema);
    for (std::size_t c = 0; c < cands.size(); ++c) {
      auto f = w.new_feature(schema, c);
      f->SetGeometryDirectly(point(c));
      w.write(*f);
    }
  }
  {
    struct Chosen {
      std::size_t c;
      double cumulative;
    };
    auto res = [&r](const Chosen& k) -> const CandidateResult& { return r.candidates[k.c]; };
    const Schema<Chosen> schema = {
        {"order", FieldType::Integer, "", "选中顺序", [=](const Chosen& k) { return FieldValue{I(res(k).order)}; }},
        {"cand_id", FieldType::Text, "", "候选点编号", [&](const Chosen& k) { return FieldValue{cands[k.c].id.c_str()}; }},
        {"name", FieldType::Text, "", "名称", [&](const Chosen& k) { return FieldValue{cands[k.c].name.c_str()}; }},
        {"hh_added", FieldType::Real, "", "新增覆盖户数", [=](const Chosen& k) { return FieldValue{res(k).gain}; }},
        {"hh_cumulative", FieldType::Real, "hh_cum", "累计新增覆盖户数", [](const Chosen& k) { return FieldValue{k.cumulative}; }},
        {"communities", FieldType::Text, "comms", "新增覆盖社区(社区:户数)", [=](const Chosen& k) { return FieldValue{served_text(res(k))}; }},
        {"capacity_hh", FieldType::Real, "capacity", "可服务户数上限",
         [=](const Chosen& k) { return res(k).capacity > 0 ? FieldValue{res(k).capacity} : FieldValue{}; }},
        {"function_area_m2", FieldType::Real, "fn_min_m2", "该功能最低建筑面积(平方米)",
         [=](const Chosen& k) { return real_or_null(res(k).function_area_m2); }},
        {"all_services_area_m2", FieldType::Real, "allsvc_m2", "所服务户数对应的嵌入式服务设施总面积标准(平方米)",
         [=](const Chosen& k) { return FieldValue{res(k).all_services_area_m2}; }}};
    auto w = set.add_layer("chosen", wkbPoint, srs, schema);
    double cum = 0;
    for (auto c : r.chosen) {
      cum += r.candidates[c].gain;
      auto f = w.new_feature(schema, Chosen{c, cum});
      f->SetGeometryDirectly(point(c));
      w.write(*f);
    }
  }
  {
    auto share = [&](const std::vector<double>& served, std::size_t k) {
      return communities[k].households > 0 ? FieldValue{served[k] / communities[k].households} : FieldValue{};
    };
    const Schema<std::size_t> schema = {
        {"comm_id", FieldType::Text, "", "社区编号", [&](std::size_t k) { return FieldValue{communities[k].id.c_str()}; }},
        {"name", FieldType::Text, "", "社区名称", [&](std::size_t k) { return FieldValue{communities[k].name.c_str()}; }},
        {"households", FieldType::Real, "", "户数", [&](std::size_t k) { return FieldValue{communities[k].households}; }},
        {"served_before", FieldType::Real, "served_bef", "选址前覆盖户数", [&](std::size_t k) { return FieldValue{r.community_before[k]}; }},
        {"served_after", FieldType::Real, "served_aft", "选址后覆盖户数", [&](std::size_t k) { return FieldValue{r.community_after[k]}; }},
        {"share_before", FieldType::Real, "share_bef", "选址前覆盖比例", [&](std::size_t k) { return share(r.community_before, k); }},
        {"share_after", FieldType::Real, "share_aft", "选址后覆盖比例", [&](std::size_t k) { return share(r.community_after, k); }},
        {"gap_before_m2", FieldType::Real, "gap_bef", "选址前面积缺口(平方米)", [&](std::size_t k) { return FieldValue{r.gap_before[k]}; }},
        {"gap_after_m2", FieldType::Real, "gap_aft", "选址后面积缺口(平方米)", [&](std::size_t k) { return FieldValue{r.gap_after[k]}; }}};
    auto w = set.add_layer("communities", wkbMultiPolygon, srs, schema);
    for (std::size_t k = 0; k < communities.size(); ++k) {
      auto f = w.new_feature(schema, k);
      if (!communities[k].geometry.empty()) f->SetGeometryDirectly(detail::to_ogr(communities[k].geometry));
      w.write(*f);
    }
  }
  std::ostringstream f;
  f << "order,cand_id,hh_added,function_area_m2,all_services_area_m2,communities\n";
  for (auto c : r.chosen) {
    const auto& cr = r.candidates[c];
    f << cr.order << ',' << csv_text(cands[c].id) << ',' << csv_number(cr.gain) << ','
      << csv_number(cr.function_area_m2) << ',' << csv_number(cr.all_services_area_m2) << ','
      << csv_text(served_text(cr)) << '\n';
  }
  const std::string chosen = set.add_text(out.csv, "_chosen.csv", f.str(),
                                         {{"order", "选择顺序"}, {"cand_id", "候选点编号"}, {"hh_added", "新增覆盖户数"},
                                          {"function_area_m2", "该功能最低建筑面积(平方米)"},
                                          {"all_services_area_m2", "所服务户数对应的嵌入式服务设施总面积标准(平方米)"},
                                          {"communities", "服务社区(社区:户数)"}});
  // How the sites were chosen, as a table of its own beside the list (no comment rows in it).
  std::ostringstream m;
  m << "item,value\nmethod," << csv_text(r.selection.method) << "\nneed_total," << csv_number(r.need_total)
    << "\nneed_coverable," << csv_number(r.need_coverable) << "\ngap," << csv_text(r.gap_note) << '\n';
  const std::filesystem::path cp(chosen);
  set.add_text((cp.parent_path() / (cp.stem().string() + "_method.csv")).string(), "", m.str(),
               {{"item", "项目"}, {"value", "数值"}});
  detail::style_site_layers(set);
  return target.commit();
}

}  // namespace walkshed
