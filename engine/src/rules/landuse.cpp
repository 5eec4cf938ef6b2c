#include "walkshed/rules/landuse.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>


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

}  // namespace

const char* eligibility_name(Eligibility e) {
  switch (e) {
    case Eligibility::Allowed: return "allowed";
    case Eligibility::Unlisted: return "not listed";
    case Eligibility::NonConstruction: return "non-construction land";
    case Eligibility::Restricted: return "restricted";
    case Eligibility::UnknownCode: return "unknown code";
    case Eligibility::NoParcel: return "outside every parcel";
  }
  return "";
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
  Box all;
  for (size_t i = 0; i < ps.size(); ++i) {
    class_of_[i] = classifier_.classify(ps[i].code);
    area_.push_back(area(ps[i].geometry));
    // OSM: an unknown landuse=* value is reported; other unknown tags are areas, not land use.
    if (class_of_[i].empty() && system_of(ps[i].code) == CodeSystem::OSM && ps[i].code.rfind("landuse=", 0) != 0)
      ignored_[i] = 1;
    else if (class_of_[i].empty())
      ++unknown_[ps[i].code];
    all.add(ps[i].box);
  }
  x0_ = all.min_x, y0_ = all.min_y;
  const double w = std::max(1.0, all.max_x - all.min_x), h = std::max(1.0, all.max_y - all.min_y);
  cell_ = std::max(1.0, std::sqrt(w * h / std::max<size_t>(1, ps.size())));
  nx_ = static_cast<std::int64_t>(w / cell_) + 1, ny_ = static_cast<std::int64_t>(h / cell_) + 1;
  cells_.resize(nx_ * ny_);
  for (size_t i = 0; i < ps.size(); ++i) {
    const Box& e = ps[i].box;
    for (std::int64_t cy = (e.min_y - y0_) / cell_; cy <= std::int64_t((e.max_y - y0_) / cell_); ++cy)
      for (std::int64_t cx = (e.min_x - x0_) / cell_; cx <= std::int64_t((e.max_x - x0_) / cell_); ++cx)
        cells_[cy * nx_ + cx].push_back(static_cast<int>(i));
  }
}

SiteLanduse ParcelIndex::judge(int parcel, double share) const {
  SiteLanduse s;
  s.parcel = parcel;
  s.overlap_share = share;
  if (parcel < 0) return s;
  s.parcel_id = layer_.parcels[parcel].id;
  s.code = layer_.parcels[parcel].code;
  s.land_class = class_of_[parcel];
  const LanduseClass* cls = profile_.landuse_class(s.land_class);
  if (s.land_class.empty()) {
    s.eligibility = Eligibility::UnknownCode;
  } else if (cls && cls->restricted) {
    s.eligibility = Eligibility::Restricted;
  } else if (std::find(profile_.allowed.begin(), profile_.allowed.end(), s.land_class) != profile_.allowed.end()) {
    s.eligibility = Eligibility::Allowed;
  } else {
    s.eligibility = !cls || cls->construction ? Eligibility::Unlisted : Eligibility::NonConstruction;
  }
  return s;
}

std::vector<int> ParcelIndex::near(const Box& e) const {
  std::vector<int> cand;
  auto clampx = [&](double v) { return std::max<std::int64_t>(0, std::min<std::int64_t>(nx_ - 1, std::floor((v - x0_) / cell_))); };
  auto clampy = [&](double v) { return std::max<std::int64_t>(0, std::min<std::int64_t>(ny_ - 1, std::floor((v - y0_) / cell_))); };
  for (std::int64_t cy = clampy(e.min_y); cy <= clampy(e.max_y); ++cy)
    for (std::int64_t cx = clampx(e.min_x); cx <= clampx(e.max_x); ++cx)
      for (int i : cells_[cy * nx_ + cx]) cand.push_back(i);
  std::sort(cand.begin(), cand.end());
  cand.erase(std::unique(cand.begin(), cand.end()), cand.end());
  cand.erase(std::remove_if(cand.begin(), cand.end(), [&](int i) { return ignored_[i] || !layer_.parcels[i].box.intersects(e); }),
             cand.end());
  return cand;
}

SiteLanduse ParcelIndex::locate(const XY& site) const {
  Box e;
  e.add(site);
  // Nested areas (OSM): the smallest parcel containing the point.
  int best = -1;
  double best_area = 0;
  for (int i : near(e))
    if (covers(layer_.parcels[i].geometry, site)) {
      const double a = area_[i];
      if (best < 0 || a < best_area) best = i, best_area = a;
    }
  return judge(best, best < 0 ? 0 : 1.0);
}

SiteLanduse ParcelIndex::locate(const Region& site) const {
  const double site_area = area(site);
  int best = -1;
  double best_area = 0;
  double best_size = 0;
  for (int i : near(site.box())) {
    const double a = intersection_area(layer_.parcels[i].geometry, site);
    if (!(a > 0)) continue;
    // Equal overlaps (a site inside nested OSM areas) go to the smaller parcel, as for points; the
    // tolerance keeps rounding in the intersection from deciding.
    const double size = area_[i], tol = 1e-9 * std::max(a, best_area);
    if (best < 0 || a > best_area + tol || (a >= best_area - tol && size < best_size))
      best = i, best_area = std::max(a, best_area), best_size = size;
  }
  return judge(best, site_area > 0 ? best_area / site_area : 0);
}

}  // namespace walkshed
