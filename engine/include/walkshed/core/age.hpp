// Age bands of residents: [from, to) in years, "60+" open-ended.
#pragma once
#include <limits>
#include <string>

namespace walkshed {

constexpr double kOpenAge = std::numeric_limits<double>::infinity();

struct AgeBand {
  double from = 0, to = kOpenAge;
  bool operator==(const AgeBand& o) const { return from == o.from && to == o.to; }
  bool operator<(const AgeBand& o) const { return from < o.from || (from == o.from && to < o.to); }
};

std::string age_label(const AgeBand& band);  // "0-3", "60+"
// "0-3", "0–3", "60+", "age_60_plus", "pop_3_6"; throws InputError naming `what` otherwise.
AgeBand parse_age_band(const std::string& text, const std::string& what);
// A column name that names an age band (age_0_3, pop_60_plus, age60plus); false otherwise.
bool age_band_of_column(const std::string& column, AgeBand& band);

}  // namespace walkshed
