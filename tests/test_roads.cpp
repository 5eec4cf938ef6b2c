// Reading road layers: the GeoPackage fast path (SQLite) gives exactly what OGR's feature loop gives.
#include <catch2/catch.hpp>

#include <dirent.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <tuple>

#include <ogrsf_frmts.h>

#include "io/gpkg/gpkg_lines.hpp"
#include "support.hpp"
#include "walkshed/io/crs.hpp"
#include "walkshed/network/graph.hpp"
#include "walkshed/io/roads.hpp"
#include "walkshed/core/error.hpp"

using namespace walkshed;

namespace {

RoadSet read(const std::string& path, const std::string& layer, bool through_ogr) {
  RoadOptions o;
  o.path = path;
  o.layer = layer;
  o.walking_rule = false;  // the readers compared, not the rule (which takes OGR's path)
  if (through_ogr) o.where = "1 = 1";  // an attribute filter always takes OGR's path
  return load_roads(o);
}

void require_same(const RoadSet& a, const RoadSet& b) {
  REQUIRE(a.features_read == b.features_read);
  REQUIRE(a.dropped == b.dropped);
  REQUIRE(a.epsg == b.epsg);
  REQUIRE(a.crs_wkt == b.crs_wkt);
  REQUIRE(a.lines.points.size() == b.lines.points.size());
  REQUIRE(a.lines.first == b.lines.first);
  REQUIRE(a.source_id == b.source_id);
  REQUIRE(a.line_class == b.line_class);
  REQUIRE(a.class_names == b.class_names);
  REQUIRE(a.from_node == b.from_node);
  REQUIRE(a.to_node == b.to_node);
  for (size_t k = 0; k < a.lines.points.size(); ++k) REQUIRE(a.lines.points[k] == b.lines.points[k]);
}

// A new GeoPackage at `path`, closed (and written) when the pointer goes.
std::unique_ptr<GDALDataset> new_gpkg(const std::string& path) {
  GDALAllRegister();
  auto* driver = GetGDALDriverManager()->GetDriverByName("GPKG");
  std::unique_ptr<GDALDataset> ds(driver->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
  REQUIRE(ds);
  return ds;
}

// A layer in CGCS2000 GK CM 114E: also the working CRS chosen for it, so nothing is reprojected.
OGRLayer* gk_layer(GDALDataset& ds, const char* name, OGRwkbGeometryType type) {
  OGRSpatialReference srs;
  srs.importFromEPSG(4547);
  return ds.CreateLayer(name, &srs, type, nullptr);
}

}  // namespace

TEST_CASE("roads: GeoPackage read through SQLite equals OGR for every geometry kind", "[roads]") {
  const auto dir = std::filesystem::temp_directory_path() / "walkshed_test_roads";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "mixed.gpkg").string();
  {
    auto ds = new_gpkg(path);
    OGRLayer* layer = gk_layer(*ds, "ways", wkbUnknown);
    OGRFieldDefn cls("highway", OFTString);
    layer->CreateField(&cls);
    const char* rows[][2] = {
        {"LINESTRING (500000 3400000, 500010 3400000, 500010 3400020)", "footway"},
        {"LINESTRING Z (500000 3400100, 500030 3400100)", "path"},
        {"LINESTRING M (500000 3400200, 500000 3400230)", nullptr},
        {"LINESTRING ZM (500100 3400000, 500120 3400000)", "steps"},
        {"MULTILINESTRING ((500200 3400000, 500210 3400000), (500220 3400000, 500230 3400005))", "service"},
        {"MULTILINESTRING Z ((500300 3400000 5, 500310 3400000 6))", "track"},
        {"CIRCULARSTRING (500400 3400000, 500410 3400010, 500420 3400000)", "curve"},
        {"LINESTRING EMPTY", "empty"},
        {nullptr, "null geometry"},
        {"POINT (500500 3400000)", "point"},
        {"GEOMETRYCOLLECTION (LINESTRING (500600 3400000, 500610 3400000))", "collection"},
    };
    for (auto& r : rows) {
      OGRFeature f(layer->GetLayerDefn());
      if (r[1]) f.SetField("highway", r[1]);
      if (r[0]) {
        OGRGeometry* g = nullptr;
        REQUIRE(OGRGeometryFactory::createFromWkt(r[0], nullptr, &g) == OGRERR_NONE);
        f.SetGeometryDirectly(g);
      }
      REQUIRE(layer->CreateFeature(&f) == OGRERR_NONE);
    }
  }
  const RoadSet fast = read(path, "ways", false), ogr = read(path, "ways", true);
  REQUIRE(fast.read_by_sqlite);
  REQUIRE_FALSE(ogr.read_by_sqlite);
  require_same(fast, ogr);
  CHECK(fast.features_read == 11);
  CHECK(fast.lines.size() == 9);  // two of them from one multilinestring
  CHECK(fast.dropped.at("empty geometry") == 2);
  CHECK(fast.dropped.at("not a line") == 1);
  CHECK(fast.epsg == 4547);
  CHECK(fast.lines.count(1) == 2);
  CHECK(fast.lines.at(1, 1).x == 500030);  // the Z value is dropped, not read as y
  CHECK(fast.lines.at(1, 1).y == 3400100);
  CHECK(fast.class_names[fast.line_class[2]].empty());  // NULL class
  CHECK(fast.lines.count(7) > 3);                       // the arc is linearised
  std::filesystem::remove_all(dir);
}

