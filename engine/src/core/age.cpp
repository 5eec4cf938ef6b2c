#include "walkshed/core/age.hpp"

#include <cmath>
#include <regex>

#include "walkshed/core/error.hpp"
#include "walkshed/core/text.hpp"

namespace walkshed {

std::string age_label(const AgeBand& b) {
  return short_number(b.from) + (std::isinf(b.to) ? "+" : "-" + short_number(b.to));
}

namespace {

// A number of years; NaN for one out of range ("9999...9").
double years(const std::string& digits) { return digits.size() > 6 ? NAN : std::stod(digits); }

bool parse(const std::string& text, AgeBand& b, const std::regex& pattern) {
  std::smatch m;
  if (text.size() > 64 || !std::regex_match(text, m, pattern)) return false;
  b.from = years(m[1].str());
  b.to = m[2].matched && !m[2].str().empty() ? years(m[2].str()) : kOpenAge;
  return b.from >= 0 && b.from < b.to && b.from < 150;
}

}  // namespace

AgeBand parse_age_band(const std::string& text, const std::string& what) {
  // 0-3, 0–3 (en dash), 0~3, 0～3, 60+, 60-
  static const std::regex band(R"(\s*(\d+(?:\.\d+)?)\s*(?:-|–|~|～|\+)\s*(\d+(?:\.\d+)?)?\s*(?:岁)?\s*)");
  AgeBand b;
  const bool open = text.find('+') != std::string::npos || (!text.empty() && text.back() == '-');
  if (parse(text, b, band) && (open == std::isinf(b.to))) return b;
  if (age_band_of_column(text, b)) return b;
  throw InputError(what + ": '" + text + "' is not an age band (write 0-3, 3-6, 60+)");
}

bool age_band_of_column(const std::string& column, AgeBand& b) {
  // age_0_3, pop_3_to_6, age_60_plus, age60plus; not pop_2020 (a year)
  static const std::regex name(R"((?:age|pop)_?(\d+)(?:_(?:to_)?(\d+)|_?(plus|up)))", std::regex::icase);
  std::smatch m;
  if (column.size() > 64 || !std::regex_match(column, m, name)) return false;
  b.from = years(m[1].str());
  b.to = m[3].matched ? kOpenAge : years(m[2].str());
  return b.from < b.to && b.from < 150;
}

}  // namespace walkshed
