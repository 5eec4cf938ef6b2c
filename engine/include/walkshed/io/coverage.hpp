// Reading communities, service facilities and buildings, and writing the coverage layers.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "walkshed/access/access.hpp"
#include "walkshed/coverage/coverage.hpp"
#include "walkshed/io/output_options.hpp"
#include "walkshed/io/points.hpp"

class OGRFeature;

namespace walkshed {

struct CommunityLayerOptions {
  std::string path, layer, where, source_srs;
  std::string datum;        // lon/lat layers: wgs84 (default), gcj02 (Amap, Tencent) or bd09 (Baidu)
  std::string id_field, name_field, street_field, qualified_field;  // empty: guessed
  std::string households_field, population_field;                  // empty: guessed
  double household_size = 0;                                        // 0: household_size_for(city)
  std::string city = "national";
  // Residents per age band: band ("0-3", "60+") -> column; empty: columns named like age_0_3, age_60_plus.
  std::map<std::string, std::string> age_fields;
  std::vector<double> clip;  // a partition's box (working CRS): communities whose box misses it are left out
};

struct ServiceLayerOptions {
  PointLayerOptions points;
  std::string functions_field;  // list field; empty: boolean columns named by function id, else OSM tags
  bool osm_tags = false;        // force the OSM tag mapping
  std::string area_field;       // empty: guessed
  bool need_functions = true;   // false: functions are not read (candidate sites)
  // Supply per function (beds, places ...): the column; "area" or empty: not read (SupplySpec::field).
  std::array<std::string, kFunctionCount> supply_fields;
};

struct BuildingLayerOptions {
  std::string path, layer, where, source_srs;
  std::string datum;        // lon/lat layers: wgs84 (default), gcj02 (Amap, Tencent) or bd09 (Baidu)
  std::string floors_field;  // empty: building:levels / floors / levels if present, else 1
};

struct CommunityLayer {
  std::vector<Community> items;
  std::string households_source;  // "field households" or "population / 2.31"
  std::string source_crs;
  std::int64_t problems = 0, invalid_geometries = 0, repaired_geometries = 0;
  std::vector<std::pair<AgeBand, std::string>> age_columns;  // the residents-by-age columns read
  std::int64_t bad_age_counts = 0;  // negative or non-numeric age-band counts (left out)
  std::int64_t implausible = 0;  // more than kMaxHouseholds households in one community (kept, warned)
  std::int64_t invalid_text = 0;  // text values that were not UTF-8 (bad bytes replaced)
};

// More households than this in one community is implausible (a population typed as households, a
// unit error); the community is kept and the run warns.
constexpr double kMaxHouseholds = 100000;

struct ServiceLayer {
  std::vector<ServiceFacility> items;
  std::map<std::string, std::int64_t> unknown_functions;  // value -> count
  std::int64_t without_functions = 0, without_area = 0, skipped = 0;
  std::string functions_source;  // how functions were read
  std::array<std::string, kFunctionCount> supply_columns;  // the supply column read per function, if any
  std::array<std::int64_t, kFunctionCount> without_supply{};  // offering the function, no supply value
  std::string source_crs;
  std::int64_t invalid_text = 0;  // text values that were not UTF-8 (bad bytes replaced)
};

CommunityLayer load_communities(const CommunityLayerOptions& options, const std::string& target_wkt);
// `extra` reads more attributes of each kept feature (walkshed check).
ServiceLayer load_services(const ServiceLayerOptions& options, const std::string& target_wkt,
                           const std::function<void(const OGRFeature&, ServiceFacility&)>& extra = {});
std::vector<Building> load_buildings(const BuildingLayerOptions& options, const std::string& target_wkt,
                                     std::int64_t* skipped = nullptr);

// The access figures to write with the coverage layers (all null: none).
struct AccessTables {
  const AccessResult* result = nullptr;
  const PopulationProfile* population = nullptr;
  const SupplyProfile* supply = nullptr;
};

std::vector<std::string> write_coverage(const Graph& graph, const std::vector<Community>& communities,
                                        const std::vector<ServiceFacility>& facilities, const CoverageOptions& options,
                                        const CoverageResult& result, const AccessTables& access,
                                        const OutputOptions& output);

}  // namespace walkshed
