// Test helper: Porto Alegre's walking graph and hexgrid cells (../shared/data/r5r-porto-alegre), the
// cell centres in the graph's CRS.
#pragma once
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "walkshed/io/crs.hpp"
#include "walkshed/io/roads.hpp"
#include "walkshed/network/graph.hpp"

namespace test {

struct HexCell {
  std::string id;
  double x = 0, y = 0, population = 0, healthcare = 0;
};

struct Hexgrid {
  walkshed::Graph graph;
  std::vector<HexCell> cells;
};

inline Hexgrid porto_alegre() {
  using namespace walkshed;
  const std::string dir = std::string(WALKSHED_SHARED_DATA) + "/r5r-porto-alegre";
  RoadOptions ro;
  ro.path = dir + "/poa_osm.pbf";
  Hexgrid h;
  h.graph = build_graph(load_roads(ro), {});
  OGRSpatialReference wgs = srs_from_epsg(4326), work;
  work.importFromWkt(h.graph.crs_wkt.c_str());
  work.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  auto tr = make_transform(wgs, work);
  std::ifstream csv(dir + "/poa_hexgrid.csv");
  REQUIRE(csv);
  std::string line;
  std::getline(csv, line);
  while (std::getline(csv, line)) {
    std::stringstream ss(line);
    std::string id, lon, lat, pop, schools, jobs, care;
    std::getline(ss, id, ','), std::getline(ss, lon, ','), std::getline(ss, lat, ',');
    std::getline(ss, pop, ','), std::getline(ss, schools, ','), std::getline(ss, jobs, ','), std::getline(ss, care, ',');
    auto num = [](const std::string& v) { return v.empty() ? 0.0 : std::stod(v); };  // a few cells are blank
    HexCell c{id, std::stod(lon), std::stod(lat), num(pop), num(care)};
    REQUIRE(tr->Transform(1, &c.x, &c.y));
    h.cells.push_back(c);
  }
  return h;
}

}  // namespace test
