#include "walkshed/core/date.hpp"

#include <cctype>
#include <cstdio>
#include <ctime>

namespace walkshed {

namespace {

bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int month_days(int y, int m) {
  static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : d[m - 1];
}

}  // namespace

// H. Hinnant's days_from_civil / civil_from_days.
int days_from_civil(int y, int m, int d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int>(doe) - 719468;
}

CivilDate civil_from_days(int z) {
  z += 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int y = static_cast<int>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  return {y + (m <= 2), m, d};
}

int parse_date(const std::string& text) {
  std::size_t i = 0;
  while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  auto digits = [&](int n, int& out) {
    out = 0;
    for (int k = 0; k < n; ++k, ++i) {
      if (i >= text.size() || !std::isdigit(static_cast<unsigned char>(text[i]))) return false;
      out = out * 10 + (text[i] - '0');
    }
    return true;
  };
  int y = 0, m = 0, d = 0;
  if (!digits(4, y)) return kNoDate;
  const char sep = i < text.size() ? text[i] : '\0';
  const bool separated = sep == '-' || sep == '/';
  if (separated) ++i;
  if (!digits(2, m)) return kNoDate;
  if (separated && (i >= text.size() || text[i] != sep)) return kNoDate;
  if (separated) ++i;
  if (!digits(2, d)) return kNoDate;
  if (i < text.size() && text[i] != ' ' && text[i] != 'T') return kNoDate;
  if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1 || d > month_days(y, m)) return kNoDate;
  return days_from_civil(y, m, d);
}

std::string date_text(int days) {
  if (days == kNoDate) return "";
  const CivilDate c = civil_from_days(days);
  char out[16];
  std::snprintf(out, sizeof out, "%04d-%02d-%02d", c.year, c.month, c.day);
  return out;
}

int today() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  localtime_r(&t, &tm);
  return days_from_civil(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

int add_years(int days, int years) {
  CivilDate c = civil_from_days(days);
  c.year += years;
  if (c.month == 2 && c.day == 29 && !leap(c.year)) c.day = 28;
  return days_from_civil(c.year, c.month, c.day);
}

int quarter_start(int days) {
  const CivilDate c = civil_from_days(days);
  return days_from_civil(c.year, (c.month - 1) / 3 * 3 + 1, 1);
}

}  // namespace walkshed
