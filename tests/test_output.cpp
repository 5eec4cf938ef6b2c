// Output helpers.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <set>

#include <sqlite3.h>

#include "walkshed/core/error.hpp"
#include "walkshed/io/output.hpp"

TEST_CASE("append_fixed prints exactly what printf prints", "[output]") {
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> coordinate(-1e7, 1e7), small(-2, 2);
  std::vector<double> values = {0.0, -0.0, 0.5, 1.5, 2.5, -0.5, 0.0005, 0.0015, 0.0025, 1e-7, -1e-7, 1234.5675,
                                999.9995, 9.9999995, 1e14, 1e15, 1e16, 4503599627370495.5, 1e300, -1e300,
                                INFINITY, -INFINITY, NAN};
  for (int i = 0; i < 200000; ++i) values.push_back(coordinate(rng));
  for (int i = 0; i < 100000; ++i) values.push_back(small(rng));
  // Exact halves at each precision and their neighbours.
  for (int i = 0; i < 20000; ++i) {
    const double h = (std::floor(coordinate(rng)) + 0.5) / 1000;
    values.push_back(h), values.push_back(std::nextafter(h, 0.0)), values.push_back(std::nextafter(h, 1e9));
  }
  char ref[512];
  for (double v : values)
    for (int d : {0, 1, 3, 6, 9}) {
      std::string mine;
      walkshed::append_fixed(mine, v, d);
      std::snprintf(ref, sizeof ref, "%.*f", d, v);
      INFO("value " << v << " decimals " << d);
      REQUIRE(mine == ref);
    }
  // Fixed expectations too: exact halves round to even, the sign of zero is kept.
  auto fixed = [](double v, int d) {
    std::string s;
    walkshed::append_fixed(s, v, d);
    return s;
  };
  CHECK(fixed(2.5, 0) == "2");
  CHECK(fixed(3.5, 0) == "4");
  CHECK(fixed(-0.0, 3) == "-0.000");
  CHECK(fixed(532623.6449999, 3) == "532623.645");
  CHECK(fixed(0.125, 2) == "0.12");
}

