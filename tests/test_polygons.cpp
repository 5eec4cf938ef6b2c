// Catchment polygons: the face construction against a hand-computed area and against the plain
// union of buffered lines.
#include <catch2/catch.hpp>

#include <cmath>
#include <memory>

#include <ogr_api.h>
#include <ogr_geometry.h>

#include "catchment/faces.hpp"
#include "catchment/polygon.hpp"
#include "support.hpp"

using walkshed::Polyline;
using walkshed::XY;
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

double ring_area(const Polyline& ring) {
  double a = 0;
  for (std::size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++) a += ring[j].x * ring[i].y - ring[i].x * ring[j].y;
  return a / 2;
}

Polyline square(double x, double y, double side) { return {{x, y}, {x + side, y}, {x + side, y + side}, {x, y + side}, {x, y}}; }

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
  auto noded = GENERATE(true, false);
  INFO("noded grid " << noded);
  auto lines = noded ? test::grid_edges(4, 200) : test::grid_lines(4, 200);
  const auto grid = static_cast<std::ptrdiff_t>(lines.size());
  lines.push_back({{200, 200}, {300, 290}});            // dead end into a block
  lines.push_back({{350, -80}, {350, 700}});            // crosses three streets without junctions
  lines.push_back({{-50, 450}, {100, 450}});            // crosses the outer street, both ends loose
  lines.push_back({{1000, 1000}, {1200, 1000}, {1200, 1150}});  // separate
  lines.push_back({{0, 0}, {-60, -60}});                // spur out of a corner
  const std::vector<std::vector<Polyline>> bands = {
      {lines.begin(), lines.begin() + grid}, {lines.begin() + grid, lines.end()}};
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

TEST_CASE("faces: traced around junctions, with dead ends, bridges and crossings left loose", "[polygons]") {
  using walkshed::detail::planar_faces;
  SECTION("a noded grid: one face per block, one outer boundary") {
    auto f = planar_faces(test::grid_edges(5, 100));
    CHECK(f.faces.size() == 16);
    REQUIRE(f.outer.size() == 1);
    CHECK(f.loose.empty());
    for (const auto& face : f.faces) CHECK(ring_area(face) == Approx(100 * 100));
    CHECK(ring_area(f.outer[0]) == Approx(-400 * 400));  // clockwise
  }
  SECTION("the same grid unnoded: lines crossing between their ends bound nothing") {
    auto f = planar_faces(test::grid_lines(5, 100));
    CHECK(f.faces.empty());
    CHECK(f.loose.size() == 10);
  }
  std::vector<Polyline> lines = test::grid_edges(2, 100);  // one block: lines 0-3
  lines.push_back({{100, 100}, {150, 150}});                 // 4: dead end
  lines.push_back({{150, 150}, {170, 150}, {170, 170}});     // 5: its continuation
  lines.push_back({{100, 0}, {300, 0}});                     // 6: bridge to a second block
  for (auto& l : {Polyline{{300, 0}, {400, 0}}, Polyline{{400, 0}, {400, 100}}, Polyline{{400, 100}, {300, 100}},
                  Polyline{{300, 100}, {300, 0}}})
    lines.push_back(l);                                      // 7-10: second block
  lines.push_back({{350, -50}, {350, 50}});                  // 11: crosses line 7 without a junction
  lines.push_back(square(1000, 1000, 600));                  // 12: a closed loop
  lines.push_back(square(1200, 1200, 100));                  // 13: another loop inside it
  lines.push_back({{2000, 0}, {2000, 0}});                   // 14: no length
  lines.push_back({{1000, 1300}, {1100, 1300}});             // 15: touches loop 12 with its start only
  auto f = planar_faces(lines);
  std::vector<std::uint32_t> loose(f.loose.begin(), f.loose.end());
  // The crossing opens the second block: 7 is loose, then 8-10 are a dead end.
  CHECK(loose == std::vector<std::uint32_t>{4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 15});
  // Left: the first block and loop 13.
  CHECK(f.faces.size() == 2);
  CHECK(f.outer.size() == 2);
  double face_area = 0;
  for (const auto& face : f.faces) face_area += ring_area(face);
  CHECK(face_area == Approx(100 * 100 + 100 * 100));
  // Lines meet at identical end points.
  CHECK(f.ends[4][1] == f.ends[5][0]);
  CHECK(f.ends[0][0] != f.ends[4][1]);
}

TEST_CASE("faces: connected parts nested in a wide face are holes of it", "[polygons]") {
  using walkshed::detail::inside_ring;
  using walkshed::detail::planar_faces;
  std::vector<Polyline> lines;
  for (auto& l : test::grid_edges(2, 600)) lines.push_back(l);  // a 600 m block
  for (auto& l : test::grid_edges(3, 80)) {                     // a 160 m grid inside it
    for (auto& p : l) p.x += 200, p.y += 250;
    lines.push_back(l);
  }
  // A square of four lines drawn counter-clockwise: its outer boundary runs every line backwards.
  const Polyline sq = square(420, 60, 120);
  for (std::size_t i = 0; i + 1 < sq.size(); ++i) lines.push_back({sq[i], sq[i + 1]});
  lines.push_back({{600, 600}, {700, 700}});                    // dead end out of the block
  lines.push_back({});                                          // no points
  lines.push_back({{700, 700}, {700, 700}, {750, 700}});        // continues the dead end
  auto f = planar_faces(lines);
  REQUIRE(f.faces.size() == 6);
  REQUIRE(f.outer.size() == 3);
  CHECK(f.outer_part[0] != f.outer_part[1]);
  CHECK(f.outer_part[1] != f.outer_part[2]);
  CHECK(f.outer_part[0] != f.outer_part[2]);
  std::size_t big = 0;
  for (std::size_t i = 0; i < f.faces.size(); ++i)
    if (ring_area(f.faces[i]) > ring_area(f.faces[big])) big = i;
  CHECK(ring_area(f.faces[big]) == Approx(600 * 600));
  int nested = 0;
  for (std::size_t k = 0; k < f.outer.size(); ++k)
    if (f.outer_part[k] != f.face_part[big]) nested += inside_ring(f.outer[k][0], f.faces[big]);
  CHECK(nested == 2);
  // The polygons: faces against the dissolved buffers, for buffers that leave holes in the big
  // block around the small grid, and in the small grid's blocks (r = 30).
  for (double r : {30.0, 50.0, 120.0}) {
    INFO("buffer " << r);
    auto faces = make(true, {lines}, r), plain = make(false, {lines}, r);
    CHECK(geometry(faces[0])->IsValid());
    CHECK(faces[0].area_m2 == Approx(plain[0].area_m2).epsilon(0.002));
    CHECK(difference_share(plain[0], faces[0]) < 0.005);
  }
}
