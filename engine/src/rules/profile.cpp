#include "walkshed/rules/profile.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <ios>
#include <set>
#include <sstream>

#include <yaml-cpp/yaml.h>

#include "core/yaml_reader.hpp"
#include "walkshed/core/error.hpp"
#include "walkshed/core/functions.hpp"
#include "walkshed/core/text.hpp"

#ifndef WALKSHED_PROFILE_DIR
#define WALKSHED_PROFILE_DIR ""
#endif

namespace fs = std::filesystem;

namespace walkshed {

namespace {

struct Ctx : detail::YamlReader {
  explicit Ctx(const std::string& file) : YamlReader("profile file", file) {}
  Severity severity(const YAML::Node& n) const {
    const std::string s = text(n, "severity");
    if (s == "error") return Severity::Error;
    if (s == "error_override") return Severity::ErrorOverride;
    if (s == "warning") return Severity::Warning;
    if (s == "info") return Severity::Info;
    fail(n, "unknown severity '" + s + "' (error, error_override, warning, info)");
  }
  std::string source(const YAML::Node& parent, const std::string& what) const {
    if (!parent["source"] || text(parent["source"], "source").empty()) fail(parent, what + " has no source");
    return text(parent["source"], "source");
  }
};

std::string find_profile(const std::string& name) {
  if (name.find('/') != std::string::npos || fs::path(name).extension() == ".yaml" || fs::path(name).extension() == ".yml") {
    std::error_code ec;
    if (!fs::exists(name, ec)) throw InputError("profile file '" + name + "' does not exist");
    if (!fs::is_regular_file(name, ec)) throw InputError("profile '" + name + "' is not a file");
    return name;
  }
  for (auto& dir : profile_dirs()) {
    const fs::path p = fs::path(dir) / (name + ".yaml");
    std::error_code ec;  // a name too long for a file is just not a shipped profile
    if (fs::is_regular_file(p, ec)) return p.string();
  }
  std::string names;
  for (auto& [n, p] : list_profiles()) names += (names.empty() ? "" : ", ") + n;
  throw InputError("no profile '" + name + "' (available: " + (names.empty() ? "none" : names) + ")");
}

void apply(Profile& p, const std::string& path, int depth);

// population: census shares by age band, the groups and which group each function serves.
void apply_population(PopulationProfile& p, const Ctx& c, const YAML::Node& n) {
  c.keys(n, {"census", "groups", "functions"}, "population");
  if (auto cen = n["census"]) {
    c.keys(cen, {"bands", "source", "verified"}, "population census");
    CensusShares cs;
    cs.source = c.source(cen, "population census");
    if (cen["verified"]) cs.verified = c.flag(cen["verified"], "census verified");
    if (!cen["bands"] || !cen["bands"].IsMap()) c.fail(cen, "population census needs bands: {\"0-15\": share, ...}");
    for (auto it = cen["bands"].begin(); it != cen["bands"].end(); ++it) {
      const AgeBand b = parse_age_band(c.key(it->first, "census bands"), "census band");
      const double v = c.number(it->second, "census share " + age_label(b));
      if (!(v >= 0 && v <= 1)) c.fail(it->second, "census share " + age_label(b) + " must lie in [0, 1]");
      cs.bands.push_back({b, v});
    }
    std::sort(cs.bands.begin(), cs.bands.end());
    double sum = 0, at = 0;
    for (auto& [b, v] : cs.bands) {
      if (b.from != at) c.fail(cen["bands"], "census bands must run from 0 without gaps or overlaps (at age " + short_number(at) + ")");
      at = b.to, sum += v;
    }
    if (!std::isinf(at)) c.fail(cen["bands"], "the last census band must be open (e.g. 65+)");
    if (std::abs(sum - 1) > 0.005) c.fail(cen["bands"], "census shares add up to " + short_number(sum) + ", not 1");
    p.census = cs;
  }
  if (auto g = n["groups"]) {
    if (!g.IsMap()) c.fail(g, "population groups must be a mapping");
    p.groups_source = c.source(g, "population groups");
    for (auto it = g.begin(); it != g.end(); ++it) {
      PopulationGroup grp;
      grp.id = c.key(it->first, "population groups");
      if (grp.id == "source") continue;
      if (grp.id == p.groups[0].id) c.fail(it->first, "'" + grp.id + "' is all residents; it has no age band");
      c.keys(it->second, {"ages", "label"}, "group " + grp.id);
      grp.ages = parse_age_band(c.text(it->second["ages"], "group ages"), "group " + grp.id);
      if (it->second["label"]) grp.label = c.text(it->second["label"], "group label");
      bool replaced = false;
      for (auto& old : p.groups)
        if (old.id == grp.id) old = grp, replaced = true;
      if (!replaced) p.groups.push_back(grp);
    }
  }
  for (auto& grp : p.groups)
    if (!grp.everyone && census_share(p.census, grp.ages, nullptr) < 0)
      c.fail(n, "group '" + grp.id + "' (" + age_label(grp.ages) + ") cannot be estimated from the census bands");
  if (auto f = n["functions"]) {
    if (!f.IsMap()) c.fail(f, "population functions must be a mapping (function: group)");
    for (auto it = f.begin(); it != f.end(); ++it) {
      const std::string fn = c.key(it->first, "population functions");
      const int i = function_index(fn);
      if (i < 0) c.fail(it->first, "unknown service function '" + fn + "' in population functions");
      const std::string grp = c.text(it->second, "group");
      int k = -1;
      for (std::size_t j = 0; j < p.groups.size(); ++j)
        if (p.groups[j].id == grp) k = static_cast<int>(j);
      if (k < 0) c.fail(it->second, "population group '" + grp + "' is not defined under population: groups");
      p.function_group[i] = k;
    }
  }
}

// supply: per function, the facility attribute that measures it, its unit, fallback and target.
void apply_supply(SupplyProfile& p, const Ctx& c, const YAML::Node& n) {
  if (!n.IsMap()) c.fail(n, "supply must be a mapping (function: {field, unit, ...})");
  for (auto it = n.begin(); it != n.end(); ++it) {
    const std::string fn = c.key(it->first, "supply");
    const int i = function_index(fn);
    if (i < 0) c.fail(it->first, "unknown service function '" + fn + "' in supply");
    const YAML::Node s = it->second;
    c.keys(s, {"field", "unit", "fallback", "target_per100", "source"}, "supply " + fn);
    SupplySpec& sp = p[i];
    if (s["field"]) sp.field = c.text(s["field"], "supply field");
    if (s["unit"]) sp.unit = c.text(s["unit"], "supply unit");
    if (s["fallback"]) sp.fallback = c.number(s["fallback"], "supply fallback");
    if (s["target_per100"]) sp.target_per100 = c.number(s["target_per100"], "supply target_per100");
    if (!(sp.fallback >= 0) || !std::isfinite(sp.fallback)) c.fail(s, "supply " + fn + ": fallback must be >= 0");
    if (std::isfinite(sp.target_per100) ? sp.target_per100 < 0 : !std::isnan(sp.target_per100))
      c.fail(s, "supply " + fn + ": target_per100 must be >= 0");
    sp.source = c.source(s, "supply " + fn);
  }
}

// text: the city text's status, dates and validity.
void apply_text(TextStatus& t, const Ctx& c, const YAML::Node& n) {
  c.keys(n, {"status", "issued", "effective", "valid_years", "source"}, "text");
  if (n["status"]) {
    t.status = c.text(n["status"], "text status");
    if (t.status != "draft" && t.status != "trial" && t.status != "in_force")
      c.fail(n["status"], "text status must be draft, trial or in_force");
  }
  for (auto [key, out] : {std::pair{"issued", &t.issued}, std::pair{"effective", &t.effective}})
    if (n[key]) {
      *out = parse_date(c.text(n[key], key));
      if (*out == kNoDate) c.fail(n[key], std::string("text ") + key + " must be a date YYYY-MM-DD");
    }
  if (n["valid_years"]) {
    t.valid_years = c.number(n["valid_years"], "valid_years");
    if (!(t.valid_years >= 0) || t.valid_years != std::floor(t.valid_years) || t.valid_years > 100)
      c.fail(n["valid_years"], "valid_years must be a whole number of years");
  }
  t.source = c.source(n, "text");
}

// operations: where the function mix is counted, the operating models and the grades.
void apply_operations(Operations& o, const Ctx& c, const YAML::Node& n) {
  c.keys(n, {"function_mix", "models", "grades"}, "operations");
  if (auto m = n["function_mix"]) {
    c.keys(m, {"per", "source"}, "operations function_mix");
    const std::string per = c.text(m["per"], "function_mix per");
    if (per != "operator" && per != "facility") c.fail(m["per"], "function_mix per must be operator or facility");
    o.mix_per_operator = per == "operator";
    o.mix_source = c.source(m, "operations function_mix");
  }
  if (auto m = n["models"]) {
    if (!m.IsSequence()) c.fail(m, "operations models must be a list of {id, name, fits, source}");
    o.models.clear();
    for (auto item : m) {
      c.keys(item, {"id", "name", "fits", "source"}, "operating model");
      OperatingModel om;
      om.id = c.text(item["id"], "model id");
      om.name = c.text(item["name"], "model name");
      if (item["fits"]) om.fits = c.list(item["fits"], "model fits");
      om.source = c.source(item, "operating model " + om.id);
      o.models.push_back(om);
    }
  }
  if (auto g = n["grades"]) {
    c.keys(g, {"scale", "removed", "source"}, "operations grades");
    o.grades = c.list(g["scale"], "grades scale");
    if (o.grades.empty()) c.fail(g, "operations grades need a scale");
    o.removed.clear();
    if (g["removed"]) o.removed = c.list(g["removed"], "grades removed");
    for (auto& r : o.removed)
      if (std::find(o.grades.begin(), o.grades.end(), r) == o.grades.end())
        c.fail(g["removed"], "removed grade '" + r + "' is not on the scale");
    o.grades_source = c.source(g, "operations grades");
  }
}

void apply_root(Profile& p, const Ctx& c, const YAML::Node& root, int depth) {
  const std::string& path = c.file();
  c.keys(root, {"profile", "extends", "title", "household_size", "rules", "landuse", "categories", "subsidy", "site_weights",
                 "population", "supply", "text", "operations"},
         "the profile");
  if (root["extends"]) apply(p, find_profile(c.text(root["extends"], "extends")), depth + 1);
  p.files.push_back(path);
  if (!root["profile"]) c.fail(root, "no 'profile' name");
  p.name = c.text(root["profile"], "profile");
  if (root["title"]) p.title = c.text(root["title"], "title");
  if (auto h = root["household_size"]) {
    c.keys(h, {"value", "unit", "source"}, "household_size");
    if (!h["unit"] || c.text(h["unit"], "unit") != "persons/household") c.fail(h, "household_size: unit must be persons/household");
    p.household_size = c.number(h["value"], "household_size value");
    p.household_size_source = c.source(h, "household_size");
  }
  if (auto rules = root["rules"]) {
    if (!rules.IsMap()) c.fail(rules, "rules must be a mapping");
    for (auto it = rules.begin(); it != rules.end(); ++it) {
      const std::string id = c.key(it->first, "rules");
      const YAML::Node n = it->second;
      auto known = known_rules().find(id);
      if (known == known_rules().end()) c.fail(it->first, "unknown rule '" + id + "'");
      c.keys(n, {"value", "unit", "severity", "source", "enabled"}, "rule " + id);
      Rule r = p.rules.count(id) ? p.rules[id] : Rule{};
      r.id = id;
      if (n["value"]) r.value = c.number(n["value"], id + " value");
      if (n["unit"]) r.unit = c.text(n["unit"], "unit");
      if (r.unit != known->second)
        c.fail(n, "rule " + id + ": unit '" + r.unit + "' is wrong, expected '" + known->second + "'");
      if (n["severity"]) r.severity = c.severity(n["severity"]);
      if (n["enabled"]) r.enabled = c.flag(n["enabled"], "rule " + id + " enabled");
      r.source = n["source"] ? c.source(n, "rule " + id) : r.source;
      if (r.source.empty()) c.fail(n, "rule " + id + " has no source");
      // A changed value needs its own source: the output must not credit it to the text it replaces.
      if (n["value"] && p.rules.count(id) && !n["source"] && r.value != p.rules[id].value)
        c.fail(n, "rule " + id + ": the value changes from " + std::to_string(p.rules[id].value) +
                      " without a source of its own; give one (e.g. source: \"district plan 2025\")");
      if (!(r.value >= 0) || !std::isfinite(r.value)) c.fail(n, "rule " + id + ": the value must be a number >= 0");
      if (!n["value"] && !p.rules.count(id)) c.fail(n, "rule " + id + " has no value");
      p.rules[id] = r;
    }
  }
  if (auto lu = root["landuse"]) {
    c.keys(lu, {"allowed", "unlisted", "non_construction", "transitional", "aliases", "classes"}, "landuse");
    if (auto t = lu["transitional"]) {
      c.keys(t, {"years", "severity", "source"}, "landuse transitional");
      p.transitional_years = c.number(t["years"], "transitional years");
      p.transitional = c.severity(t["severity"]);
      p.transitional_source = c.source(t, "landuse transitional");
    }
    if (lu["classes"]) {
      if (!lu["classes"].IsMap()) c.fail(lu["classes"], "landuse classes must be a mapping");
      for (auto it = lu["classes"].begin(); it != lu["classes"].end(); ++it) {
        LanduseClass cls;
        cls.name = c.key(it->first, "landuse classes");
        c.keys(it->second, {"codes", "construction", "severity", "note", "source"}, "class " + cls.name);
        if (it->second["codes"]) cls.codes = c.list(it->second["codes"], "codes");
        if (it->second["construction"]) cls.construction = c.flag(it->second["construction"], "construction");
        if (it->second["severity"]) {
          cls.restricted = true;
          cls.severity = c.severity(it->second["severity"]);
          cls.source = c.source(it->second, "class " + cls.name);
          if (!it->second["note"]) c.fail(it->second, "class " + cls.name + " has a severity but no note saying why");
          cls.note = c.text(it->second["note"], "note");
        }
        bool replaced = false;
        for (auto& old : p.classes)
          if (old.name == cls.name) old = cls, replaced = true;
        if (!replaced) p.classes.push_back(cls);
      }
    }
    auto class_known = [&](const std::string& name) { return p.landuse_class(name) != nullptr; };
    if (lu["allowed"]) {
      p.allowed = c.list(lu["allowed"], "allowed");
      for (auto& a : p.allowed)
        if (!class_known(a)) c.fail(lu["allowed"], "allowed class '" + a + "' is not a land-use class");
    }
    for (auto [key, sev, src] : {std::tuple{"unlisted", &p.unlisted, &p.unlisted_source},
                                 std::tuple{"non_construction", &p.non_construction, &p.non_construction_source}}) {
      if (auto n = lu[key]) {
        c.keys(n, {"severity", "source"}, std::string("landuse ") + key);
        *sev = c.severity(n["severity"]);
        *src = c.source(n, std::string("landuse ") + key);
      }
    }
    if (auto al = lu["aliases"]) {
      if (!al.IsMap()) c.fail(al, "aliases must be a mapping");
      for (auto it = al.begin(); it != al.end(); ++it) {
        const std::string cls = c.text(it->second, "alias");
        if (!class_known(cls)) c.fail(it->second, "alias target '" + cls + "' is not a land-use class");
        p.aliases[c.key(it->first, "aliases")] = cls;
      }
    }
  }
  if (auto cat = root["categories"]) {
    if (!cat.IsMap()) c.fail(cat, "categories must be a mapping");
    p.categories_source = c.source(cat, "categories");
    for (auto it = cat.begin(); it != cat.end(); ++it) {
      const std::string k = c.key(it->first, "categories");
      if (k == "source") continue;
      if (function_index(k) < 0) c.fail(it->first, "unknown service function '" + k + "' in categories");
      p.categories[k] = c.text(it->second, "category");
    }
  }
  if (auto w = root["site_weights"]) {
    c.keys(w, {"marginal", "reached", "central", "area", "landuse", "gap", "source"}, "site_weights");
    p.site_weights_source = c.source(w, "site_weights");
    for (auto it = w.begin(); it != w.end(); ++it) {
      const std::string k = c.key(it->first, "site_weights");
      if (k != "source") p.site_weights[k] = c.number(it->second, "site weight " + k);
    }
  }
  if (auto t = root["text"]) {
    p.text = TextStatus{};  // a profile's own text: nothing of the one it extends carries over
    apply_text(p.text, c, t);
  }
  if (auto o = root["operations"]) apply_operations(p.operations, c, o);
  if (auto pop = root["population"]) apply_population(p.population, c, pop);
  if (auto sup = root["supply"]) apply_supply(p.supply, c, sup);
  if (auto s = root["subsidy"]) {
    c.keys(s, {"rate", "cap", "eligible", "base"}, "subsidy");
    p.subsidy.enabled = true;
    auto part = [&](const char* key, const char* unit, double& value, std::string& src) {
      const YAML::Node n = s[key];
      if (!n) c.fail(s, std::string("subsidy has no ") + key);
      c.keys(n, {"value", "unit", "source"}, std::string("subsidy ") + key);
      if (!n["unit"] || c.text(n["unit"], "unit") != unit)
        c.fail(n, std::string("subsidy ") + key + ": unit must be " + unit);
      value = c.number(n["value"], key);
      src = c.source(n, std::string("subsidy ") + key);
    };
    part("rate", "ratio", p.subsidy.rate, p.subsidy.rate_source);
    part("cap", "CNY", p.subsidy.cap, p.subsidy.cap_source);
    if (s["eligible"]) p.subsidy.eligible = c.list(s["eligible"], "eligible");
    if (s["base"]) {
      p.subsidy.base = c.text(s["base"], "base");
      if (p.subsidy.base != "project" && p.subsidy.base != "eligible_share")
        c.fail(s["base"], "subsidy base must be project or eligible_share");
    }
  }
}

void apply(Profile& p, const std::string& path, int depth) {
  if (depth > 8) throw InputError("profile file '" + path + "': 'extends' chain too deep");
  const Ctx c{path};
  try {
    apply_root(p, c, YAML::LoadFile(path), depth);
  } catch (const YAML::Exception& e) {  // a syntax error, or a conversion the checks do not foresee
    throw InputError("profile file '" + path + "'" +
                     (e.mark.line >= 0 ? ", line " + std::to_string(e.mark.line + 1) : std::string()) + ": " + e.msg);
  } catch (const std::ios_base::failure& e) {
    throw InputError("profile file '" + path + "': cannot read it: " + e.what());
  }
}

}  // namespace

const char* severity_name(Severity s) {
  switch (s) {
    case Severity::Error: return "error";
    case Severity::ErrorOverride: return "error_override";
    case Severity::Warning: return "warning";
    case Severity::Info: return "info";
  }
  return "";
}

const LanduseClass* Profile::landuse_class(const std::string& name) const {
  for (auto& c : classes)
    if (c.name == name) return &c;
  return nullptr;
}

const Rule* Profile::rule(const std::string& id) const {
  auto it = rules.find(id);
  return it != rules.end() && it->second.enabled ? &it->second : nullptr;
}

const std::map<std::string, std::string>& known_rules() {
  static const std::map<std::string, std::string> k = {
      {"area_per_100_households", "m2/100hh"}, {"area_per_100_households_qualified", "m2/100hh"},
      {"complex_min_area", "m2"},              {"complex_min_area_qualified", "m2"},
      {"min_functions", "count"},              {"core_four", "count"},
      {"elderly_or_infant", "count"},          {"elderly_area_per_bed", "m2/bed"},
      {"elderly_min_area", "m2"},              {"infant_area_per_place", "m2/place"},
      {"infant_min_area", "m2"},               {"infant_max_floor", "floor"},
      {"infant_no_basement", "flag"},          {"child_max_floor", "floor"},
      {"child_no_basement", "flag"},           {"fitness_indoor_per_person", "m2/person"},
      {"fitness_outdoor_per_person", "m2/person"}, {"operating_model", "model"},
      {"operator_grade", "grade"},             {"quarterly_report", "quarter"},
      {"yearly_report", "year"},               {"self_assessment", "year"},
      {"third_party_evaluation", "year"},      {"suspension_notice", "days"}};
  return k;
}

std::vector<std::string> profile_dirs() {
  std::vector<std::string> dirs;
  if (const char* env = std::getenv("WALKSHED_PROFILES")) {
    std::stringstream ss(env);
    std::string d;
    while (std::getline(ss, d, ':'))
      if (!d.empty()) dirs.push_back(d);
  }
  // Installed: <prefix>/bin/program and <prefix>/share/walkshed/profiles.
  std::error_code ec;
  const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const auto installed = exe.parent_path().parent_path() / "share" / "walkshed" / "profiles";
    if (std::filesystem::is_directory(installed, ec)) dirs.push_back(installed.string());
  }
  if (*WALKSHED_PROFILE_DIR) dirs.push_back(WALKSHED_PROFILE_DIR);  // the source tree
  return dirs;
}