TEST_CASE("GeoPackage spatial index built in bulk: valid for SQLite, used by GDAL, kept by edits", "[output]") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("walkshed-output-" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string path = (dir / "index.gpkg").string();
  OGRSpatialReference srs;
  srs.importFromEPSG(32650);
  std::mt19937_64 rng(5);
  std::uniform_real_distribution<double> at(0, 10000), step(-60, 60);
  std::vector<std::unique_ptr<OGRGeometry>> kept;  // what was written, by feature order
  {
    walkshed::OutputSet out(walkshed::OutputOptions{path});
    auto w = out.add_layer("lines", wkbLineString, srs, {{"k", OFTInteger}});
    for (int i = 0; i < 3000; ++i) {  // 3000 boxes: leaves, a level of inner nodes and the root
      auto f = w.new_feature();
      f->SetField(w.field("k"), i);
      if (i % 500 == 7) {  // a few without geometry, one empty
        if (i == 7) f->SetGeometry(std::make_unique<OGRLineString>().get());
        kept.emplace_back(nullptr);
      } else {
        auto line = std::make_unique<OGRLineString>();
        const double x = at(rng), y = at(rng);
        line->addPoint(x, y);
        line->addPoint(x + step(rng), y + step(rng));
        f->SetGeometry(line.get());
        kept.push_back(std::move(line));
      }
      w.write(*f);
    }
    out.add_layer("empty", wkbPoint, srs, {});
    out.commit();
  }
  {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    auto text = [&](const char* sql) {
      sqlite3_stmt* st = nullptr;
      REQUIRE(sqlite3_prepare_v2(db, sql, -1, &st, nullptr) == SQLITE_OK);
      std::string v = sqlite3_step(st) == SQLITE_ROW ? reinterpret_cast<const char*>(sqlite3_column_text(st, 0)) : "";
      sqlite3_finalize(st);
      return v;
    };
    CHECK(text("SELECT rtreecheck('rtree_lines_geom')") == "ok");
    CHECK(text("SELECT rtreecheck('rtree_empty_geom')") == "ok");
    CHECK(text("SELECT count(*) FROM rtree_lines_geom") == "2994");
    CHECK(text("SELECT count(*) FROM gpkg_extensions WHERE extension_name = 'gpkg_rtree_index'") == "2");
    sqlite3_close(db);
  }
  std::unique_ptr<GDALDataset> ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE));
  REQUIRE(ds);
  OGRLayer* layer = ds->GetLayerByName("lines");
  REQUIRE(layer);
  CHECK(layer->TestCapability(OLCFastSpatialFilter));
  auto found = [&](double x0, double y0, double x1, double y1) {
    std::set<GIntBig> ids;
    layer->SetSpatialFilterRect(x0, y0, x1, y1);
    for (auto& f : *layer) ids.insert(f->GetFID());
    layer->SetSpatialFilter(nullptr);
    return ids;
  };
  for (int q = 0; q < 40; ++q) {
    const double x = at(rng), y = at(rng), w = 10 + std::fabs(step(rng)) * 20, h = 10 + std::fabs(step(rng)) * 20;
    OGRPolygon box;
    OGRLinearRing ring;
    for (auto [px, py] : {std::pair{x, y}, {x + w, y}, {x + w, y + h}, {x, y + h}, {x, y}}) ring.addPoint(px, py);
    box.addRing(&ring);
    std::set<GIntBig> expected;
    for (std::size_t i = 0; i < kept.size(); ++i)
      if (kept[i] && kept[i]->Intersects(&box)) expected.insert(static_cast<GIntBig>(i + 1));  // fids from 1
    INFO("window " << x << " " << y << " " << w << " " << h);
    CHECK(found(x, y, x + w, y + h) == expected);
  }
  // Edits through GDAL keep the index (the triggers).
  OGRFeature f(layer->GetLayerDefn());
  OGRLineString line;
  line.addPoint(50000, 50000), line.addPoint(50010, 50000);
  f.SetGeometry(&line);
  REQUIRE(layer->CreateFeature(&f) == OGRERR_NONE);
  CHECK(found(49990, 49990, 50020, 50010) == std::set<GIntBig>{f.GetFID()});
  REQUIRE(layer->DeleteFeature(f.GetFID()) == OGRERR_NONE);
  CHECK(found(49990, 49990, 50020, 50010).empty());
  ds.reset();
  fs::remove_all(dir);
}

