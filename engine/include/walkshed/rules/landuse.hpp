// Land-use parcels and the eligibility of sites under a profile.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "walkshed/core/region.hpp"
#include "walkshed/rules/profile.hpp"

namespace walkshed {

struct Parcel {
  std::string id, code;
  std::string name, address;  // where the layer has them (name, 名称, address, 地址; OSM addr:* tags)
  Region geometry;  // working CRS
  Box box;
};

struct LanduseLayer {
  std::vector<Parcel> parcels;
  std::string code_source;   // field name or "OSM tags"
  std::string source_crs;
  std::int64_t repaired = 0, skipped = 0;
  std::int64_t invalid_text = 0;  // text values that were not UTF-8 (bad bytes replaced)
};

// Code -> land-use class of a profile: local aliases first, then the longest code prefix within
// the code's system (2023 national digits, GB 50137 letters, OSM key=value). "" when unknown.
class LanduseClassifier {
 public:
  explicit LanduseClassifier(const Profile& profile) : p_(profile) {}
  std::string classify(const std::string& code) const;

 private:
  const Profile& p_;
};

// Restricted: a class the profile warns on or refuses for a reason of its own (LanduseClass::note).
enum class Eligibility { Allowed, Unlisted, NonConstruction, Restricted, UnknownCode, NoParcel };
const char* eligibility_name(Eligibility e);

struct SiteLanduse {
  int parcel = -1;           // index in the layer
  std::string parcel_id;     // the parcel's id
  std::string code, land_class;
  double overlap_share = 0;  // polygon sites: share of the site on that parcel; points: 1
  Eligibility eligibility = Eligibility::NoParcel;
};

class ParcelIndex {
 public:
  ParcelIndex(const LanduseLayer& layer, const Profile& profile);
  // A point: the smallest parcel covering it; a polygon: the parcel of largest overlap.
  SiteLanduse locate(const XY& site) const;
  SiteLanduse locate(const Region& site) const;
  // Codes no class knows, with their parcel counts.
  const std::map<std::string, std::int64_t>& unknown_codes() const { return unknown_; }

 private:
  SiteLanduse judge(int parcel, double share) const;
  std::vector<int> near(const Box& box) const;  // parcels whose box meets it (not ignored)
  const LanduseLayer& layer_;
  const Profile& profile_;
  LanduseClassifier classifier_;
  std::vector<std::string> class_of_;  // per parcel
  std::vector<double> area_;           // per parcel, m2
  std::vector<char> ignored_;          // OSM areas that are not land use (amenity=restaurant, ...)
  std::map<std::string, std::int64_t> unknown_;
  double x0_ = 0, y0_ = 0, cell_ = 1;
  std::int64_t nx_ = 1, ny_ = 1;
  std::vector<std::vector<int>> cells_;
};

}  // namespace walkshed