TEST_CASE("roads: real GeoPackages read through SQLite equal OGR", "[roads][shared]") {
  const std::string shared = WALKSHED_SHARED_DATA;
  for (auto [path, layer] : {std::pair<std::string, std::string>{shared + "/wuhan-roads-osm-derived/wuhan_roads.gpkg", "wuhan_central_roads"},
                             {shared + "/hangzhou-roads-ngraph/hangzhou_roads.gpkg", "roads"}}) {
    INFO(path);
    require_same(read(path, layer, false), read(path, layer, true));
  }
}

TEST_CASE("roads: OSM files read through libosmium equal GDAL's OSM driver", "[roads]") {
  RoadOptions o;
  o.path = std::string(WALKSHED_DATA_DIR) + "/beijing_cau.osm.pbf";
  const RoadSet fast = load_roads(o);
  o.source_srs = "EPSG:4326";  // a stated CRS takes GDAL's path
  const RoadSet gdal = load_roads(o);
  REQUIRE(fast.osm);
  REQUIRE(gdal.osm);
  REQUIRE(fast.epsg == gdal.epsg);
  REQUIRE(fast.lines.first == gdal.lines.first);
  REQUIRE(fast.source_id == gdal.source_id);
  REQUIRE(fast.lines.size() > 200);
  for (std::uint32_t i = 0; i < fast.lines.size(); ++i)
    REQUIRE(fast.class_names[fast.line_class[i]] == gdal.class_names[gdal.line_class[i]]);
  for (std::size_t k = 0; k < fast.lines.points.size(); ++k) {
    REQUIRE(std::abs(fast.lines.points[k].x - gdal.lines.points[k].x) < 1e-6);
    REQUIRE(std::abs(fast.lines.points[k].y - gdal.lines.points[k].y) < 1e-6);
  }
  // The walking rule drops the same ways (GDAL does not report ways without significant tags the
  // same way, so "no highway tag" may differ).
  auto rule_drops = [](std::map<std::string, std::int64_t> d) {
    d.erase("no highway tag");
    return d;
  };
  CHECK(rule_drops(fast.dropped) == rule_drops(gdal.dropped));
}

TEST_CASE("roads: a GeoPackage of OSM lines (a highway field) is walked by the OSM walking rule", "[roads]") {
  const auto dir = std::filesystem::temp_directory_path() / ("walkshed_test_highway_" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "osm_export.gpkg").string();
  {
    auto ds = new_gpkg(path);
    OGRLayer* layer = gk_layer(*ds, "lines", wkbLineString);
    for (const char* name : {"highway", "foot", "other_tags"}) {
      OGRFieldDefn def(name, OFTString);
      layer->CreateField(&def);
    }
    struct Row {
      const char *highway, *foot, *other_tags;
    };
    const Row rows[] = {{"footway", nullptr, nullptr},  {"motorway", nullptr, nullptr},
                        {"cycleway", nullptr, nullptr}, {"cycleway", "yes", nullptr},
                        {"residential", nullptr, "\"access\"=>\"private\""}, {"residential", nullptr, nullptr},
                        {nullptr, nullptr, "\"waterway\"=>\"stream\""}};
    double y = 3400000;
    for (auto& r : rows) {
      OGRFeature f(layer->GetLayerDefn());
      if (r.highway) f.SetField("highway", r.highway);
      if (r.foot) f.SetField("foot", r.foot);
      if (r.other_tags) f.SetField("other_tags", r.other_tags);
      OGRLineString line;
      line.addPoint(500000, y), line.addPoint(500050, y);
      y += 100;
      f.SetGeometry(&line);
      REQUIRE(layer->CreateFeature(&f) == OGRERR_NONE);
    }
  }
  RoadOptions o;
  o.path = path;
  const RoadSet walked = load_roads(o);
  CHECK(walked.walking_rule);
  CHECK(walked.lines.size() == 3);  // footway, cycleway with foot=yes, residential
  CHECK(walked.dropped.at("highway=motorway") == 1);
  CHECK(walked.dropped.at("highway=cycleway") == 1);
  CHECK(walked.dropped.at("access=private") == 1);
  CHECK(walked.dropped.at("no highway tag") == 1);
  o.walking_rule = false;
  const RoadSet all = load_roads(o);
  CHECK_FALSE(all.walking_rule);
  CHECK(all.lines.size() == 7);
  o.walking_rule = true;
  o.class_field = "highway";  // a class field named by the user: taken as it is
  CHECK(load_roads(o).lines.size() == 7);
  std::filesystem::remove_all(dir);
}

