// Output helpers.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <random>

#include "walkshed/output.hpp"

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
