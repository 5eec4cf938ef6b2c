// GCJ-02 and BD-09: the published forward transforms, their inverses, and layers read with a datum.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <map>
#include <random>

#include <ogrsf_frmts.h>

#include "walkshed/core/china_datum.hpp"
#include "walkshed/core/error.hpp"
#include "walkshed/io/points.hpp"

using namespace walkshed;

namespace {

// Metres between two lon/lat points (an equirectangular approximation: exact enough below 1 km).
double metres(const XY& a, const XY& b) {
  const double k = 6371008.8 * 3.14159265358979323846 / 180;
  return std::hypot((a.x - b.x) * k * std::cos(a.y * 3.14159265358979323846 / 180), (a.y - b.y) * k);
}

}  // namespace

TEST_CASE("datum: the inverses undo the forward transforms to within 0.01 m across China", "[datum]") {
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> lon(73.5, 135), lat(18, 53.5);
  for (int i = 0; i < 20000; ++i) {
    const XY p{lon(rng), lat(rng)};
    for (Datum d : {Datum::GCJ02, Datum::BD09}) {
      const XY shifted = wgs84_to(d, p);
      INFO(p.x << " " << p.y << " " << datum_name(d));
      REQUIRE(metres(to_wgs84(d, shifted), p) < 0.01);
      const double offset = metres(shifted, p);
      REQUIRE(offset > 1);  // the services' offsets are tens to hundreds of metres (BD-09 about 1 km)
      REQUIRE(offset < 2500);
    }
  }
  // Beijing: GCJ-02 lies some 500-700 m east-north-east of WGS 84, BD-09 about 1 km further on.
  const XY tiananmen{116.3912, 39.9072};
  const XY gcj = wgs84_to(Datum::GCJ02, tiananmen), bd = wgs84_to(Datum::BD09, tiananmen);
  CHECK(gcj.x > tiananmen.x);
  CHECK(gcj.y > tiananmen.y);
  CHECK(metres(gcj, tiananmen) > 400);
  CHECK(metres(gcj, tiananmen) < 800);
  CHECK(bd.x - gcj.x == Approx(0.0065).margin(0.0005));
  CHECK(bd.y - gcj.y == Approx(0.0060).margin(0.0005));
  // Outside China the services use WGS 84: no shift either way.
  for (XY p : {XY{-8.61, 41.15}, XY{139.69, 35.69}, XY{100.5, -10}}) {
    CHECK(wgs84_to(Datum::GCJ02, p).x == p.x);
    CHECK(to_wgs84(Datum::BD09, p).y == p.y);
  }
  CHECK(parse_datum("GCJ-02", "x") == Datum::GCJ02);
  CHECK(parse_datum("baidu", "x") == Datum::BD09);
  CHECK_THROWS_AS(parse_datum("cgcs2000", "x"), InputError);
}

TEST_CASE("datum: real facilities shifted to GCJ-02 and BD-09 read back where they were", "[datum]") {
  // The sample's facilities (WGS 84, OSM), written shifted as a map service would give them.
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("walkshed-datum-" + std::to_string(getpid()));
  fs::create_directories(dir);
  PointLayerOptions o;
  o.path = std::string(WALKSHED_DATA_DIR) + "/beijing_cau_facilities.geojson";
  const std::string wkt = working_crs_for(o);
  const PointLayer original = load_points(o, wkt);
  REQUIRE(original.items.size() > 20);
  for (Datum d : {Datum::GCJ02, Datum::BD09}) {
    const std::string shifted = (dir / (std::string(datum_name(d)) + ".geojson")).string();
    {
      GDALAllRegister();
      std::unique_ptr<GDALDataset> in(GDALDataset::Open(o.path.c_str(), GDAL_OF_VECTOR));
      std::unique_ptr<GDALDataset> out(GetGDALDriverManager()->GetDriverByName("GeoJSON")->Create(
          shifted.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
      OGRLayer* src = in->GetLayer(0);
      OGRLayer* dst = out->CreateLayer("facilities", src->GetSpatialRef(), wkbPoint, nullptr);
      for (int i = 0; i < src->GetLayerDefn()->GetFieldCount(); ++i) dst->CreateField(src->GetLayerDefn()->GetFieldDefn(i));
      for (auto& f : *src) {
        if (wkbFlatten(f->GetGeometryRef()->getGeometryType()) != wkbPoint) continue;  // the points only
        OGRPoint* p = f->GetGeometryRef()->toPoint();
        const XY s = wgs84_to(d, {p->getX(), p->getY()});
        p->setX(s.x), p->setY(s.y);
        OGRFeature g(dst->GetLayerDefn());
        g.SetFrom(f.get());
        REQUIRE(dst->CreateFeature(&g) == OGRERR_NONE);
      }
    }
    PointLayerOptions s = o;
    s.path = shifted;
    const PointLayer plain = load_points(s, wkt);  // without the option: hundreds of metres off
    s.datum = datum_name(d);
    const PointLayer back = load_points(s, wkt);
    REQUIRE(back.items.size() > 20);
    std::map<std::string, XY> where;
    for (auto& f : original.items) where[f.id] = f.point;
    double worst = 0, least_off = 1e9;
    for (std::size_t i = 0; i < back.items.size(); ++i) {
      REQUIRE(where.count(back.items[i].id));
      const XY a = where[back.items[i].id], b = back.items[i].point, c = plain.items[i].point;
      worst = std::max(worst, std::hypot(a.x - b.x, a.y - b.y));
      least_off = std::min(least_off, std::hypot(a.x - c.x, a.y - c.y));
    }
    INFO(datum_name(d));
    CHECK(worst < 0.5);  // metres, in the working CRS (GeoJSON keeps 15 significant digits)
    CHECK(least_off > 100);
  }
  // A datum needs lon/lat: a projected layer with one is refused, naming the option.
  o.path = std::string(WALKSHED_DATA_DIR) + "/beijing_cau_facilities.geojson";
  o.source_srs = "EPSG:4547";
  o.datum = "gcj02";
  CHECK_THROWS_WITH(load_points(o, wkt), Catch::Contains("`facilities.datum`") && Catch::Contains("longitude/latitude"));
  fs::remove_all(dir);
}
