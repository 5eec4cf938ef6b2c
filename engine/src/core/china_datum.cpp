#include "walkshed/core/china_datum.hpp"

#include <algorithm>
#include <cmath>

#include "walkshed/core/error.hpp"
#include "walkshed/core/text.hpp"

namespace walkshed {

namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kAxis = 6378245.0;                // Krasovsky 1940, as the GCJ-02 formula uses it
constexpr double kE2 = 0.00669342162296594323;     // its first eccentricity squared
constexpr double kBaiduPi = kPi * 3000.0 / 180.0;  // the BD-09 formula's constant

double shift_lat(double x, double y) {
  double r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * std::sqrt(std::fabs(x));
  r += (20.0 * std::sin(6.0 * x * kPi) + 20.0 * std::sin(2.0 * x * kPi)) * 2.0 / 3.0;
  r += (20.0 * std::sin(y * kPi) + 40.0 * std::sin(y / 3.0 * kPi)) * 2.0 / 3.0;
  r += (160.0 * std::sin(y / 12.0 * kPi) + 320.0 * std::sin(y * kPi / 30.0)) * 2.0 / 3.0;
  return r;
}

double shift_lon(double x, double y) {
  double r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * std::sqrt(std::fabs(x));
  r += (20.0 * std::sin(6.0 * x * kPi) + 20.0 * std::sin(2.0 * x * kPi)) * 2.0 / 3.0;
  r += (20.0 * std::sin(x * kPi) + 40.0 * std::sin(x / 3.0 * kPi)) * 2.0 / 3.0;
  r += (150.0 * std::sin(x / 12.0 * kPi) + 300.0 * std::sin(x / 30.0 * kPi)) * 2.0 / 3.0;
  return r;
}

XY wgs_to_gcj(const XY& p) {
  const double lat = p.y / 180.0 * kPi;
  const double magic = 1 - kE2 * std::sin(lat) * std::sin(lat);
  const double root = std::sqrt(magic);
  const double dlat = shift_lat(p.x - 105.0, p.y - 35.0) * 180.0 / ((kAxis * (1 - kE2)) / (magic * root) * kPi);
  const double dlon = shift_lon(p.x - 105.0, p.y - 35.0) * 180.0 / (kAxis / root * std::cos(lat) * kPi);
  return {p.x + dlon, p.y + dlat};
}

XY gcj_to_bd(const XY& p) {
  const double z = std::hypot(p.x, p.y) + 0.00002 * std::sin(p.y * kBaiduPi);
  const double t = std::atan2(p.y, p.x) + 0.000003 * std::cos(p.x * kBaiduPi);
  return {z * std::cos(t) + 0.0065, z * std::sin(t) + 0.006};
}

// Solves forward(q) = p for q by fixed-point steps (the shifts change slowly: each step gains
// several digits), starting from p itself.
template <class Forward>
XY invert(const Forward& forward, const XY& p) {
  XY q = p;
  for (int k = 0; k < 30; ++k) {
    const XY f = forward(q);
    const double dx = p.x - f.x, dy = p.y - f.y;
    q.x += dx, q.y += dy;
    if (std::fabs(dx) < 1e-12 && std::fabs(dy) < 1e-12) break;
  }
  return q;
}

}  // namespace

Datum parse_datum(const std::string& text, const std::string& what) {
  std::string t = ascii_lower(text);
  t.erase(std::remove(t.begin(), t.end(), '-'), t.end());
  if (t.empty() || t == "wgs84") return Datum::WGS84;
  if (t == "gcj02" || t == "amap" || t == "gaode" || t == "tencent") return Datum::GCJ02;
  if (t == "bd09" || t == "baidu") return Datum::BD09;
  throw InputError("`" + what + "`: unknown datum '" + text + "' (wgs84, gcj02 for Amap/Tencent, bd09 for Baidu)");
}

const char* datum_name(Datum d) {
  switch (d) {
    case Datum::WGS84: return "wgs84";
    case Datum::GCJ02: return "gcj02";
    case Datum::BD09: return "bd09";
  }
  return "";
}

bool in_china(const XY& p) { return p.x >= 72.004 && p.x <= 137.8347 && p.y >= 0.8293 && p.y <= 55.8271; }

XY wgs84_to(Datum d, const XY& p) {
  if (d == Datum::WGS84 || !in_china(p)) return p;
  const XY gcj = wgs_to_gcj(p);
  return d == Datum::GCJ02 ? gcj : gcj_to_bd(gcj);
}

XY to_wgs84(Datum d, const XY& p) {
  if (d == Datum::WGS84) return p;
  const XY wgs = invert([d](const XY& q) { return wgs84_to(d, q); }, p);
  return in_china(wgs) ? wgs : p;
}

}  // namespace walkshed
