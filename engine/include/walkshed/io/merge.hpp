// One GeoPackage from several: every layer of each source under a prefix, with its stored style.
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "walkshed/io/output_options.hpp"

namespace walkshed {

// sources: (GeoPackage path, prefix) — layer L of a source becomes <prefix>_L. Returns the files
// written. Throws InputError for a source that cannot be read, OutputError for the output.
std::vector<std::string> merge_geopackages(const std::vector<std::pair<std::string, std::string>>& sources,
                                           const OutputOptions& output);

}  // namespace walkshed
