// Private to io: QGIS layer styles (QML) for walkshed's outputs, written as the default style of each
// layer (GeoPackage `layer_styles` table, or a `.qml` file beside a GeoJSON / Shapefile layer).
#pragma once
#include <string>
#include <vector>

namespace walkshed::detail {

enum class Geometry { Point, Line, Polygon };

struct Symbol {
  std::string color = "31,120,180,255";  // R,G,B,A
  std::string outline = "35,35,35,255";
  double size = 2;                       // marker size or line width, mm
  bool dashed = false;                   // lines and polygon outlines
  bool hatched = false;                  // polygons: a diagonal hatch over the fill
  std::string shape = "circle";          // markers: circle, star, cross, square
};

struct Category {
  std::string value;  // "" matches every other value, NULL included
  std::string label;
  Symbol symbol;
};

struct Range {
  double lower, upper;
  std::string label;
  Symbol symbol;
};

// A label on `field` (an expression when `expression`), Chinese-capable font, with a white buffer.
struct Label {
  std::string field;
  bool expression = false;
  double size = 8;  // points
};

std::string qml_single(Geometry g, const Symbol& s, const Label* label = nullptr);
std::string qml_categorized(Geometry g, const std::string& field, const std::vector<Category>& categories,
                            const Label* label = nullptr);
std::string qml_graduated(Geometry g, const std::string& field, const std::vector<Range>& ranges,
                          const Label* label = nullptr);

// A label in the language of a report or project: zh, en, or both ("中文 English").
std::string in_language(const std::string& lang, const std::string& zh, const std::string& en);

// `s` with &, <, > and " escaped for XML, newlines as &#10;, and control characters XML forbids left out.
std::string xml_text(const std::string& s);

// Colours from green (0) through yellow to red (1), with alpha 0-255.
std::string ramp_color(double t, int alpha = 255);

}  // namespace walkshed::detail
