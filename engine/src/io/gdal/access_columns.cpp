#include "io/gdal/access_columns.hpp"

#include <sstream>

#include "walkshed/core/text.hpp"
#include "walkshed/io/output.hpp"

namespace walkshed::detail {

namespace {

std::string metres(double m) { return short_number(m); }

const PopulationGroup& group_of(const AccessTables& a, int fn) {
  return a.population->groups[a.population->function_group[fn]];
}

std::string group_text(const PopulationGroup& g) {
  return !g.label.empty() ? g.label : g.everyone ? "全体居民" : g.id;
}

}  // namespace

AccessRows access_rows(const std::vector<Community>& communities, const CoverageResult& cov, const CoverageOptions& o,
                       const AccessTables& acc) {
  const AccessResult& a = *acc.result;
  const std::size_t C = communities.size(), S = cov.streets.size(), G = acc.population->groups.size();
  const std::size_t B = o.thresholds_m.size();
  AccessRows rows;
  rows.communities = C;
  rows.rows.resize(C + S + 1);
  rows.group_people.assign(C + S + 1, std::vector<double>(G, 0));
  rows.group_estimated.assign(C + S + 1, std::vector<int>(G, 0));
  std::map<std::string, std::size_t> street;
  for (std::size_t s = 0; s < S; ++s) street[cov.streets[s].name] = s;
  // Sums of people and of people x measure, turned into means at the end.
  std::vector<std::array<std::array<double, 5>, kFunctionCount>> sums(C + S + 1);
  for (auto& r : rows.rows)
    for (auto& f : r) f.covered.assign(B, 0);
  for (std::size_t c = 0; c < C; ++c) {
    std::vector<std::size_t> into = {c, rows.total_row()};
    auto it = street.find(communities[c].street);
    if (!communities[c].street.empty() && it != street.end()) into.push_back(rows.street_row(it->second));
    for (std::size_t k = 0; k < G; ++k)
      for (auto r : into) {
        rows.group_people[r][k] += a.groups[c][k].people;
        rows.group_estimated[r][k] += a.groups[c][k].from_census;
      }
    for (int fn = 0; fn < kFunctionCount; ++fn) {
      const FunctionAccess& f = a.functions[fn];
      const double p = f.community_people[c];
      for (auto r : into) {
        auto& x = rows.rows[r][fn];
        x.people += p;
        for (std::size_t b = 0; b < B; ++b) x.covered[b] += f.covered[c][b];
        if (p > 0) {
          auto& s = sums[r][fn];
          s[0] += p * f.community_fca[c], s[1] += p * f.community_efca[c], s[2] += p * f.community_gfca[c];
          s[3] += p * f.community_gravity[c];
        }
        if (std::isfinite(f.shortfall[c])) sums[r][fn][4] += f.shortfall[c];
      }
    }
  }
  for (std::size_t r = 0; r < rows.rows.size(); ++r)
    for (int fn = 0; fn < kFunctionCount; ++fn) {
      auto& x = rows.rows[r][fn];
      const auto& s = sums[r][fn];
      if (x.people > 0) x.fca = s[0] / x.people, x.efca = s[1] / x.people, x.gfca = s[2] / x.people, x.gravity = s[3] / x.people;
      if (std::isfinite((*acc.supply)[fn].target_per100)) x.shortfall = s[4];
    }
  return rows;
}

Schema<std::size_t> access_columns(const AccessRows& rows, const CoverageOptions& o, const AccessTables& acc) {
  using I = std::int64_t;
  Schema<std::size_t> f;
  const auto& groups = acc.population->groups;
  for (std::size_t k = 0; k < groups.size(); ++k) {
    const auto& g = groups[k];
    f.push_back({"people_" + g.id, FieldType::Real, "pp_" + g.id.substr(0, 7), group_text(g) + "人数",
                 [&rows, k](std::size_t r) { return FieldValue{rows.group_people[r][k]}; }});
    if (!g.everyone)
      f.push_back({"people_" + g.id + "_est", FieldType::Integer, "pe_" + g.id.substr(0, 7),
                   group_text(g) + "人数按普查比例估算的社区数",
                   [&rows, k](std::size_t r) { return FieldValue{I(rows.group_estimated[r][k])}; }});
  }
  for (int fn = 0; fn < kFunctionCount; ++fn) {
    const auto& sf = service_functions()[fn];
    const std::string id = sf.id, code = sf.code, label = sf.label, unit = (*acc.supply)[fn].unit;
    const std::string who = group_text(group_of(acc, fn));
    auto col = [&](const std::string& name, const std::string& shrt, const std::string& lab, auto get) {
      f.push_back({id + "_" + name, FieldType::Real, code + shrt, label + " " + lab,
                   [&rows, fn, get](std::size_t r) { return real_or_null(get(rows.rows[r][fn])); }});
    };
    using F = AccessRows::Function;
    col("people", "pp", "服务对象人数(" + who + ")", [](const F& x) { return x.people; });
    for (std::size_t b = 0; b < o.thresholds_m.size(); ++b) {
      const std::string t = metres(o.thresholds_m[b]);
      col(t + "m_people_share", t + "ps", "步行" + t + "米内服务对象比例",
          [b](const F& x) { return x.people > 0 ? x.covered[b] / x.people : kUnknown; });
    }
    col("2sfca", "fca", "两步移动搜寻法 每百名服务对象" + unit, [](const F& x) { return x.fca; });
    col("e2sfca", "efc", "增强两步移动搜寻法 每百名服务对象" + unit, [](const F& x) { return x.efca; });
    col("g2sfca", "gfc", "高斯两步移动搜寻法 每百名服务对象" + unit, [](const F& x) { return x.gfca; });
    col("gravity", "grv", "重力可达性(" + unit + ")", [](const F& x) { return x.gravity; });
    if (std::isfinite((*acc.supply)[fn].target_per100))
      col("shortfall", "sht", "供给缺口(" + unit + ")", [](const F& x) { return x.shortfall; });
  }
  return f;
}

Schema<std::size_t> demand_access_columns(const AccessTables& acc) {
  Schema<std::size_t> f;
  const AccessResult& a = *acc.result;
  std::vector<int> first(acc.population->groups.size(), -1);  // a function of each group: its people per point
  for (int fn = kFunctionCount - 1; fn >= 0; --fn) first[acc.population->function_group[fn]] = fn;
  for (std::size_t k = 0; k < first.size(); ++k) {
    if (first[k] < 0) continue;
    const auto& g = acc.population->groups[k];
    const auto& people = a.functions[first[k]].people;
    f.push_back({"people_" + g.id, FieldType::Real, "pp_" + g.id.substr(0, 7), group_text(g) + "人数",
                 [&people](std::size_t i) { return FieldValue{people[i]}; }});
  }
  for (int fn = 0; fn < kFunctionCount; ++fn) {
    const auto& sf = service_functions()[fn];
    const FunctionAccess& x = a.functions[fn];
    const std::string id = sf.id, code = sf.code, label = sf.label, unit = (*acc.supply)[fn].unit;
    f.push_back({id + "_2sfca", FieldType::Real, code + "fca", label + " 两步移动搜寻法 每百名服务对象" + unit,
                 [&x](std::size_t i) { return FieldValue{x.fca[i]}; }});
    f.push_back({id + "_e2sfca", FieldType::Real, code + "efc", label + " 增强两步移动搜寻法 每百名服务对象" + unit,
                 [&x](std::size_t i) { return FieldValue{x.efca[i]}; }});
    f.push_back({id + "_g2sfca", FieldType::Real, code + "gfc", label + " 高斯两步移动搜寻法 每百名服务对象" + unit,
                 [&x](std::size_t i) { return FieldValue{x.gfca[i]}; }});
    f.push_back({id + "_gravity", FieldType::Real, code + "grv", label + " 重力可达性(" + unit + ")",
                 [&x](std::size_t i) { return FieldValue{x.gravity[i]}; }});
  }
  return f;
}

Schema<std::size_t> facility_access_columns(const AccessTables& acc) {
  Schema<std::size_t> f;
  for (int fn = 0; fn < kFunctionCount; ++fn) {
    const auto& sf = service_functions()[fn];
    const FunctionAccess& x = acc.result->functions[fn];
    const std::string id = sf.id, code = sf.code, label = sf.label, unit = (*acc.supply)[fn].unit;
    f.push_back({id + "_supply", FieldType::Real, code + "sup", label + " 供给(" + unit + ")",
                 [&x](std::size_t j) { return real_or_null(x.supply[j]); }});
    f.push_back({id + "_ratio", FieldType::Real, code + "rat", label + " 范围内每百名服务对象" + unit,
                 [&x](std::size_t j) { return real_or_null(x.ratio[j]); }});
  }
  return f;
}

std::string access_table(const AccessRows& rows, const CoverageOptions& o, const AccessTables& acc,
                         std::map<std::string, std::string>& labels) {
  const AccessResult& a = *acc.result;
  const auto& total = rows.rows[rows.total_row()];
  std::ostringstream s;
  s << "function,label,group,group_label,ages,people,estimated_communities,supply,unit,supply_source";
  labels.insert({{"function", "服务功能"}, {"label", "名称"}, {"group", "服务对象"}, {"group_label", "服务对象名称"},
                 {"ages", "年龄段"}, {"people", "服务对象人数"}, {"estimated_communities", "按普查比例估算的社区数"},
                 {"supply", "供给"}, {"unit", "供给单位"}, {"supply_source", "供给依据"}});
  for (double t : o.thresholds_m) {
    const std::string n = "share_" + metres(t) + "m";
    s << ',' << n;
    labels[n] = "步行" + metres(t) + "米内服务对象比例";
  }
  s << ",distance_m,2sfca_per100,e2sfca_per100,g2sfca_per100,gravity,target_per100,shortfall\n";
  labels.insert({{"distance_m", "搜寻半径(米)"}, {"2sfca_per100", "两步移动搜寻法 每百名服务对象供给"},
                 {"e2sfca_per100", "增强两步移动搜寻法 每百名服务对象供给"}, {"g2sfca_per100", "高斯两步移动搜寻法 每百名服务对象供给"},
                 {"gravity", "重力可达性"}, {"target_per100", "每百名服务对象供给标准"}, {"shortfall", "供给缺口"}});
  auto num = [](double v) { return std::isfinite(v) ? csv_number(v) : std::string(); };
  for (int fn = 0; fn < kFunctionCount; ++fn) {
    const auto& sf = service_functions()[fn];
    const int k = acc.population->function_group[fn];
    const auto& g = acc.population->groups[k];
    const auto& sp = (*acc.supply)[fn];
    const auto& x = total[fn];
    s << sf.id << ',' << csv_text(sf.label) << ',' << g.id << ',' << csv_text(group_text(g)) << ','
      << (g.everyone ? "all" : age_label(g.ages)) << ',' << num(x.people) << ',' << rows.group_estimated[rows.total_row()][k]
      << ',' << num(a.functions[fn].supply_total) << ',' << csv_text(sp.unit) << ',' << csv_text(sp.source);
    for (std::size_t b = 0; b < o.thresholds_m.size(); ++b) s << ',' << num(x.people > 0 ? x.covered[b] / x.people : kUnknown);
    s << ',' << num(a.distance) << ',' << num(x.fca) << ',' << num(x.efca) << ',' << num(x.gfca) << ',' << num(x.gravity) << ','
      << num(sp.target_per100) << ',' << num(x.shortfall) << '\n';
  }
  return s.str();
}

}  // namespace walkshed::detail
