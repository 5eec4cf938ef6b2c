// The study's QGIS project: the layers of study.gpkg grouped by theme, each with its stored style, and
// a print layout per map (A4 landscape: title, map, legend, scale bar, north arrow, attribution).
#pragma once
#include <string>
#include <vector>

#include "walkshed/io/output_options.hpp"
#include "walkshed/io/report.hpp"

namespace walkshed {

// Writes output.path (a .qgs file), which refers to input.study_gpkg by a path relative to itself.
// Uses input.title, lang, sited and osm. Returns the files written. Throws InputError when study_gpkg
// cannot be read, OutputError when the project cannot be written.
std::vector<std::string> write_study_project(const ReportInput& input, const OutputOptions& output);

}  // namespace walkshed