TEST_CASE("roads: a corrupt OSM file is an input error and leaves no file open", "[roads]") {
  auto open_files = [] {
    int n = 0;
    if (DIR* d = opendir("/proc/self/fd")) {
      while (readdir(d)) ++n;
      closedir(d);
    }
    return n;
  };
  std::ifstream in(std::string(WALKSHED_DATA_DIR) + "/beijing_cau.osm.pbf", std::ios::binary);
  const std::string good((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto dir = std::filesystem::temp_directory_path() / ("walkshed-corrupt-pbf-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  const std::string bad_header = "garbage that is no blob header";
  std::string bad_block = good;
  for (std::size_t k = 0; k < 16; ++k) bad_block[good.size() / 2 + k] ^= 0x5a;  // inside a data block
  const std::string truncated = good.substr(0, good.size() / 3);
  RoadOptions o;
  o.path = (dir / "bad.osm.pbf").string();
  int before = -1;  // counted after the first read, which opens PROJ's database for good
  for (const std::string& bytes : {bad_header, bad_block, truncated}) {
    std::ofstream(o.path, std::ios::binary | std::ios::trunc) << bytes;
    for (int k = 0; k < 20; ++k) {
      REQUIRE_THROWS_AS(load_roads(o), InputError);
      if (before < 0) before = open_files();
    }
  }
  CHECK(open_files() == before);
  std::filesystem::remove_all(dir);
}

TEST_CASE("roads: node id fields give the graph they describe, through SQLite and OGR", "[roads][graph]") {
  // The sample's graph, written as edges with u/v (as `walkshed graph --export-edges` does), plus a
  // feature without ids and a multi-part one, read back with --node-fields u,v.
  RoadOptions osm;
  osm.path = std::string(WALKSHED_DATA_DIR) + "/beijing_cau.osm.pbf";
  const Graph noded = build_graph(load_roads(osm), {});
  const auto dir = std::filesystem::temp_directory_path() / "walkshed_test_node_ids";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  GDALAllRegister();
  for (const char* driver_name : {"GPKG", "GeoJSON"}) {
    INFO(driver_name);
    const std::string path = (dir / (std::string("edges.") + (driver_name[1] == 'P' ? "gpkg" : "geojson"))).string();
    {
      auto* driver = GetGDALDriverManager()->GetDriverByName(driver_name);
      std::unique_ptr<GDALDataset> ds(driver->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
      OGRSpatialReference srs;
      srs.importFromWkt(noded.crs_wkt.c_str());
      OGRLayer* layer = ds->CreateLayer("edges", &srs, wkbUnknown, nullptr);
      for (const char* name : {"u", "v"}) {
        OGRFieldDefn fd(name, OFTInteger64);
        layer->CreateField(&fd);
      }
      OGRFieldDefn cls("highway", OFTString);
      layer->CreateField(&cls);
      auto add = [&](OGRGeometry* g, std::int64_t u, std::int64_t v, bool ids, const std::string& road_class = "") {
        OGRFeature f(layer->GetLayerDefn());
        f.SetField("highway", road_class.c_str());
        if (ids) f.SetField("u", static_cast<GIntBig>(u)), f.SetField("v", static_cast<GIntBig>(v));
        f.SetGeometryDirectly(g);
        REQUIRE(layer->CreateFeature(&f) == OGRERR_NONE);
      };
      for (std::uint32_t e = 0; e < noded.edge_count(); ++e) {
        auto* ls = new OGRLineString();
        for (auto p = noded.edge_first_point[e]; p < noded.edge_first_point[e + 1]; ++p)
          ls->addPoint(noded.point_x[p], noded.point_y[p]);
        add(ls, 1000 + noded.edge_u[e], 1000 + noded.edge_v[e], true, noded.class_names[noded.edge_class[e]]);  // ids need not start at 0
      }
      OGRGeometry* g = nullptr;
      OGRGeometryFactory::createFromWkt("LINESTRING (0 0, 10 0)", nullptr, &g);
      add(g, 0, 0, false);
      OGRGeometryFactory::createFromWkt("MULTILINESTRING ((0 0, 10 0), (20 0, 30 0))", nullptr, &g);
      add(g, 1, 2, true);
    }
    RoadOptions o;
    o.path = path;
    o.layer = "edges";
    o.from_node_field = "u", o.to_node_field = "v";
    const RoadSet fast = load_roads(o);
    o.where = "1 = 1";
    const RoadSet ogr = load_roads(o);
    CHECK(fast.read_by_sqlite == (driver_name[1] == 'P'));
    require_same(fast, ogr);
    CHECK(fast.dropped.at("node id missing") == 1);
    CHECK(fast.dropped.at("multi-part line with node ids") == 1);
    GraphReport rep;
    const Graph g = build_graph(fast, {}, &rep);
    CHECK(rep.ends_off_node == 0);
    test::check_same_graph(g, noded);  // nodes numbered in the same order of first use
  }
  // Not an integer field; not for OSM data.
  RoadOptions bad;
  bad.path = (dir / "edges.gpkg").string();
  bad.from_node_field = "u", bad.to_node_field = "nosuch";
  CHECK_THROWS_WITH(load_roads(bad), Catch::Contains("nosuch"));
  osm.from_node_field = "osm_id", osm.to_node_field = "osm_id";
  CHECK_THROWS_WITH(load_roads(osm), Catch::Contains("not to OSM data"));
  std::filesystem::remove_all(dir);
}

TEST_CASE("roads: GeoPackage rows read on one or two threads alike, also when stopped part way", "[roads]") {
  const auto dir = std::filesystem::temp_directory_path() / "walkshed_test_rows";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "rows.gpkg").string();
  const int count = 5000;  // a few batches of rows
  {
    auto ds = new_gpkg(path);
    OGRLayer* layer = gk_layer(*ds, "ways", wkbLineString);
    OGRFieldDefn cls("highway", OFTString), u("u", OFTInteger64);
    REQUIRE((layer->CreateField(&cls) == OGRERR_NONE && layer->CreateField(&u) == OGRERR_NONE));
    REQUIRE(layer->StartTransaction() == OGRERR_NONE);
    for (int i = 0; i < count; ++i) {
      OGRFeature f(layer->GetLayerDefn());
      if (i % 7) f.SetField("highway", ("class " + std::to_string(i % 13)).c_str());
      if (i % 5) f.SetField("u", static_cast<GIntBig>(i) * 1000003);
      if (i % 11) {
        auto* ls = new OGRLineString();
        for (int k = 0; k <= i % 4 + 1; ++k) ls->addPoint(500000 + i + k, 3400000 + k * i);
        f.SetGeometryDirectly(ls);
      }
      REQUIRE(layer->CreateFeature(&f) == OGRERR_NONE);
    }
    REQUIRE(layer->CommitTransaction() == OGRERR_NONE);
  }
  struct Row {
    std::int64_t fid, u;
    bool u_set;
    std::string blob, text;
    bool operator==(const Row& o) const { return std::tie(fid, u, u_set, blob, text) == std::tie(o.fid, o.u, o.u_set, o.blob, o.text); }
  };
  detail::GpkgColumns columns;
  columns.text = "highway", columns.ints[0] = "u";
  auto read_all = [&](int threads) {
    std::vector<Row> rows;
    REQUIRE(detail::read_gpkg_rows(path, "ways", "fid", "geom", columns, [&](const detail::GpkgRow& r) {
      rows.push_back({r.fid, r.ints[0], r.int_set[0], r.blob ? std::string(reinterpret_cast<const char*>(r.blob), r.size) : "-",
                      r.text ? r.text : "NULL"});
    }, threads));
    return rows;
  };
  const auto one = read_all(1), two = read_all(2);
  REQUIRE(one.size() == count);
  CHECK(one == two);
  CHECK(one[7].text == "NULL");
  CHECK(one[8].text == "class 8");
  CHECK_FALSE(one[10].u_set);
  CHECK(one[11].u == 11 * 1000003);
  CHECK(one[11].blob == "-");  // NULL geometry
  CHECK(one[12].blob.size() > 40);
  for (int threads : {1, 2}) {  // an exception in the caller's code stops the reading thread too
    int seen = 0;
    CHECK_THROWS_WITH(detail::read_gpkg_rows(path, "ways", "fid", "geom", columns, [&](const detail::GpkgRow&) {
      if (++seen == 3000) throw InputError("stop here");
    }, threads), "stop here");
    CHECK(seen == 3000);
  }
  std::filesystem::remove_all(dir);
}
