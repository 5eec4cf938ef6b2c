// The study report: one self-contained HTML page (maps drawn as inline SVG, no network access) with
// the tables per community, the rule results and the chosen sites, read back from study.gpkg.
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "walkshed/io/output_options.hpp"

namespace walkshed {

struct ReportStep {
  std::string name, status, message;
  double seconds = 0;
};

// A figure of the method and inputs section: what was read, dropped, repaired or not routable.
struct ReportFigure {
  std::string zh, en, value;
};

// Who a function serves, for the access section (the figures themselves are read from study.gpkg).
struct ReportAccess {
  std::string group_zh, group_en;  // "60岁及以上老年人", "elderly 60+"
  std::string unit;                // of its supply: beds, places, facility
  bool estimated = false;          // some communities' counts are census shares
};

struct ReportInput {
  std::string title, profile;
  std::string study_gpkg;               // the merged layers (prefixes catchments_, coverage_, check_, sites_<f>_)
  std::string check_rules_csv;          // the rule table, for the failing rules and their articles; or empty
  std::vector<std::string> sited;       // the tags of the sites_<tag> layers, in order
  std::vector<std::string> inputs;      // input files, for the method section
  std::string profile_title;            // the city text the profile follows
  std::vector<ReportFigure> figures;    // counts of the inputs, for the method section
  std::vector<ReportStep> steps;
  std::string lang = "both";            // zh, en or both
  bool osm = false;                     // the roads are OpenStreetMap data: maps carry its attribution
  std::vector<ReportAccess> access;     // per function (service_functions order); empty: no access section
  double access_distance = 0;           // D of the 2SFCA
  std::pair<std::string, std::string> census_note;  // (zh, en): where estimated counts come from; empty: none
  std::string as_of;                    // the date rules were judged on (YYYY-MM-DD)
  std::string standing;                 // the text's standing then; empty: in force
  std::vector<double> distances;        // the study's bands (the operators' reach columns)
};

// Writes output.path (an .html file). Returns the files written. Throws InputError when study_gpkg
// cannot be read, OutputError when the page cannot be written.
std::vector<std::string> write_study_report(const ReportInput& input, const OutputOptions& output);

}  // namespace walkshed