TEST_CASE("outputs replace only what walkshed wrote, and drop the layers a rerun no longer writes", "[output]") {
  namespace fs = std::filesystem;
  using walkshed::OutputError;
  using walkshed::OutputOptions;
  using walkshed::OutputSet;
  const fs::path dir = fs::temp_directory_path() / ("walkshed-replace-" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  OGRSpatialReference srs;
  srs.importFromEPSG(32650);
  auto write = [&](const OutputOptions& o, std::vector<std::string> layers) {
    OutputSet out(o);
    for (auto& name : layers) {
      auto w = out.add_layer(name, wkbPoint, srs, {{"k", OFTInteger}});
      auto f = w.new_feature();
      OGRPoint p(1, 2);
      f->SetGeometry(&p);
      w.write(*f);
    }
    out.commit();
  };
  auto text = [](const fs::path& p) {
    std::ifstream in(p);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  };
  auto put = [](const fs::path& p, const std::string& s) { std::ofstream(p) << s; };

  // A file walkshed did not write is refused, kept as it was, and replaced with `overwrite`.
  const fs::path gpkg = dir / "x.gpkg";
  put(gpkg, "mine");
  OutputOptions o{gpkg.string()};
  REQUIRE_THROWS_AS(write(o, {"a"}), OutputError);
  REQUIRE_THROWS_AS(walkshed::check_outputs({gpkg.string()}, {}), OutputError);
  CHECK(text(gpkg) == "mine");
  o.overwrite = true;
  write(o, {"a"});
  CHECK(text(gpkg) != "mine");
  // Its own output is replaced on the next run without asking.
  o.overwrite = false;
  write(o, {"a", "b"});
  walkshed::check_outputs({gpkg.string()}, {});

  // Per-layer files: a rerun with fewer layers removes the one it no longer writes, and nothing else.
  const fs::path geojson = dir / "y.geojson";
  put(dir / "y_notes.geojson", "someone else's");
  put(dir / "y_c.geojson", "someone else's too");
  OutputOptions g{geojson.string()};
  write(g, {"a", "b"});
  CHECK(fs::exists(dir / "y_a.geojson"));
  CHECK(fs::exists(dir / "y_b.geojson"));
  REQUIRE_THROWS_AS(write(g, {"a", "c"}), OutputError);  // y_c.geojson is not walkshed's
  CHECK(text(dir / "y_c.geojson") == "someone else's too");
  CHECK(fs::exists(dir / "y_b.geojson"));  // the failed run removed nothing
  write(g, {"a"});
  CHECK(fs::exists(dir / "y_a.geojson"));
  CHECK_FALSE(fs::exists(dir / "y_b.geojson"));
  CHECK(text(dir / "y_notes.geojson") == "someone else's");
  CHECK(fs::exists(gpkg));  // another output set in the folder
  // A Shapefile layer's side files are the output's too.
  OutputOptions s{(dir / "z.shp").string()};
  write(s, {"a", "b"});
  write(s, {"a"});
  for (const char* ext : {".shp", ".shx", ".dbf", ".prj"}) {
    CHECK(fs::exists(dir / (std::string("z_a") + ext)));
    CHECK_FALSE(fs::exists(dir / (std::string("z_b") + ext)));
  }
  fs::remove_all(dir);
}

TEST_CASE("a shared GeoPackage output set keeps the parts that finish and drops the one that fails", "[output]") {
  namespace fs = std::filesystem;
  using walkshed::OutputOptions;
  const fs::path dir = fs::temp_directory_path() / ("walkshed-parts-" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  OGRSpatialReference srs;
  srs.importFromEPSG(32650);
  walkshed::OutputSet shared(OutputOptions{(dir / "study.gpkg").string()});
  // A writer as the jobs' writers are: layers, a style and a table, into its part of the shared set.
  auto writer = [&](const std::string& prefix, bool fail) {
    OutputOptions o{(dir / "study.gpkg").string()};
    o.into = &shared, o.layer_prefix = prefix;
    walkshed::OutputTarget target(o);
    auto& set = target.set();
    for (const char* name : {"points", "more"}) {
      auto w = set.add_layer(name, wkbPoint, srs, {{"k", OFTInteger}});
      for (int i = 0; i < 3; ++i) {
        auto f = w.new_feature();
        OGRPoint p(i, i);
        f->SetGeometry(&p);
        w.write(*f);
      }
      if (fail) throw std::runtime_error("the step fails half way");
    }
    set.set_style("points", "<qgis styleCategories=\"Symbology|Labeling\"></qgis>");
    set.add_text((dir / (prefix + ".csv")).string(), "", "a,b\n1,2\n");
    return target.commit();
  };
  const auto files = writer("one", false);
  CHECK(files == std::vector<std::string>{(dir / "study.gpkg").string(), (dir / "one.csv").string()});
  CHECK_THROWS(writer("two", true));
  writer("three", false);
  shared.commit();
  auto* ds = static_cast<GDALDataset*>(
      GDALOpenEx((dir / "study.gpkg").string().c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr));
  REQUIRE(ds);
  std::set<std::string> layers;
  for (int i = 0; i < ds->GetLayerCount(); ++i) layers.insert(ds->GetLayer(i)->GetName());
  CHECK(layers == std::set<std::string>{"one_points", "one_more", "three_points", "three_more", "layer_styles"});
  CHECK(ds->GetLayerByName("three_more")->GetFeatureCount() == 3);
  OGRLayer* styles = ds->ExecuteSQL("SELECT f_table_name FROM layer_styles", nullptr, nullptr);
  REQUIRE(styles);
  std::set<std::string> styled;
  for (auto& f : *styles) styled.insert(f->GetFieldAsString(0));
  ds->ReleaseResultSet(styles);
  CHECK(styled == std::set<std::string>{"one_points", "three_points"});
  CHECK(fs::exists(dir / "one.csv"));
  CHECK_FALSE(fs::exists(dir / "two.csv"));
  std::size_t left = 0;  // no temporary files
  for (auto& e : fs::directory_iterator(dir)) left += e.path().filename().string().rfind(".walkshed-tmp", 0) == 0;
  CHECK(left == 0);
  GDALClose(ds);
  fs::remove_all(dir);
}
