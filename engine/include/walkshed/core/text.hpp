// Text output helpers: CSV fields and fast fixed-point numbers.
#pragma once
#include <string>

namespace walkshed {

// CSV helpers: a quoted field when needed, a number ("" for NaN).
std::string csv_text(const std::string& s);
std::string csv_number(double v);

// Appends v with `decimals` (0-9) digits after the point, exactly as printf("%.*f") would; about
// 5x faster than std::to_chars for map coordinates and distances.
void append_fixed(std::string& out, double v, int decimals);

// printf("%.*f", decimals, v).
std::string fixed(double v, int decimals);

// Six significant digits, as an ostream prints a double by default (100, 0.25, 1.5e+06).
std::string short_number(double v);

// s with A-Z as a-z (other bytes, UTF-8 included, as they are).
std::string ascii_lower(std::string s);

// The largest 1, 2 or 5 x 10^k not above v (v > 0): round lengths for scale bars.
double round_down_125(double v);

}  // namespace walkshed
