// Catchment polygons: the face construction against a hand-computed area and against the plain
// union of buffered lines.
#include <catch2/catch.hpp>

#include <cmath>
#include <memory>

#include <ogr_api.h>
#include <ogr_geometry.h>

#include "polygon.hpp"
#include "support.hpp"

using walkshed::Polyline;
using walkshed::detail::BandPolygon;
using walkshed::detail::PolygonMaker;

namespace {

std::unique_ptr<OGRGeometry> geometry(const BandPolygon& p) {
  OGRGeometry* g = nullptr;
  REQUIRE(OGRGeometryFactory::createFromWkb(p.wkb.data(), nullptr, &g, p.wkb.size()) == OGRERR_NONE);
  return std::unique_ptr<OGRGeometry>(g);
}

std::vector<BandPolygon> make(bool by_faces, const std::vector<std::vector<Polyline>>& bands, double r) {
  PolygonMaker maker(by_faces);
  return maker.make(bands, r, 0);
}

// The polygon, or the only part of a multipolygon; else null.
const OGRPolygon* single_polygon(const OGRGeometry& g) {
  const auto type = wkbFlatten(g.getGeometryType());
  if (type == wkbPolygon) return g.toPolygon();
  if (type == wkbMultiPolygon && g.toMultiPolygon()->getNumGeometries() == 1)
    return g.toMultiPolygon()->getGeometryRef(0);
  return nullptr;
}

// Area of the symmetric difference over the area of a.
double difference_share(const BandPolygon& a, const BandPolygon& b) {
  auto ga = geometry(a), gb = geometry(b);
  std::unique_ptr<OGRGeometry> d(ga->SymDifference(gb.get()));
  return OGR_G_Area(OGRGeometry::ToHandle(d.get())) / a.area_m2;
}

}  // namespace

TEST_CASE("polygons: a street grid gives the hand-computed area with square holes", "[polygons]") {
  // 5 x 5 lines 100 m apart, buffered 30 m: the 400 m square grown by 30 m with rounded corners,
  // minus a 40 x 40 m hole in each of the 16 blocks. A corner is a quarter of a 16-gon (4 segments
  // per quadrant): the four make 8 r^2 sin(pi/8).
  const double s = 100, r = 30, side = 4 * s;
  const double expected = side * side + 4 * side * r + 8 * r * r * std::sin(M_PI / 8) - 16 * (s - 2 * r) * (s - 2 * r);
  for (bool by_faces : {true, false}) {
    INFO("by faces " << by_faces);
    auto p = make(by_faces, {test::grid_lines(5, s)}, r);
    REQUIRE(p.size() == 1);
    // The face construction works on tenths of millimetres (Clipper).
    CHECK(p[0].area_m2 == Approx(expected).epsilon(by_faces ? 1e-6 : 1e-9));
    auto g = geometry(p[0]);
    CHECK(g->IsValid());
    const OGRPolygon* poly = single_polygon(*g);
    REQUIRE(poly);
    CHECK(poly->getNumInteriorRings() == 16);
  }
  // Blocks narrower than twice the buffer leave no hole.
  auto p = make(true, {test::grid_lines(5, s)}, 50);
  auto g = geometry(p[0]);
  REQUIRE(single_polygon(*g));
  CHECK(single_polygon(*g)->getNumInteriorRings() == 0);
}

TEST_CASE("polygons: dead ends, a bridge without junction and a separate line match the buffer union", "[polygons]") {
  auto lines = test::grid_lines(4, 200);
  lines.push_back({{200, 200}, {300, 290}});            // dead end into a block
  lines.push_back({{350, -80}, {350, 700}});            // crosses three streets without junctions
  lines.push_back({{-50, 450}, {100, 450}});            // crosses the outer street, both ends loose
  lines.push_back({{1000, 1000}, {1200, 1000}, {1200, 1150}});  // separate
  lines.push_back({{0, 0}, {-60, -60}});                // spur out of a corner
  const std::vector<std::vector<Polyline>> bands = {
      {lines.begin(), lines.begin() + 8}, {lines.begin() + 8, lines.end()}};
  for (double r : {25.0, 60.0, 120.0}) {
    INFO("buffer " << r);
    auto faces = make(true, bands, r), plain = make(false, bands, r);
    REQUIRE(faces.size() == 2);
    for (int b = 0; b < 2; ++b) {
      INFO("band " << b);
      CHECK(geometry(faces[b])->IsValid());
      CHECK(faces[b].area_m2 == Approx(plain[b].area_m2).epsilon(0.002));
      CHECK(difference_share(plain[b], faces[b]) < 0.005);
    }
    // Bands are cumulative.
    auto outer = geometry(faces[1]);
    std::unique_ptr<OGRGeometry> inner(geometry(faces[0])->Buffer(-0.01));
    CHECK(outer->Contains(inner.get()));
  }
}
