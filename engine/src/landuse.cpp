#include "walkshed/landuse.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

#include <ogr_api.h>

#include "gdal_util.hpp"
#include "walkshed/crs.hpp"

namespace walkshed {

namespace {

std::string trim(const std::string& s) {
  size_t a = s.find_first_not_of(" \t\r\n"), b = s.find_last_not_of(" \t\r\n");
  return a == std::string::npos ? std::string() : s.substr(a, b - a + 1);
}

enum class CodeSystem { National, GB, OSM };

CodeSystem system_of(const std::string& code) {
  if (code.find('=') != std::string::npos) return CodeSystem::OSM;
  if (!code.empty() && std::isdigit(static_cast<unsigned char>(code[0]))) return CodeSystem::National;
  return CodeSystem::GB;
}

double area_of(const OGRGeometry& g) { return OGR_G_Area(OGRGeometry::ToHandle(const_cast<OGRGeometry*>(&g))); }

}  // namespace

const char* eligibility_name(Eligibility e) {
  switch (e) {
    case Eligibility::Allowed: return "allowed";
    case Eligibility::Unlisted: return "not listed";
    case Eligibility::NonConstruction: return "non-construction land";
    case Eligibility::UnknownCode: return "unknown code";
    case Eligibility::NoParcel: return "outside every parcel";
  }
  return "";
}

LanduseLayer load_landuse(const LanduseLayerOptions& o, const std::string& target_wkt) {
  const std::string what = "land-use";
  auto ds = detail::open_vector(o.path, what);
  const bool osm = std::string(ds->GetDriver()->GetDescription()) == "OSM";
  OGRLayer* layer = detail::open_layer(*ds, o.path, o.layer.empty() && osm ? "multipolygons" : o.layer, what);
  const std::string where = what + " file '" + o.path + "', layer '" + layer->GetName() + "'";
  auto source = detail::layer_srs(*layer, o.source_srs, where, "--landuse-srs");
  OGRSpatialReference target;
  target.importFromWkt(target_wkt.c_str());
  target.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  auto tr = make_transform(source, target);
  detail::set_filter(*layer, o.where, o.path, what);
  const int code_i = detail::field_or_guess(
      *layer, o.code_field, {"landuse_code", "code", "YDDM", "yddm", "DLBM", "dlbm", "YDXZ", "用地代码", "用地性质"}, o.path, what);
  const int id_i = detail::field_or_guess(*layer, o.id_field, {"parcel_id", "id", "ID", "osm_way_id"}, o.path, what);
  const char* tag_keys[] = {"landuse", "amenity", "leisure", "place", "natural"};
  std::vector<std::pair<const char*, int>> tags;
  for (const char* k : tag_keys)
    if (int i = layer->GetLayerDefn()->GetFieldIndex(k); i >= 0) tags.push_back({k, i});
  if (code_i < 0 && tags.empty())
    throw InputError(where + ": no land-use code field (tried landuse_code, code, YDDM, DLBM, 用地代码); name it with "
                     "--landuse-field");
  LanduseLayer out;
  out.source_crs = srs_label(source);
  out.code_source = code_i >= 0 ? std::string("field ") + layer->GetLayerDefn()->GetFieldDefn(code_i)->GetNameRef()
                                : "OSM tags (landuse, amenity, leisure, place, natural)";
  for (auto& f : *layer) {
    std::string code;
    if (code_i >= 0) {
      code = trim(f->GetFieldAsString(code_i));
    } else {
      for (auto& [k, i] : tags)
        if (f->IsFieldSetAndNotNull(i)) {
          code = std::string(k) + "=" + f->GetFieldAsString(i);
          break;
        }
      if (code.empty()) continue;  // an OSM area that is not land use (a building, ...)
    }
    bool repaired = false;
    auto g = detail::polygon_in(*f, tr.get(), repaired);
    out.repaired += repaired;
    if (!g) {
      ++out.skipped;
      continue;
    }
    Parcel p;
    p.id = id_i >= 0 && f->IsFieldSetAndNotNull(id_i) ? f->GetFieldAsString(id_i) : std::to_string(f->GetFID());
    p.code = code;
    g->getEnvelope(&p.envelope);
    p.geometry = std::move(g);
    out.parcels.push_back(std::move(p));
  }
  if (out.parcels.empty()) throw InputError(where + ": no land-use parcel");
  return out;
}

std::string LanduseClassifier::classify(const std::string& raw) const {
  const std::string code = trim(raw);
  if (code.empty()) return {};
  if (auto it = p_.aliases.find(code); it != p_.aliases.end()) return it->second;
  const CodeSystem sys = system_of(code);
  std::string key = code;
  if (sys == CodeSystem::GB)
    std::transform(key.begin(), key.end(), key.begin(), [](unsigned char c) { return std::toupper(c); });
  std::string best;
  size_t best_len = 0;
  for (auto& cls : p_.classes)
    for (auto& c : cls.codes) {
      if (system_of(c) != sys || c.size() <= best_len) continue;
      const bool match = sys == CodeSystem::OSM ? key == c : key.compare(0, c.size(), c) == 0;
      // A GB prefix must end at a letter/digit boundary: "R" matches "R2" but "A" does not match "A7" when A7 is listed.
      if (match) best = cls.name, best_len = c.size();
    }
  if (sys == CodeSystem::GB && !best.empty()) {
    // The rest after the prefix must be digits only (R2, A33, B41), otherwise the code is unknown (R2B1, R/B).
    for (char ch : key.substr(best_len))
      if (!std::isdigit(static_cast<unsigned char>(ch))) return {};
  }
  if (sys == CodeSystem::National && !best.empty()) {
    for (char ch : key)
      if (!std::isdigit(static_cast<unsigned char>(ch))) return {};
  }
  return best;
}

ParcelIndex::ParcelIndex(const LanduseLayer& layer, const Profile& profile)
    : layer_(layer), profile_(profile), classifier_(profile) {
  const auto& ps = layer.parcels;
  class_of_.resize(ps.size());
  ignored_.assign(ps.size(), 0);
  OGREnvelope all;
  for (size_t i = 0; i < ps.size(); ++i) {
    class_of_[i] = classifier_.classify(ps[i].code);
    // OSM: an unknown landuse=* value is reported; other unknown tags are areas, not land use.
    if (class_of_[i].empty() && system_of(ps[i].code) == CodeSystem::OSM && ps[i].code.rfind("landuse=", 0) != 0)
      ignored_[i] = 1;
    else if (class_of_[i].empty())
      ++unknown_[ps[i].code];
    all.Merge(ps[i].envelope);
  }
  x0_ = all.MinX, y0_ = all.MinY;
  const double w = std::max(1.0, all.MaxX - all.MinX), h = std::max(1.0, all.MaxY - all.MinY);
  cell_ = std::max(1.0, std::sqrt(w * h / std::max<size_t>(1, ps.size())));
  nx_ = static_cast<std::int64_t>(w / cell_) + 1, ny_ = static_cast<std::int64_t>(h / cell_) + 1;
  cells_.resize(nx_ * ny_);
  for (size_t i = 0; i < ps.size(); ++i) {
    const auto& e = ps[i].envelope;
    for (std::int64_t cy = (e.MinY - y0_) / cell_; cy <= std::int64_t((e.MaxY - y0_) / cell_); ++cy)
      for (std::int64_t cx = (e.MinX - x0_) / cell_; cx <= std::int64_t((e.MaxX - x0_) / cell_); ++cx)
        cells_[cy * nx_ + cx].push_back(static_cast<int>(i));
  }
}

SiteLanduse ParcelIndex::judge(int parcel, double share) const {
  SiteLanduse s;
  s.parcel = parcel;
  s.overlap_share = share;
  if (parcel < 0) return s;
  s.code = layer_.parcels[parcel].code;
  s.land_class = class_of_[parcel];
  if (s.land_class.empty()) {
    s.eligibility = Eligibility::UnknownCode;
  } else if (std::find(profile_.allowed.begin(), profile_.allowed.end(), s.land_class) != profile_.allowed.end()) {
    s.eligibility = Eligibility::Allowed;
  } else {
    bool construction = true;
    for (auto& c : profile_.classes)
      if (c.name == s.land_class) construction = c.construction;
    s.eligibility = construction ? Eligibility::Unlisted : Eligibility::NonConstruction;
  }
  return s;
}

SiteLanduse ParcelIndex::locate(const OGRGeometry& site) const {
  OGREnvelope e;
  site.getEnvelope(&e);
  std::vector<int> cand;
  auto clampx = [&](double v) { return std::max<std::int64_t>(0, std::min<std::int64_t>(nx_ - 1, std::floor((v - x0_) / cell_))); };
  auto clampy = [&](double v) { return std::max<std::int64_t>(0, std::min<std::int64_t>(ny_ - 1, std::floor((v - y0_) / cell_))); };
  for (std::int64_t cy = clampy(e.MinY); cy <= clampy(e.MaxY); ++cy)
    for (std::int64_t cx = clampx(e.MinX); cx <= clampx(e.MaxX); ++cx)
      for (int i : cells_[cy * nx_ + cx]) cand.push_back(i);
  std::sort(cand.begin(), cand.end());
  cand.erase(std::unique(cand.begin(), cand.end()), cand.end());
  const auto type = wkbFlatten(site.getGeometryType());
  cand.erase(std::remove_if(cand.begin(), cand.end(), [&](int i) { return ignored_[i]; }), cand.end());
  if (type == wkbPoint) {
    // Nested areas (OSM): the smallest parcel containing the point.
    int best = -1;
    double best_area = 0;
    for (int i : cand)
      if (layer_.parcels[i].envelope.Contains(e) && layer_.parcels[i].geometry->Intersects(&site)) {
        const double a = area_of(*layer_.parcels[i].geometry);
        if (best < 0 || a < best_area) best = i, best_area = a;
      }
    return judge(best, best < 0 ? 0 : 1.0);
  }
  const double site_area = area_of(site);
  int best = -1;
  double best_area = 0;
  for (int i : cand) {
    if (!layer_.parcels[i].envelope.Intersects(e)) continue;
    std::unique_ptr<OGRGeometry> x(layer_.parcels[i].geometry->Intersection(&site));
    const double a = x ? area_of(*x) : 0;
    if (a > best_area) best = i, best_area = a;
  }
  return judge(best, site_area > 0 ? best_area / site_area : 0);
}

}  // namespace walkshed