std::vector<std::pair<std::string, std::string>> list_profiles() {
  std::vector<std::pair<std::string, std::string>> out;
  std::set<std::string> seen;
  for (auto& dir : profile_dirs()) {
    std::error_code ec;
    std::vector<fs::path> files;
    for (auto& e : fs::directory_iterator(dir, ec))
      if (e.path().extension() == ".yaml") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    for (auto& f : files)
      if (seen.insert(f.stem().string()).second) out.push_back({f.stem().string(), f.string()});
  }
  return out;
}

Profile load_profile(const std::string& name_or_path) {
  Profile p;
  apply(p, find_profile(name_or_path), 0);
  return p;
}

std::string text_standing(const Profile& p, int as_of) {
  const TextStatus& t = p.text;
  const std::string title = p.title.empty() ? p.name : p.title;
  const std::string src = t.source.empty() ? "" : " (" + t.source + ")";
  const std::string on = " as of " + date_text(as_of);
  if (t.status == "draft")
    return title + " is a draft for comment (征求意见稿), not in force: its rules are shown as proposed" +
           (t.valid_years > 0 && t.issued == kNoDate
                ? "; once issued it is to be valid " + short_number(t.valid_years) + " years"
                : std::string()) + src;
  const int from = t.effective != kNoDate ? t.effective : t.issued;
  if (from != kNoDate && as_of < from)
    return title + " is not yet in force" + on + ": it takes effect on " + date_text(from) + src;
  if (from != kNoDate && t.valid_years > 0) {
    const int last = add_years(from, static_cast<int>(t.valid_years)) - 1;
    if (as_of > last)
      return title + " lapsed on " + date_text(last) + " (in force from " + date_text(from) + " for " +
             short_number(t.valid_years) + " years)" + on + ": its rules are shown for reference" + src;
  }
  return "";
}

