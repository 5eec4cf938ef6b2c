// Reading land-use parcels.
#include "walkshed/io/landuse.hpp"

#include "io/gdal/gdal_util.hpp"
#include "walkshed/io/crs.hpp"
#include "walkshed/network/roads.hpp"

namespace walkshed {

namespace {

std::string trim(const std::string& s) {
  size_t a = s.find_first_not_of(" \t\r\n"), b = s.find_last_not_of(" \t\r\n");
  return a == std::string::npos ? std::string() : s.substr(a, b - a + 1);
}

}  // namespace

LanduseLayer load_landuse(const LanduseLayerOptions& o, const std::string& target_wkt) {
  const std::string what = "land-use";
  auto ds = detail::open_vector(o.path, what);
  const bool osm = std::string(ds->GetDriver()->GetDescription()) == "OSM";
  OGRLayer* layer = detail::open_layer(*ds, o.path, o.layer.empty() && osm ? "multipolygons" : o.layer, what);
  const std::string where = what + " file '" + o.path + "', layer '" + layer->GetName() + "'";
  auto source = detail::layer_srs(*layer, o.source_srs, where, "`landuse.source_srs`");
  OGRSpatialReference target;
  target.importFromWkt(target_wkt.c_str());
  target.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  auto tr = make_transform(source, target, o.datum, where, "landuse.datum");
  detail::set_filter(*layer, o.where, o.path, what);
  const int code_i = detail::field_or_guess(
      *layer, o.code_field, {"landuse_code", "code", "YDDM", "yddm", "DLBM", "dlbm", "YDXZ", "用地代码", "用地性质"}, o.path, what);
  const int id_i = detail::field_or_guess(*layer, o.id_field, {"parcel_id", "id", "ID", "osm_way_id"}, o.path, what);
  const int name_i = detail::field_or_guess(*layer, "", {"name", "名称", "地块名称"}, o.path, what);
  const int address_i = detail::field_or_guess(*layer, "", {"address", "地址"}, o.path, what);
  const int other_tags_i = layer->GetLayerDefn()->GetFieldIndex("other_tags");
  const char* tag_keys[] = {"landuse", "amenity", "leisure", "place", "natural"};
  std::vector<std::pair<const char*, int>> tags;
  for (const char* k : tag_keys)
    if (int i = layer->GetLayerDefn()->GetFieldIndex(k); i >= 0) tags.push_back({k, i});
  if (code_i < 0 && tags.empty())
    throw InputError(where + ": no land-use code field (tried landuse_code, code, YDDM, DLBM, 用地代码); name it with "
                     "`landuse.code_field`");
  LanduseLayer out;
  out.source_crs = srs_label(source);
  out.code_source = code_i >= 0 ? std::string("field ") + layer->GetLayerDefn()->GetFieldDefn(code_i)->GetNameRef()
                                : "OSM tags (landuse, amenity, leisure, place, natural)";
  for (auto& f : *layer) {
    std::string code;
    if (code_i >= 0) {
      code = trim(detail::utf8_field(*f, code_i, out.invalid_text));
    } else {
      for (auto& [k, i] : tags)
        if (f->IsFieldSetAndNotNull(i)) {
          code = std::string(k) + "=" + f->GetFieldAsString(i);
          break;
        }
      if (code.empty()) continue;  // an OSM area that is not land use (a building, ...)
    }
    bool repaired = false;
    Region g = detail::region_in(*f, tr.get(), repaired);
    out.repaired += repaired;
    if (g.empty()) {
      ++out.skipped;
      continue;
    }
    if (!meets_clip(o.clip, g.box())) continue;
    Parcel p;
    p.id = id_i >= 0 && f->IsFieldSetAndNotNull(id_i) ? detail::utf8_field(*f, id_i, out.invalid_text)
                                                      : std::to_string(f->GetFID());
    p.code = code;
    if (name_i >= 0 && f->IsFieldSetAndNotNull(name_i)) p.name = trim(detail::utf8_field(*f, name_i, out.invalid_text));
    if (address_i >= 0 && f->IsFieldSetAndNotNull(address_i)) {
      p.address = trim(detail::utf8_field(*f, address_i, out.invalid_text));
    } else if (other_tags_i >= 0 && f->IsFieldSetAndNotNull(other_tags_i)) {  // OSM: addr:street + housenumber
      const std::string tags = detail::utf8_field(*f, other_tags_i, out.invalid_text);
      const std::string street = hstore_value(tags, "addr:street"), number = hstore_value(tags, "addr:housenumber");
      p.address = street.empty() ? "" : street + (number.empty() ? "" : " " + number);
    }
    p.box = g.box();
    p.geometry = std::move(g);
    out.parcels.push_back(std::move(p));
  }
  detail::check_read(*layer, o.where, o.path, what);
  if (out.parcels.empty()) throw InputError(where + ": no land-use parcel");
  return out;
}

}  // namespace walkshed
