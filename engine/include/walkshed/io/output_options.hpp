// Where and how a job writes its output set.
#pragma once
#include <string>
#include <utility>
#include <vector>

namespace walkshed {

class OutputSet;

struct OutputOptions {
  OutputOptions() = default;
  explicit OutputOptions(std::string p) : path(std::move(p)) {}

  std::string path;                 // a .gpkg file, a .geojson/.shp name per layer, or a folder with `format`
  std::string format;               // empty: from the extension
  std::string csv;                  // the job's summary table, if it writes one; empty: beside path
  std::vector<std::string> inputs;  // never overwritten
  bool spatial_index = true;        // GeoPackage R-tree (about 60 % of the write time of large layers)
  bool overwrite = false;           // may replace existing files walkshed did not write
  bool csv_excel = false;           // tables for Excel: a UTF-8 byte-order mark, Chinese and English headers
  // Layers go into this GeoPackage output set instead (a study's study.gpkg), named
  // layer_prefix + "_" + layer, and are committed with it; path is then that set's file.
  OutputSet* into = nullptr;
  std::string layer_prefix;
};

}  // namespace walkshed