std::string describe(const Profile& p) {
  std::ostringstream s;
  s << "profile " << p.name << (p.title.empty() ? "" : " - " + p.title) << "\nfiles:";
  for (auto& f : p.files) s << ' ' << f;
  if (!p.text.status.empty()) {
    s << "\ntext: " << p.text.status;
    if (p.text.issued != kNoDate) s << ", issued " << date_text(p.text.issued);
    if (p.text.effective != kNoDate) s << ", in force from " << date_text(p.text.effective);
    if (p.text.valid_years > 0) s << ", valid " << p.text.valid_years << " years";
    s << " - " << p.text.source;
    const std::string standing = text_standing(p, today());
    if (!standing.empty()) s << "\n  today: " << standing;
  }
  s << "\nhousehold size: " << p.household_size << " persons/household (" << p.household_size_source << ")\n";
  s << "rules:\n";
  for (auto& [id, r] : p.rules)
    s << "  " << id << ": " << r.value << ' ' << r.unit << ", " << severity_name(r.severity)
      << (r.enabled ? "" : " (disabled)") << " - " << r.source << '\n';
  s << "land use allowed:";
  for (auto& a : p.allowed) s << ' ' << a;
  s << "\n  other construction land: " << severity_name(p.unlisted) << " - " << p.unlisted_source;
  s << "\n  non-construction land: " << severity_name(p.non_construction) << " - " << p.non_construction_source;
  if (p.transitional_years > 0)
    s << "\n  government non-profit facility on other land: " << severity_name(p.transitional) << " for up to "
      << p.transitional_years << " years - " << p.transitional_source;
  s << "\n  local aliases:";
  for (auto& [code, cls] : p.aliases) s << ' ' << code << "->" << cls;
  s << '\n';
  if (!p.categories.empty()) {
    s << "service categories (" << p.categories_source << "):\n";
    for (auto& [fn, cat] : p.categories) s << "  " << fn << ": " << cat << '\n';
  }
  if (!p.site_weights.empty()) {
    s << "site score weights (" << p.site_weights_source << "):";
    for (auto& [k, v] : p.site_weights) s << ' ' << k << '=' << v;
    s << '\n';
  }
  s << "population groups (" << (p.population.groups_source.empty() ? "all residents" : p.population.groups_source)
    << "):\n";
  for (auto& g : p.population.groups) {
    s << "  " << g.id << (g.everyone ? " (all residents)" : " " + age_label(g.ages)) << (g.label.empty() ? "" : " " + g.label)
      << ":";
    for (int fn = 0; fn < kFunctionCount; ++fn)
      if (&p.population.groups[p.population.function_group[fn]] == &g) s << ' ' << service_functions()[fn].id;
    s << '\n';
  }
  s << "census shares (" << p.population.census.source << (p.population.census.verified ? "" : ", NOT VERIFIED") << "):";
  for (auto& [b, v] : p.population.census.bands) s << ' ' << age_label(b) << '=' << v * 100 << '%';
  s << "\nsupply per function:\n";
  for (int fn = 0; fn < kFunctionCount; ++fn) {
    const auto& sp = p.supply[fn];
    s << "  " << service_functions()[fn].id << ": " << (sp.field.empty() ? "1 per facility" : sp.field + " (" + sp.unit + ")");
    if (!sp.field.empty()) s << ", missing -> " << sp.fallback;
    if (std::isfinite(sp.target_per100)) s << ", target " << sp.target_per100 << " per 100 residents";
    s << " - " << sp.source << '\n';
  }
  const Operations& o = p.operations;
  s << "function mix counted per " << (o.mix_per_operator ? "operator (" + o.mix_source + ")" : std::string("facility"))
    << '\n';
  if (!o.models.empty()) {
    s << "operating models:\n";
    for (auto& m : o.models) {
      s << "  " << m.id << " " << m.name << ", for:";
      for (auto& f : m.fits) s << ' ' << f;
      if (m.fits.empty()) s << " any";
      s << " - " << m.source << '\n';
    }
  }
  if (!o.grades.empty()) {
    s << "grades, lowest first:";
    for (auto& g : o.grades) s << ' ' << g;
    if (!o.removed.empty()) {
      s << "; removed from the list:";
      for (auto& g : o.removed) s << ' ' << g;
    }
    s << " - " << o.grades_source << '\n';
  }
  if (p.subsidy.enabled) {
    s << "subsidy: " << p.subsidy.rate * 100 << " % of investment (" << p.subsidy.rate_source << "), at most "
      << std::fixed << std::setprecision(0) << p.subsidy.cap << " CNY (" << p.subsidy.cap_source << "), base "
      << p.subsidy.base << ", eligible:";
    for (auto& e : p.subsidy.eligible) s << ' ' << e;
    s << '\n';
  }
  return s.str();
}

}  // namespace walkshed
