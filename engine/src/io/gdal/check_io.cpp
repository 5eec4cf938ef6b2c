// Sites and their rule attributes in; rule results out (layer and CSV).
#include "walkshed/io/check.hpp"

#include <cmath>
#include <sstream>

#include "io/gdal/gdal_util.hpp"
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
    a.government_nonprofit = flag(f, "government_nonprofit");
    out.attributes.push_back(a);
  });
  return out;
}

std::vector<std::string> write_check(const Profile& p, const std::string& crs_wkt, const std::vector<CheckedSite>& sites,
                                     const CheckOutputOptions& o) {
  OutputSet set(o.path, o.format, o.inputs);
  OGRSpatialReference srs;
  srs.importFromWkt(crs_wkt.c_str());
  srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  std::vector<FieldDef> fields = {{"fac_id", OFTString, ""},          {"name", OFTString, ""},
                                  {"functions", OFTString, ""},       {"categories", OFTString, "categories"},
                                  {"area_m2", OFTReal, ""},           {"parcel_id", OFTString, ""},
                                  {"landuse_code", OFTString, "lu_code"}, {"landuse_class", OFTString, "lu_class"},
                                  {"overlap_share", OFTReal, "lu_share"}};
  for (auto& [id, col] : check_columns()) fields.push_back({id, OFTString, col});
  for (auto& [name, type] : std::vector<std::pair<std::string, OGRFieldType>>{
           {"summary", OFTString}, {"errors", OFTInteger}, {"warnings", OFTInteger}, {"infos", OFTInteger},
           {"missing", OFTInteger}, {"subsidy_cny", OFTReal}})
    fields.push_back({name, type, name == "subsidy_cny" ? "subsidy" : ""});
  fields.push_back({"profile", OFTString, ""});
  auto w = set.add_layer("checked", wkbPoint, srs, fields);
  for (auto& s : sites) {
    auto f = w.new_feature();
    f->SetField(w.field("fac_id"), s.facility.point.id.c_str());
    f->SetField(w.field("name"), s.facility.point.name.c_str());
    f->SetField(w.field("functions"), function_list(s.facility.functions).c_str());
    f->SetField(w.field("categories"), s.categories.c_str());
    if (!std::isnan(s.facility.area_m2)) f->SetField(w.field("area_m2"), s.facility.area_m2);
    if (s.landuse.parcel >= 0) {
      f->SetField(w.field("landuse_code"), s.landuse.code.c_str());
      f->SetField(w.field("landuse_class"), s.landuse.land_class.c_str());
      f->SetField(w.field("overlap_share"), s.landuse.overlap_share);
    }
    for (auto& r : s.results) f->SetField(w.field(r.rule), outcome_name(r.outcome));
    f->SetField(w.field("summary"), s.summary.c_str());
    f->SetField(w.field("errors"), s.errors);
    f->SetField(w.field("warnings"), s.warnings);
    f->SetField(w.field("infos"), s.infos);
    f->SetField(w.field("missing"), s.missing);
    if (!std::isnan(s.subsidy_cny)) f->SetField(w.field("subsidy_cny"), s.subsidy_cny);
    f->SetField(w.field("profile"), p.name.c_str());
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
  set.add_text(o.csv, "_rules.csv", out.str());
  set.commit();
  return set.paths();
}

}  // namespace walkshed
