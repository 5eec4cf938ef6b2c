#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "walkshed/routing/edge_pieces.hpp"

using walkshed::Cone;
using walkshed::edge_pieces;
using walkshed::Piece;

namespace {
double covered(const std::vector<Piece>& ps) {
  double s = 0;
  for (auto& p : ps) s += p.to - p.from;
  return s;
}
}  // namespace

TEST_CASE("edge reached from one end is cut exactly at the limit", "[pieces]") {
  std::vector<Piece> out;
  edge_pieces(100, {{0, 70, 0}}, {100}, 100, out);
  REQUIRE(out.size() == 1);
  CHECK(out[0].from == 0);
  CHECK(out[0].to == Approx(30).margin(1e-9));
  CHECK(out[0].d_min == 70);
  CHECK(out[0].d_max == Approx(100));
}

TEST_CASE("edge reached from both ends leaves the unreached middle out", "[pieces]") {
  std::vector<Piece> out;
  edge_pieces(100, {{0, 80, 0}, {100, 90, 0}}, {100}, 100, out);
  REQUIRE(out.size() == 2);
  CHECK(covered(out) == Approx(30).margin(1e-9));
  CHECK(out[1].from == Approx(90).margin(1e-9));
}

TEST_CASE("edge fully inside when both ends meet in the middle", "[pieces]") {
  std::vector<Piece> out;
  edge_pieces(100, {{0, 50, 0}, {100, 50, 0}}, {100}, 100, out);
  REQUIRE(out.size() == 1);  // merged: same label, same band
  CHECK(out[0].from == 0);
  CHECK(out[0].to == 100);
  CHECK(out[0].d_max == Approx(100));
}

TEST_CASE("pieces are split at every band threshold", "[pieces]") {
  std::vector<Piece> out;
  edge_pieces(1000, {{0, 0, 0}}, {300, 500, 1000}, 1000, out);
  REQUIRE(out.size() == 3);
  CHECK(out[0].to == Approx(300));
  CHECK(out[0].band == 0);
  CHECK(out[1].to == Approx(500));
  CHECK(out[1].band == 1);
  CHECK(out[2].to == Approx(1000));
  CHECK(out[2].band == 2);
}

TEST_CASE("a start inside the edge spreads both ways", "[pieces]") {
  std::vector<Piece> out;
  edge_pieces(1000, {{400, 0, 0}}, {100}, 100, out);
  CHECK(covered(out) == Approx(200));
  CHECK(out.front().from == Approx(300));
  CHECK(out.back().to == Approx(500));
}

TEST_CASE("nearest labels split where the distances are equal and ties go to the smaller label", "[pieces]") {
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<Piece> out;
  edge_pieces(100, {{0, 10, 7}, {100, 30, 3}}, {}, inf, out);
  REQUIRE(out.size() == 2);
  CHECK(out[0].label == 7);
  CHECK(out[0].to == Approx(60));  // 10 + x = 30 + 100 - x
  CHECK(out[1].label == 3);
  out.clear();
  edge_pieces(100, {{0, 20, 7}, {100, 20, 3}}, {}, inf, out);
  REQUIRE(out.size() == 2);
  CHECK(out[0].label == 7);
  CHECK(out[1].label == 3);
  out.clear();
  edge_pieces(100, {{50, 0, 7}, {50, 0, 3}}, {}, inf, out);  // two facilities at one spot
  REQUIRE(out.size() == 1);
  CHECK(out[0].label == 3);
}

TEST_CASE("an edge beyond the limit yields nothing", "[pieces]") {
  std::vector<Piece> out;
  edge_pieces(100, {{0, 120, 0}, {100, 101, 0}}, {100}, 100, out);
  CHECK(out.empty());
}
