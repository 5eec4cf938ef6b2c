// The nine service functions of community-embedded service facilities (docs/rules.md §3).
#pragma once
#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace walkshed {

constexpr int kFunctionCount = 9;
using FunctionSet = std::uint16_t;  // bit i = function i

struct FunctionInfo {
  const char* id;     // elderly_care ...
  const char* code;   // 3-letter code used in short (Shapefile) field names
  const char* label;  // Chinese name
};

const std::array<FunctionInfo, kFunctionCount>& service_functions();

// Index of a function from its id, code or Chinese label; -1 when unknown.
int function_index(const std::string& name);

// "elderly_care;community_canteen" (separators ; , | / or spaces). Unknown names are appended to `unknown`.
FunctionSet parse_functions(const std::string& list, std::vector<std::string>& unknown);

std::string function_list(FunctionSet set);  // "elderly_care;health"

// Functions inferred from OSM tags and the name (docs/rules.md §9).
FunctionSet functions_from_osm(const std::map<std::string, std::string>& tags);

}  // namespace walkshed
