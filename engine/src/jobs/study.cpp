#include "walkshed/jobs/study.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <map>
#include <sstream>
#include <type_traits>

#include "core/yaml_reader.hpp"
#include "jobs/clock.hpp"
#include "walkshed/core/error.hpp"
#include "walkshed/core/functions.hpp"
#include "walkshed/core/text.hpp"
#include "walkshed/io/output.hpp"
#include "walkshed/io/project.hpp"
#include "walkshed/io/report.hpp"
#include "walkshed/io/roads.hpp"
#include "walkshed/jobs/catchment.hpp"
#include "walkshed/jobs/check.hpp"
#include "walkshed/jobs/coverage.hpp"
#include "walkshed/jobs/site.hpp"
#include "walkshed/rules/profile.hpp"

namespace fs = std::filesystem;

namespace walkshed {

using detail::Clock;
using detail::seconds_since;

namespace {

struct Goal {
  std::vector<std::string> functions;  // or, with largest_gaps > 0, the functions found then
  int largest_gaps = 0;
  double distance = 500;
  int k = 3;
};

struct Study {
  std::string title, profile = "national";
  RoadOptions roads;
  CommunityLayerOptions communities;
  ServiceLayerOptions facilities;
  LanduseLayerOptions landuse;
  SiteLayerOptions candidates;
  bool candidates_from_landuse = false;
  std::vector<double> distances = {300, 500, 1000};
  std::vector<Goal> goals;
  std::map<std::string, std::string> supply_fields;  // function -> facility column
  std::map<std::string, double> targets;             // function -> supply per 100 residents of its group
  AccessOptions access;
  double nearest_limit = 0;  // distances to the nearest facility only this far (a partition: its halo's reach)
  std::map<std::string, std::string> facility_fields;  // check attribute key -> facility column
  int as_of = kNoDate;       // reporting duties and the text's validity judged on (kNoDate: today)
};

// A copy of n without positions (messages about a setting then name no line of the study file).
YAML::Node unmarked(const YAML::Node& n) {
  if (n.IsScalar()) return YAML::Node(n.Scalar());
  YAML::Node out(n.IsMap() ? YAML::NodeType::Map : n.IsSequence() ? YAML::NodeType::Sequence : YAML::NodeType::Null);
  if (n.IsMap())
    for (auto it = n.begin(); it != n.end(); ++it) out[unmarked(it->first)] = unmarked(it->second);
  if (n.IsSequence())
    for (const auto& item : n) out.push_back(unmarked(item));
  return out;
}

// Applies KEY=VALUE settings to the study's YAML: dotted keys into nested mappings, values as YAML;
// a path made absolute (it is relative to the current folder, not to the study file).
void apply_settings(YAML::Node& root, const std::vector<std::string>& settings) {
  for (const std::string& kv : settings) {
    const auto eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) throw InputError("setting '" + kv + "': give KEY=VALUE");
    std::vector<std::string> keys;
    for (std::size_t a = 0, b; a <= eq; a = b + 1) {
      b = std::min(kv.find('.', a), eq);
      keys.push_back(kv.substr(a, b - a));
      if (keys.back().empty()) throw InputError("setting '" + kv + "': an empty key");
    }
    YAML::Node value;
    try {
      value = unmarked(YAML::Load(kv.substr(eq + 1)));
    } catch (const std::exception& e) {
      throw InputError("setting '" + kv + "': the value is not YAML: " + e.what());
    }
    if (keys.back() == "path" && value.IsScalar()) value = fs::absolute(value.as<std::string>()).lexically_normal().string();
    std::vector<YAML::Node> chain = {root};  // yaml-cpp nodes are handles: each level is a reference
    for (std::size_t k = 0; k + 1 < keys.size(); ++k) {
      YAML::Node next = chain.back()[keys[k]];
      if (next.IsDefined() && !next.IsNull() && !next.IsMap())
        throw InputError("setting '" + kv + "': '" + keys[k] + "' is not a mapping in the study");
      if (!next.IsMap()) chain.back()[keys[k]] = YAML::Node(YAML::NodeType::Map);
      chain.push_back(chain.back()[keys[k]]);
    }
    chain.back()[keys.back()] = value;
  }
}

// Reads the study file (or none) and the settings over it: every key known, every value of its type,
// every input present.
Study read_study(const std::string& file, const std::vector<std::string>& settings) {
  const detail::YamlReader r(file.empty() ? "study settings" : "study file", file.empty() ? "--set" : file);
  YAML::Node root(YAML::NodeType::Map);
  if (!file.empty()) try {
      root = YAML::LoadFile(file);
    } catch (const YAML::ParserException& e) {
      throw InputError("study file '" + file + "', line " + std::to_string(e.mark.line + 1) + ": " + e.msg);
    } catch (const std::exception& e) {
      throw InputError("study file '" + file + "': cannot read it: " + e.what());
    }
  if (root.IsNull()) root = YAML::Node(YAML::NodeType::Map);
  if (!root.IsMap()) r.fail(root, "the study must be a mapping of keys");
  apply_settings(root, settings);
  r.keys(root, {"title", "profile", "roads", "communities", "facilities", "landuse", "candidates", "distances", "access",
                "clip", "nearest_limit", "as_of", "siting"},
         "the study");
  const fs::path base = fs::path(file).parent_path();
  Study s;
  auto input = [&](const YAML::Node& n, const char* what, bool datum, std::initializer_list<const char*> extra,
                   const std::function<void(const std::string&, const std::string&)>& set) {
    if (!n) return false;
    std::vector<const char*> allowed = {"path", "layer", "srs", "where"};
    if (datum) allowed.push_back("datum");
    allowed.insert(allowed.end(), extra.begin(), extra.end());
    if (!n.IsMap()) r.fail(n, std::string(what) + " must be a mapping (path: ..., layer: ...)");
    for (auto it = n.begin(); it != n.end(); ++it) {
      const std::string k = r.key(it->first, what);
      if (std::find_if(allowed.begin(), allowed.end(), [&](const char* a) { return k == a; }) == allowed.end())
        r.fail(it->first, "unknown key '" + k + "' in " + what);
      if (k == "age_fields" || k == "supply_fields" || k == "fields") {  // a mapping: each entry as "key.entry"
        if (!it->second.IsMap()) r.fail(it->second, std::string(what) + " " + k + " must be a mapping");
        for (auto e = it->second.begin(); e != it->second.end(); ++e)
          set(k + "." + r.key(e->first, k), r.text(e->second, std::string(what) + " " + k));
        continue;
      }
      std::string v = r.text(it->second, std::string(what) + " " + k);
      if (k == "path") {
        v = (fs::path(v).is_absolute() ? fs::path(v) : base / v).lexically_normal().string();
        std::error_code ec;
        if (!fs::exists(v, ec)) r.fail(it->second, std::string(what) + " file '" + v + "' does not exist");
      }
      set(k, v);
    }
    if (!n["path"]) r.fail(n, std::string(what) + " has no path");
    return true;
  };
  if (root["title"]) s.title = r.text(root["title"], "title");
  if (root["profile"]) s.profile = r.text(root["profile"], "profile");
  // The keys every layer has; datum for the lon/lat point and polygon layers.
  auto common = [](auto& o, const std::string& k, const std::string& v) {
    if (k == "path") o.path = v;
    if (k == "layer") o.layer = v;
    if (k == "srs") o.source_srs = v;
    if (k == "where") o.where = v;
    if constexpr (!std::is_same_v<std::decay_t<decltype(o)>, RoadOptions>)
      if (k == "datum") o.datum = v;
  };
  auto points = [&](PointLayerOptions& p, const std::string& k, const std::string& v) {
    common(p, k, v);
    if (k == "id_field") p.id_field = v;
    if (k == "name_field") p.name_field = v;
  };
  if (!input(root["roads"], "roads", false, {"crs"}, [&](const std::string& k, const std::string& v) {
        common(s.roads, k, v);
        if (k == "crs") s.roads.target_srs = v;
      }))
    r.fail(root, "no roads");
  if (!input(root["communities"], "communities", true,
             {"id_field", "name_field", "households_field", "population_field", "street_field", "qualified_field",
              "age_fields"},
             [&](const std::string& k, const std::string& v) {
               auto& c = s.communities;
               common(c, k, v);
               if (k.rfind("age_fields.", 0) == 0) c.age_fields[k.substr(11)] = v;
               if (k == "id_field") c.id_field = v;
               if (k == "name_field") c.name_field = v;
               if (k == "households_field") c.households_field = v;
               if (k == "population_field") c.population_field = v;
               if (k == "street_field") c.street_field = v;
               if (k == "qualified_field") c.qualified_field = v;
             }))
    r.fail(root, "no communities");
  if (!input(root["facilities"], "facilities", true,
             {"id_field", "name_field", "functions_field", "area_field", "supply_fields", "fields"},
             [&](const std::string& k, const std::string& v) {
               points(s.facilities.points, k, v);
               if (k.rfind("fields.", 0) == 0) {
                 if (!site_attribute_guesses().count(k.substr(7)))
                   r.fail(root["facilities"]["fields"], "fields: unknown facility attribute '" + k.substr(7) + "'");
                 s.facility_fields[k.substr(7)] = v;
                 if (k == "fields.operator_id") s.facilities.points.operator_field = v;  // carried to every layer
               }
               if (k.rfind("supply_fields.", 0) == 0) {
                 if (function_index(k.substr(14)) < 0) r.fail(root["facilities"], "supply_fields: unknown service function '" + k.substr(14) + "'");
                 s.supply_fields[k.substr(14)] = v;
               }
               if (k == "functions_field") s.facilities.functions_field = v;
               if (k == "area_field") s.facilities.area_field = v;
             }))
    r.fail(root, "no facilities");
  input(root["landuse"], "landuse", true, {"code_field"}, [&](const std::string& k, const std::string& v) {
    common(s.landuse, k, v);
    if (k == "code_field") s.landuse.code_field = v;
  });
  if (auto c = root["candidates"]) {
    if (c.IsScalar() && r.text(c, "candidates") == "from_landuse") {
      if (s.landuse.path.empty()) r.fail(c, "candidates from_landuse needs landuse");
      s.candidates_from_landuse = true;
    } else {
      input(c, "candidates", true, {"id_field", "name_field", "area_field"}, [&](const std::string& k, const std::string& v) {
        points(s.candidates.services.points, k, v);
        if (k == "area_field") s.candidates.services.area_field = v;
      });
      s.candidates.services.need_functions = false;
    }
  }
  if (auto d = root["distances"]) {
    if (!d.IsSequence() || d.size() == 0) r.fail(d, "distances must be a list of metres");
    s.distances.clear();
    for (auto v : d) {
      const double m = r.number(v, "a distance");
      if (!(m > 0) || (!s.distances.empty() && m <= s.distances.back()))
        r.fail(v, "distances must be increasing numbers of metres > 0");
      s.distances.push_back(m);
    }
  }
  if (auto c = root["clip"]) {  // a partition: every layer left to what meets this box
    std::vector<double> box;
    if (c.IsSequence())
      for (auto v : c) box.push_back(r.number(v, "a clip coordinate"));
    if (box.size() != 4 || !std::isfinite(box[0] + box[1] + box[2] + box[3]) || !(box[0] < box[2]) || !(box[1] < box[3]))
      r.fail(c, "clip must be [min_x, min_y, max_x, max_y] in the working CRS (roads.crs), min < max");
    s.roads.clip = s.communities.clip = s.facilities.points.clip = s.candidates.services.points.clip = s.landuse.clip = box;
  }
  if (auto n = root["as_of"]) {
    s.as_of = parse_date(r.text(n, "as_of"));
    if (s.as_of == kNoDate) r.fail(n, "as_of must be a date YYYY-MM-DD");
  }
  if (auto n = root["nearest_limit"]) {
    s.nearest_limit = r.number(n, "nearest_limit");
    if (!(s.nearest_limit >= 0)) r.fail(n, "nearest_limit must be >= 0 metres (0: any distance)");
  }
  if (auto a = root["access"]) {
    r.keys(a, {"distance", "band_weights", "gravity_beta", "targets"}, "access");
    if (a["distance"]) s.access.distance = r.number(a["distance"], "access distance");
    if (!(s.access.distance >= 0)) r.fail(a["distance"], "access distance must be >= 0 metres (0: the largest distance)");
    if (a["gravity_beta"]) s.access.gravity_beta = r.number(a["gravity_beta"], "access gravity_beta");
    if (!(s.access.gravity_beta >= 0)) r.fail(a["gravity_beta"], "access gravity_beta must be >= 0 (per km)");
    if (a["band_weights"]) {
      if (!a["band_weights"].IsSequence()) r.fail(a["band_weights"], "access band_weights must be a list, one weight per distance");
      for (auto w : a["band_weights"]) s.access.band_weights.push_back(r.number(w, "a band weight"));
    }
    if (auto t = a["targets"]) {
      if (!t.IsMap()) r.fail(t, "access targets must be a mapping (function: supply per 100 residents)");
      for (auto it = t.begin(); it != t.end(); ++it) {
        const std::string fn = r.key(it->first, "access targets");
        if (function_index(fn) < 0) r.fail(it->first, "unknown service function '" + fn + "' in access targets");
        s.targets[fn] = r.number(it->second, "access target");
        if (!(s.targets[fn] >= 0)) r.fail(it->second, "access target must be >= 0");
      }
    }
  }
  if (auto g = root["siting"]) {
    if (!g.IsSequence()) r.fail(g, "siting must be a list of goals");
    for (auto item : g) {
      r.keys(item, {"functions", "largest_gaps", "distance", "k"}, "a siting goal");
      Goal goal;
      if (item["functions"]) {
        goal.functions = r.list(item["functions"], "functions");
        for (auto& f : goal.functions)
          if (function_index(f) < 0) r.fail(item["functions"], "unknown service function '" + f + "'");
      }
      if (item["largest_gaps"]) goal.largest_gaps = static_cast<int>(r.number(item["largest_gaps"], "largest_gaps"));
      if (goal.functions.empty() == (goal.largest_gaps <= 0))
        r.fail(item, "a siting goal names either functions or largest_gaps (N functions with the largest gap)");
      if (item["distance"]) goal.distance = r.number(item["distance"], "distance");
      if (item["k"]) goal.k = static_cast<int>(r.number(item["k"], "k"));
      if (!(goal.distance > 0) || goal.k < 1) r.fail(item, "a siting goal needs distance > 0 and k >= 1");
      s.goals.push_back(goal);
    }
    if (!s.goals.empty() && s.candidates.services.points.path.empty() && !s.candidates_from_landuse)
      r.fail(g, "siting needs candidates (a layer, or from_landuse)");
  }
  return s;
}

std::string joined(const std::vector<std::string>& v, const char* sep) {
  std::string out;
  for (auto& x : v) out += (out.empty() ? "" : sep) + x;
  return out;
}

}  // namespace

