// Text output helpers (no GDAL).
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdint>
#include <sstream>

#include "walkshed/core/text.hpp"

namespace walkshed {

std::string fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string short_number(double v) {
  std::ostringstream s;
  s.precision(6);
  s << v;
  return s.str();
}

std::string ascii_lower(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

double round_down_125(double v) {
  const double p = std::pow(10.0, std::floor(std::log10(v)));
  for (double m : {5.0, 2.0, 1.0})
    if (m * p <= v) return m * p;
  return p;
}

std::string csv_text(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char ch : s) out += ch == '"' ? std::string("\"\"") : std::string(1, ch);
  return out + "\"";
}

std::string csv_number(double v) {
  if (std::isnan(v)) return "";
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::general, 10);  // as %.10g
  return std::string(buf, r.ptr);
}

void append_fixed(std::string& out, double v, int decimals) {
  static const double scale[] = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};
  static const std::uint64_t iscale[] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000};
  const double s = std::abs(v) * scale[decimals];
  // s is within |s| 2^-53 of the exact product: away from a half by more, rounding it is exact.
  if (s < 1e15) {
    const double whole = std::floor(s), frac = s - whole;
    if (std::abs(frac - 0.5) > s * 0x1p-51 + 0x1p-60) {
      const std::uint64_t k = static_cast<std::uint64_t>(whole) + (frac > 0.5 ? 1 : 0);
      char buf[40];
      char* end = buf + sizeof buf;
      char* p = end;
      std::uint64_t frac_digits = k % iscale[decimals], int_part = k / iscale[decimals];
      for (int i = 0; i < decimals; ++i) *--p = char('0' + frac_digits % 10), frac_digits /= 10;
      if (decimals > 0) *--p = '.';
      do *--p = char('0' + int_part % 10), int_part /= 10;
      while (int_part);
      if (std::signbit(v)) *--p = '-';
      out.append(p, end);
      return;
    }
  }
  char buf[400];
  auto res = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, decimals);
  out.append(buf, res.ptr);
}

}  // namespace walkshed
