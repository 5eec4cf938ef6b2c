// Private: SQL text for the GeoPackage reader and writer.
#pragma once
#include <string>

namespace walkshed::detail {

// s in quotes, the quote character doubled inside: an SQL identifier ('"') or text literal ('\'').
inline std::string sql_quoted(const std::string& s, char quote = '"') {
  std::string out(1, quote);
  for (char c : s) out += c == quote ? std::string(2, quote) : std::string(1, c);
  return out + quote;
}

}  // namespace walkshed::detail