StudyReport run_study(const StudyJob& job, const Progress& progress, const Log& log) {
  const Study s = read_study(job.file, job.set);
  StudyReport rep;
  rep.title = s.title;
  const fs::path dir = job.output, tables = dir / "tables";
  std::error_code ec;
  fs::create_directories(tables, ec);
  if (ec) throw OutputError("cannot create '" + tables.string() + "': " + ec.message());
  // Every step writes its layers straight into study.gpkg (`prefix`_<layer>), committed at the end.
  OutputOptions study_options((dir / "study.gpkg").string());
  study_options.overwrite = job.overwrite;
  study_options.csv_excel = true;  // the tables in tables/, for Excel
  study_options.inputs = {s.roads.path, s.communities.path, s.facilities.points.path, s.landuse.path,
                          s.candidates.services.points.path};
  OutputSet study_gpkg(study_options);
  auto output = [&](const std::string& prefix, const std::string& csv) {
    OutputOptions o = study_options;
    o.into = &study_gpkg, o.layer_prefix = prefix;
    if (!csv.empty()) o.csv = (tables / csv).string();
    return o;
  };
  // One step: run, time, record; a failure is kept and the study goes on.
  auto step = [&](const std::string& name, const std::function<std::vector<std::string>()>& body) {
    StudyStep st;
    st.name = name;
    log.info("== " + name);
    const auto t = Clock::now();
    try {
      poll(progress);
      st.files = body();
    } catch (const Cancelled&) {
      throw;
    } catch (const std::exception& e) {
      st.status = "failed", st.message = e.what();
      log.warning("step " + name + " failed: " + st.message + "; the other steps go on");
    }
    st.seconds = seconds_since(t);
    rep.steps.push_back(st);
    return rep.steps.back().status == "ok";
  };

  NetworkInput net;
  net.roads = s.roads;
  net.threads = job.threads;
  const std::string graph_file = (dir / "graph.wsg").string();
  NetworkReport roads;  // what the graph step read and dropped
  const bool graph_ok = step("graph", [&] {
    GraphJob g;
    g.network = net;
    g.save = graph_file;
    g.overwrite = job.overwrite;
    GraphJobReport built = run_graph(g, progress, log);
    roads = built.network;
    return built.files;
  });
  auto needs_graph = [&](const std::string& name) {
    if (graph_ok) return false;
    rep.steps.push_back({name, "skipped", "no graph", {}, 0});
    return true;
  };
  NetworkInput saved = net;
  saved.roads.path = graph_file;
  DemandInput demand;
  demand.communities = s.communities;
  demand.services = s.facilities;
  for (const char* city : {"baotou", "beijing", "wuhan"})
    if (s.profile == city) demand.communities.city = city;

  if (!needs_graph("catchments"))
    step("catchments", [&] {
      CatchmentJob c;
      c.network = saved;
      c.facilities = s.facilities.points;
      c.options.thresholds_m = s.distances;
      c.options.mode = CatchmentMode::Nearest;
      c.options.nearest_limit = s.nearest_limit;
      c.options.threads = job.threads;
      c.output = output("catchments", "");
      return run_catchment(c, progress, log).files;
    });
  CoverageReport coverage;
  bool coverage_ok = false;
  if (!needs_graph("coverage"))
    coverage_ok = step("coverage", [&] {
      CoverageJob c;
      c.network = saved;
      c.demand = demand;
      c.options.thresholds_m = s.distances;
      c.output = output("coverage", "coverage_summary.csv");
      c.keep_state = true;  // the siting steps use its graph, demand and searches
      c.options.nearest_limit = s.nearest_limit;
      c.options.threads = job.threads;
      c.profile = s.profile;
      c.supply_fields = s.supply_fields;
      c.targets = s.targets;
      c.access = s.access;
      coverage = run_coverage(c, progress, log);
      return coverage.files;
    });
  CheckReport checked;
  step("check", [&] {
    CheckJob c;
    c.profile = s.profile;
    c.sites.services = s.facilities;
    c.sites.fields = s.facility_fields;
    c.as_of = s.as_of;
    c.coverage = coverage.state;  // the operators' households reached
    c.landuse = s.landuse;
    c.output = output("check", "check_rules.csv");
    checked = run_check(c, progress, log);
    return checked.files;
  });
  std::map<std::string, int> sited;  // function -> goals that sited it (outputs of a repeat get _2, _3 ...)
  std::vector<std::string> sited_tags;
  for (const Goal& goal : s.goals) {
    std::vector<std::string> functions = goal.functions;
    if (goal.largest_gaps > 0) {
      // The functions the most households lack within the goal's distance (a band of the study).
      std::size_t band = s.distances.size();
      for (std::size_t b = 0; b < s.distances.size(); ++b)
        if (s.distances[b] == goal.distance) band = b;
      const std::string name = "site: the " + std::to_string(goal.largest_gaps) + " largest gaps";
      if (!coverage_ok || band == s.distances.size()) {
        rep.steps.push_back({name, "skipped",
                             !coverage_ok ? "needs the coverage step" : "the distance must be one of the study's distances",
                             {}, 0});
        continue;
      }
      const auto& total = coverage.result.total.total;
      std::vector<std::pair<double, int>> gaps;  // functions an earlier goal sited are left to it
      for (int f = 0; f < kFunctionCount; ++f)
        if (!sited.count(service_functions()[f].id)) gaps.push_back({total.households - total.covered[f][band], f});
      std::stable_sort(gaps.begin(), gaps.end(), [](auto& a, auto& b) { return a.first > b.first; });
      for (int k = 0; k < goal.largest_gaps && k < static_cast<int>(gaps.size()); ++k)
        functions.push_back(service_functions()[gaps[k].second].id);
      log.info("largest gaps within " + fixed(goal.distance, 0) + " m: " + joined(functions, ", "));
    }
    for (const std::string& f : functions) {
      const int repeat = ++sited[f];
      const std::string tag = f + (repeat > 1 ? "_" + std::to_string(repeat) : "");
      const std::string name = "site " + tag;
      sited_tags.push_back(tag);
      if (needs_graph(name)) continue;
      step(name, [&] {
        SiteJob j;
        j.network = saved;
        j.demand = demand;
        j.candidates = s.candidates;
        j.candidates_from_landuse = s.candidates_from_landuse;
        j.landuse = s.landuse;
        j.profile = s.profile;
        j.functions = {f};
        j.options.distance = goal.distance;
        j.options.k = goal.k;
        j.output = output("sites_" + tag, "sites_" + tag + "_chosen.csv");
        j.shared = coverage.state;
        return run_site(j, progress, log).files;
      });
    }
  }

  // Every layer in one GeoPackage, styled: study.gpkg.
  const bool merged = step("study.gpkg", [&] {
    study_gpkg.commit();
    return study_gpkg.paths();
  });
  ReportInput r;
  r.title = s.title, r.profile = s.profile, r.lang = job.lang;
  r.study_gpkg = (dir / "study.gpkg").string();
  r.osm = is_osm_file(s.roads.path);
  r.sited = sited_tags;
  r.distances = s.distances;
  if (checked.as_of != kNoDate) r.as_of = date_text(checked.as_of), r.standing = checked.standing;
  r.inputs = {s.roads.path, s.communities.path, s.facilities.points.path};
  if (!s.landuse.path.empty()) r.inputs.push_back(s.landuse.path);
  if (!s.candidates.services.points.path.empty()) r.inputs.push_back(s.candidates.services.points.path);
  try {
    r.profile_title = load_profile(s.profile).title;
  } catch (const std::exception&) {  // the check step reported it
  }
  auto figure = [&](const char* zh, const char* en, double v) { r.figures.push_back({zh, en, fixed(v, 0)}); };
  if (graph_ok) {
    figure("道路要素(读入)", "road features read", roads.features_read);
    figure("道路线段(保留)", "road lines kept", roads.lines_kept);
    for (auto& [reason, n] : roads.dropped) r.figures.push_back({"道路线段(剔除): " + reason, "road lines dropped: " + reason, std::to_string(n)});
  }
  if (const CoverageState* c = coverage.state.get()) {
    const auto& comm = c->demand.communities;
    const auto& svc = c->demand.services;
    figure("社区", "communities", comm.items.size());
    figure("社区(数据有问题)", "communities with a data problem", comm.problems);
    figure("社区边界(无效)", "community polygons invalid", comm.invalid_geometries);
    figure("社区边界(已修复)", "community polygons repaired", comm.repaired_geometries);
    figure("社区重叠(对)", "pairs of overlapping communities", c->result.overlapping_pairs);
    figure("设施", "facilities", svc.items.size());
    figure("设施(几何无法使用，跳过)", "facilities skipped (unusable geometry)", svc.skipped);
    figure("设施(无九类服务功能)", "facilities without any of the nine functions", svc.without_functions);
    figure("设施(无法接入路网)", "facilities not on the network (beyond the snap limit)",
           svc.items.size() - coverage.routable_facilities);
    figure("需求点", "demand points", c->result.demand.size());
    figure("户数", "households", c->result.total.total.households);
    figure("户数(无法接入路网)", "households beyond the snap limit", c->result.total.total.unreachable_households);
    // Who each function serves, for the access section.
    const auto& pop = coverage.population;
    bool estimated_any = false;
    for (int fn = 0; fn < kFunctionCount; ++fn) {
      const int k = pop.function_group[fn];
      const auto& g = pop.groups[k];
      ReportAccess a;
      const std::string ages = g.everyone ? "" : " " + age_label(g.ages);
      a.group_zh = g.label.empty() ? (g.everyone ? "全体居民" : g.id + ages) : g.label;
      a.group_en = (g.everyone ? "all residents" : g.id) + ages;
      a.unit = coverage.supply[fn].unit;
      for (std::size_t cm = 0; cm < c->access->groups.size(); ++cm) a.estimated |= c->access->groups[cm][k].from_census;
      estimated_any |= a.estimated;
      r.access.push_back(a);
    }
    r.access_distance = c->access->distance;
    if (estimated_any)
      r.census_note = {"部分或全部社区的人数按人口普查比例估算（" + pop.census.source + "）" +
                           (pop.census.verified ? "" : "；该普查数字未经核实") + "；提供分年龄人数字段（如 age_60_plus、age_0_3）可得实际人数。",
                       "estimated for some or all communities as census shares of the residents (" + pop.census.source + ")" +
                           (pop.census.verified ? "" : "; this census figure is not verified (docs/rules.md)") +
                           "; age columns (age_60_plus, age_0_3 ...) give real counts."};
  }
  if (merged)
    step("study.qgs", [&] {
      OutputOptions o((dir / "study.qgs").string());
      o.overwrite = job.overwrite;
      return write_study_project(r, o);
    });
  if (merged)
    step("report", [&] {
      if (fs::exists(tables / "check_rules.csv", ec)) r.check_rules_csv = (tables / "check_rules.csv").string();
      for (auto& st : rep.steps) r.steps.push_back({st.name, st.status, st.message, st.seconds});
      OutputOptions o((dir / "report.html").string());
      o.overwrite = job.overwrite;
      return write_study_report(r, o);
    });

  // The steps as a table of their own.
  std::ostringstream t;
  t << "step,status,seconds,message,files\n";
  for (auto& st : rep.steps)
    t << csv_text(st.name) << ',' << st.status << ',' << fixed(st.seconds, 2) << ',' << csv_text(st.message) << ','
      << csv_text(joined(st.files, ";")) << '\n';
  OutputOptions o((tables / "study_steps.csv").string());
  o.overwrite = job.overwrite;
  o.csv_excel = true;
  const std::string steps_csv = (tables / "study_steps.csv").string();
  write_text_output(steps_csv, t.str(), o,
                    {{"step", "步骤"}, {"status", "状态"}, {"seconds", "用时(秒)"}, {"message", "说明"}, {"files", "文件"}});
  int done = 0;
  for (auto& st : rep.steps) done += st.status == "ok";
  log.info("study: " + std::to_string(done) + " of " + std::to_string(rep.steps.size()) + " steps done" +
           (rep.failed() ? ", " + std::to_string(rep.failed()) + " failed" : "") + "; " + steps_csv);
  return rep;
}

}  // namespace walkshed
