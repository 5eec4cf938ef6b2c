// Calendar dates as days since 1970-01-01 (proleptic Gregorian), for reporting duties and the
// validity of the city texts.
#pragma once
#include <climits>
#include <string>

namespace walkshed {

constexpr int kNoDate = INT_MIN;

struct CivilDate {
  int year = 1970, month = 1, day = 1;
};

int days_from_civil(int year, int month, int day);
CivilDate civil_from_days(int days);
// YYYY-MM-DD (also YYYY/MM/DD, as GDAL prints a date field, or YYYYMMDD; a time after the date is
// ignored). kNoDate when the text is not a real date.
int parse_date(const std::string& text);
std::string date_text(int days);  // YYYY-MM-DD; "" for kNoDate
int today();                      // the local calendar date
// The date `years` calendar years later (29 February becomes 28 February when needed).
int add_years(int days, int years);
// The first day of the calendar quarter holding `days`.
int quarter_start(int days);

}  // namespace walkshed
