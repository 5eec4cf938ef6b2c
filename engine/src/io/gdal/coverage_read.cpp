// Readers for communities, service facilities and buildings.
#include <algorithm>
#include <cctype>

#include <ogr_api.h>

#include "io/gdal/gdal_util.hpp"
#include "walkshed/io/coverage.hpp"
#include "walkshed/io/crs.hpp"
#include "walkshed/network/roads.hpp"

namespace walkshed {

namespace {

OGRSpatialReference working(const std::string& wkt) {
  OGRSpatialReference t;
  t.importFromWkt(wkt.c_str());
  t.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  return t;
}

bool truthy(const std::string& v) { return detail::flag_value(v) == 1 || v == "qualified"; }

}  // namespace

CommunityLayer load_communities(const CommunityLayerOptions& o, const std::string& target_wkt) {
  const std::string what = "communities";
  auto ds = detail::open_vector(o.path, what);
  OGRLayer* layer = detail::open_layer(*ds, o.path, o.layer, what);
  const std::string where = what + " file '" + o.path + "', layer '" + layer->GetName() + "'";
  const auto gt = wkbFlatten(layer->GetGeomType());
  if (gt != wkbPolygon && gt != wkbMultiPolygon && gt != wkbUnknown)
    throw InputError(where + ": expected polygons, found " + OGRGeometryTypeToName(layer->GetGeomType()));
  auto source = detail::layer_srs(*layer, o.source_srs, where, "`communities.source_srs`");
  auto target = working(target_wkt);
  auto tr = make_transform(source, target, o.datum, where, "communities.datum");
  detail::set_filter(*layer, o.where, o.path, what);

  const int id_i = detail::field_or_guess(*layer, o.id_field, {"comm_id", "community_id", "id", "code", "ID"}, o.path, what);
  const int name_i = detail::field_or_guess(*layer, o.name_field, {"name", "NAME", "社区", "社区名称"}, o.path, what);
  const int street_i = detail::field_or_guess(*layer, o.street_field, {"street", "jiedao", "街道", "subdistrict"}, o.path, what);
  const int qual_i = detail::field_or_guess(*layer, o.qualified_field, {"qualified", "有条件"}, o.path, what);
  int hh_i = -1, pop_i = -1;
  if (o.population_field.empty())
    hh_i = detail::field_or_guess(*layer, o.households_field, {"households", "hh", "户数", "HOUSEHOLDS"}, o.path, what);
  if (hh_i < 0 && o.households_field.empty())
    pop_i = detail::field_or_guess(*layer, o.population_field, {"population", "pop", "人口", "POPULATION"}, o.path, what);
  if (hh_i < 0 && pop_i < 0)
    throw InputError(where + ": no households field (tried households, hh, 户数) and no population field "
                     "(population, pop, 人口); name one with `communities.households_field` or `communities.population_field`");
  const double hsize = o.household_size > 0 ? o.household_size : household_size_for(o.city);

  CommunityLayer out;
  std::vector<int> age_i;
  auto* defn = layer->GetLayerDefn();
  if (!o.age_fields.empty()) {
    for (auto& [band, column] : o.age_fields) {
      out.age_columns.push_back({parse_age_band(band, "age field " + band), column});
      age_i.push_back(detail::require_field(*layer, column, o.path, what));
    }
  } else {
    for (int i = 0; i < defn->GetFieldCount(); ++i) {
      AgeBand b;
      if (age_band_of_column(defn->GetFieldDefn(i)->GetNameRef(), b)) {
        out.age_columns.push_back({b, defn->GetFieldDefn(i)->GetNameRef()});
        age_i.push_back(i);
      }
    }
  }
  out.source_crs = srs_label(source);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2f", hsize);
  out.households_source = hh_i >= 0 ? std::string("field ") + layer->GetLayerDefn()->GetFieldDefn(hh_i)->GetNameRef()
                                    : std::string("field ") + layer->GetLayerDefn()->GetFieldDefn(pop_i)->GetNameRef() +
                                          " / " + buf + " persons per household";
  layer->ResetReading();
  for (auto& f : *layer) {
    Community c;
    c.id = id_i >= 0 ? detail::utf8_field(*f, id_i, out.invalid_text) : std::to_string(f->GetFID());
    if (name_i >= 0) c.name = detail::utf8_field(*f, name_i, out.invalid_text);
    if (street_i >= 0) c.street = detail::utf8_field(*f, street_i, out.invalid_text);
    if (qual_i >= 0) c.qualified = truthy(f->GetFieldAsString(qual_i));
    const int vi = hh_i >= 0 ? hh_i : pop_i;
    if (!f->IsFieldSetAndNotNull(vi)) {
      c.problem = hh_i >= 0 ? "households missing" : "population missing";
    } else {
      // Text fields are read strictly: "12户" or "abc" is not a number, and neither is NaN.
      const std::string text = f->GetFieldAsString(vi);
      const char* start = text.c_str();
      char* end = nullptr;
      const double v = std::strtod(start, &end);
      while (end && (*end == ' ' || *end == '\t')) ++end;
      const std::string what_value = hh_i >= 0 ? "households" : "population";
      if (end == start || *end != '\0' || !std::isfinite(v))
        c.problem = what_value + " not a number ('" + text + "')";
      else if (v < 0)
        c.problem = what_value + " negative";
      else
        c.households = hh_i >= 0 ? v : v / hsize;
      c.residents = hh_i >= 0 ? v * hsize : v;
      if (c.problem.empty() && c.households > kMaxHouseholds) ++out.implausible;
    }
    for (std::size_t k = 0; k < age_i.size(); ++k) {
      if (!f->IsFieldSetAndNotNull(age_i[k])) continue;  // a missing count: the census share stands in
      const double v = f->GetFieldAsDouble(age_i[k]);
      if (std::isfinite(v) && v >= 0) c.ages.push_back({out.age_columns[k].first, v});
      else ++out.bad_age_counts;
    }
    bool repaired = false;
    c.geometry = detail::region_in(*f, tr.get(), repaired);
    if (!c.geometry.empty() && !meets_clip(o.clip, c.geometry.box())) continue;
    out.repaired_geometries += repaired;
    if (c.geometry.empty()) {
      ++out.invalid_geometries;
      c.problem += std::string(c.problem.empty() ? "" : "; ") + "no usable polygon";
    }
    if (!c.problem.empty()) {
      ++out.problems;
      c.households = c.residents = 0;
      c.ages.clear();
    }
    out.items.push_back(std::move(c));
  }
  detail::check_read(*layer, o.where, o.path, what);
  if (out.items.empty()) throw InputError(where + ": no community polygon");
  return out;
}

ServiceLayer load_services(const ServiceLayerOptions& o, const std::string& target_wkt,
                           const std::function<void(const OGRFeature&, ServiceFacility&)>& extra) {
  const auto& p = o.points;
  const std::string what = "facilities";
  auto ds = detail::open_vector(p.path, what);
  OGRLayer* layer = detail::open_layer(*ds, p.path, p.layer, what);
  detail::set_filter(*layer, p.where, p.path, what);
  auto* defn = layer->GetLayerDefn();
  const int list_i = o.functions_field.empty() ? -1 : detail::require_field(*layer, o.functions_field, p.path, what);
  std::array<int, kFunctionCount> bool_i;
  bool any_bool = false;
  for (int k = 0; k < kFunctionCount; ++k) {
    bool_i[k] = defn->GetFieldIndex(service_functions()[k].id);
    any_bool |= bool_i[k] >= 0;
  }
  const int area_i = detail::field_or_guess(*layer, o.area_field, {"area_m2", "floor_area", "gfa", "面积", "建筑面积"}, p.path, what);
  const char* osm_keys[] = {"amenity", "leisure", "shop", "healthcare", "social_facility", "social_facility:for",
                            "nursery", "craft", "name"};
  const int tags_i = defn->GetFieldIndex("other_tags"), kind_i = defn->GetFieldIndex("kind");
  bool osm_like = o.osm_tags || tags_i >= 0 || kind_i >= 0;
  for (const char* k : osm_keys) osm_like |= std::string(k) != "name" && defn->GetFieldIndex(k) >= 0;

  ServiceLayer out;
  // Supply columns: the name the profile gives, else its usual Chinese names.
  std::array<int, kFunctionCount> supply_i;
  supply_i.fill(-1);
  for (int k = 0; k < kFunctionCount; ++k) {
    const std::string& name = o.supply_fields[k];
    if (name.empty() || name == "area") continue;
    std::vector<std::string> tries = {name};
    if (name == "beds") tries.insert(tries.end(), {"床位数", "床位", "BEDS"});
    if (name == "places") tries.insert(tries.end(), {"托位数", "托位", "学位", "PLACES"});
    if (name == "seats") tries.insert(tries.end(), {"餐位数", "餐位", "座位", "SEATS"});
    for (auto& t : tries)
      if (supply_i[k] < 0) supply_i[k] = defn->GetFieldIndex(t.c_str());
    if (supply_i[k] >= 0) out.supply_columns[k] = defn->GetFieldDefn(supply_i[k])->GetNameRef();
  }
  if (list_i >= 0)
    out.functions_source = "list field " + o.functions_field;
  else if (any_bool && !o.osm_tags)
    out.functions_source = "one column per function";
  else if (osm_like)
    out.functions_source = "OSM tags (docs/rules.md §9 mapping)";
  else if (!o.need_functions)
    out.functions_source = "none";
  else
    throw InputError("facilities file '" + p.path + "': no service functions; give `services.functions_field` (a list such "
                     "as elderly_care;health), one 0/1 column per function id, or OSM tags with `services.osm_tags`");

  PointLayer pts = load_points(p, target_wkt, [&](const OGRFeature& f, const Facility& fac) {
    ServiceFacility s;
    s.point = fac;
    std::vector<std::string> unknown;
    if (list_i >= 0) {
      s.functions = parse_functions(detail::utf8_field(f, list_i, out.invalid_text), unknown);
      s.functions_known = s.functions != 0;  // an empty list says nothing (names no function known)
    } else if (any_bool && !o.osm_tags) {
      bool any_set = false;
      for (int k = 0; k < kFunctionCount; ++k) {
        if (bool_i[k] < 0 || !f.IsFieldSetAndNotNull(bool_i[k])) continue;
        any_set = true;
        if (truthy(f.GetFieldAsString(bool_i[k]))) s.functions |= FunctionSet(1u << k);
      }
      s.functions_known = any_set;
    } else {
      std::map<std::string, std::string> tags;
      if (tags_i >= 0 && f.IsFieldSetAndNotNull(tags_i)) {
        const std::string all = f.GetFieldAsString(tags_i);
        for (const char* k : osm_keys) {
          std::string v = hstore_value(all, k);
          if (!v.empty()) tags[k] = v;
        }
      }
      for (const char* k : osm_keys) {
        int i = f.GetFieldIndex(k);
        if (i >= 0 && f.IsFieldSetAndNotNull(i)) tags[k] = f.GetFieldAsString(i);
      }
      if (kind_i >= 0) {
        const std::string kind = detail::utf8_field(f, kind_i, out.invalid_text);
        auto eq = kind.find('=');
        if (eq != std::string::npos) tags[kind.substr(0, eq)] = kind.substr(eq + 1);
      }
      s.functions = functions_from_osm(tags);
      s.functions_known = s.functions != 0;
    }
    for (auto& u : unknown) ++out.unknown_functions[u];
    if (s.functions == 0) ++out.without_functions;
    for (int k = 0; k < kFunctionCount; ++k) {
      if (supply_i[k] < 0 || !(s.functions & (1u << k))) continue;
      const double v = f.IsFieldSetAndNotNull(supply_i[k]) ? f.GetFieldAsDouble(supply_i[k]) : kUnknown;
      if (std::isfinite(v) && v >= 0) s.supply[k] = v;
      else ++out.without_supply[k];
    }
    if (area_i >= 0 && f.IsFieldSetAndNotNull(area_i) && f.GetFieldAsDouble(area_i) >= 0)
      s.area_m2 = f.GetFieldAsDouble(area_i);
    else
      ++out.without_area;
    if (extra) extra(f, s);
    out.items.push_back(std::move(s));
  });
  out.skipped = pts.empty_geometries + pts.invalid_geometries;
  out.invalid_text += pts.invalid_text;
  out.source_crs = pts.source_crs;
  return out;
}

std::vector<Building> load_buildings(const BuildingLayerOptions& o, const std::string& target_wkt,
                                     std::int64_t* skipped) {
  const std::string what = "buildings";
  auto ds = detail::open_vector(o.path, what);
  OGRLayer* layer = detail::open_layer(*ds, o.path, o.layer, what);
  const std::string where = what + " file '" + o.path + "', layer '" + layer->GetName() + "'";
  auto source = detail::layer_srs(*layer, o.source_srs, where, "`buildings.source_srs`");
  auto tr = make_transform(source, working(target_wkt), o.datum, where, "buildings.datum");
  detail::set_filter(*layer, o.where, o.path, what);
  const int floors_i =
      detail::field_or_guess(*layer, o.floors_field, {"floors", "building:levels", "levels", "层数"}, o.path, what);
  std::vector<Building> out;
  std::int64_t bad = 0;
  for (auto& f : *layer) {
    bool repaired = false;
    Region g = detail::region_in(*f, tr.get(), repaired);
    if (g.empty()) {
      ++bad;
      continue;
    }
    Building b;
    b.geometry = std::move(g);
    if (floors_i >= 0 && f->IsFieldSetAndNotNull(floors_i) && f->GetFieldAsDouble(floors_i) > 0)
      b.floors = f->GetFieldAsDouble(floors_i);
    out.push_back(std::move(b));
  }
  detail::check_read(*layer, o.where, o.path, what);
  if (skipped) *skipped = bad;
  return out;
}

}  // namespace walkshed
