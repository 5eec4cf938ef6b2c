#include "walkshed/core/functions.hpp"

#include <algorithm>

namespace walkshed {

const std::array<FunctionInfo, kFunctionCount>& service_functions() {
  static const std::array<FunctionInfo, kFunctionCount> f = {{
      {"elderly_care", "eld", "养老服务"},
      {"infant_care", "inf", "婴幼儿托育"},
      {"child_care", "chd", "儿童托管"},
      {"community_canteen", "cnt", "社区助餐"},
      {"housekeeping_convenience", "hkc", "家政便民"},
      {"health", "hlt", "健康服务"},
      {"fitness", "fit", "体育健身"},
      {"culture_leisure", "cul", "文化休闲"},
      {"children_play", "ply", "儿童游憩"},
  }};
  return f;
}

int function_index(const std::string& name) {
  const auto& f = service_functions();
  for (int i = 0; i < kFunctionCount; ++i)
    if (name == f[i].id || name == f[i].code || name == f[i].label) return i;
  return -1;
}

FunctionSet parse_functions(const std::string& list, std::vector<std::string>& unknown) {
  FunctionSet set = 0;
  std::string item;
  auto flush = [&]() {
    if (item.empty()) return;
    const int i = function_index(item);
    if (i >= 0)
      set |= FunctionSet(1u << i);
    else
      unknown.push_back(item);
    item.clear();
  };
  for (size_t k = 0; k < list.size(); ++k) {
    const char c = list[k];
    if (c == ';' || c == ',' || c == '|' || c == '/' || c == ' ' || c == '\t')
      flush();
    else
      item += c;
  }
  flush();
  return set;
}

std::string function_list(FunctionSet set) {
  std::string out;
  for (int i = 0; i < kFunctionCount; ++i)
    if (set & (1u << i)) out += (out.empty() ? "" : ";") + std::string(service_functions()[i].id);
  return out;
}

FunctionSet functions_from_osm(const std::map<std::string, std::string>& tags) {
  auto tag = [&](const char* k) {
    auto it = tags.find(k);
    return it == tags.end() ? std::string() : it->second;
  };
  auto has = [&](const std::string& text, std::initializer_list<const char*> words) {
    return std::any_of(words.begin(), words.end(), [&](const char* w) { return text.find(w) != std::string::npos; });
  };
  const std::string amenity = tag("amenity"), leisure = tag("leisure"), shop = tag("shop"), name = tag("name");
  const std::string social = tag("social_facility"), social_for = tag("social_facility:for");
  FunctionSet s = 0;
  auto add = [&](int i) { s |= FunctionSet(1u << i); };
  if ((amenity == "social_facility" && (social_for == "senior" || social_for == "elderly")) ||
      amenity == "nursing_home" || has(name, {"养老", "日间照料", "托老所", "敬老", "老年服务"}))
    add(0);
  if (amenity == "childcare" || (amenity == "kindergarten" && tag("nursery") == "yes") ||
      has(name, {"托育", "托儿所", "育儿园"}))
    add(1);
  if (has(name, {"托管", "四点半课堂", "晚托"})) add(2);
  if (has(name, {"助餐", "长者食堂", "老年食堂", "社区食堂"})) add(3);
  if (shop == "laundry" || shop == "dry_cleaning" || shop == "hairdresser" || shop == "convenience" ||
      shop == "supermarket" || amenity == "post_office" || amenity == "parcel_locker" || amenity == "marketplace" ||
      !tag("craft").empty() || has(name, {"家政", "便民"}))
    add(4);
  if (amenity == "clinic" || amenity == "doctors" || amenity == "pharmacy" || amenity == "hospital" ||
      !tag("healthcare").empty() || has(name, {"卫生服务", "卫生站", "诊所"}))
    add(5);
  if (leisure == "fitness_station" || leisure == "fitness_centre" || leisure == "pitch" || leisure == "sports_centre")
    add(6);
  if (amenity == "library" || amenity == "community_centre" || amenity == "arts_centre") add(7);
  if (leisure == "playground") add(8);
  return s;
}

}  // namespace walkshed
