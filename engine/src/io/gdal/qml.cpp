#include "io/gdal/qml.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace walkshed::detail {

namespace {

}  // namespace

std::string in_language(const std::string& lang, const std::string& zh, const std::string& en) {
  return lang == "zh" ? zh : lang == "en" ? en : zh + " " + en;
}

std::string xml_text(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\n': out += "&#10;"; break;  // kept in attributes too
      default:
        if (static_cast<unsigned char>(c) >= 0x20 || c == '\t' || c == '\r') out += c;  // XML has no other controls
    }
  }
  return out;
}

namespace {

std::string prop(const char* k, const std::string& v) { return "<prop k=\"" + std::string(k) + "\" v=\"" + xml_text(v) + "\"/>"; }

std::string number(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.10g", v);
  return b;
}

const char* symbol_type(Geometry g) { return g == Geometry::Point ? "marker" : g == Geometry::Line ? "line" : "fill"; }

std::string line_layer(const std::string& color, double width, bool dashed) {
  return "<layer class=\"SimpleLine\" pass=\"0\" locked=\"0\" enabled=\"1\">" + prop("line_color", color) +
         prop("line_width", number(width)) + prop("line_width_unit", "MM") + prop("line_style", dashed ? "dash" : "solid") +
         prop("capstyle", "round") + prop("joinstyle", "round") + "</layer>";
}

std::string symbol(Geometry g, const Symbol& s, const std::string& name) {
  std::string out = "<symbol name=\"" + xml_text(name) + "\" type=\"" + symbol_type(g) +
                    "\" alpha=\"1\" clip_to_extent=\"1\" force_rhr=\"0\">";
  if (g == Geometry::Point) {
    out += "<layer class=\"SimpleMarker\" pass=\"0\" locked=\"0\" enabled=\"1\">" + prop("name", s.shape) +
           prop("color", s.color) + prop("outline_color", s.outline) + prop("outline_width", "0.3") +
           prop("outline_width_unit", "MM") + prop("size", number(s.size)) + prop("size_unit", "MM") + "</layer>";
  } else if (g == Geometry::Line) {
    out += line_layer(s.color, s.size, s.dashed);
  } else {
    out += "<layer class=\"SimpleFill\" pass=\"0\" locked=\"0\" enabled=\"1\">" + prop("color", s.color) +
           prop("style", "solid") + prop("outline_color", s.outline) + prop("outline_width", number(s.size)) +
           prop("outline_width_unit", "MM") + prop("outline_style", s.dashed ? "dash" : "solid") + "</layer>";
    if (s.hatched)
      out += "<layer class=\"LinePatternFill\" pass=\"0\" locked=\"0\" enabled=\"1\">" + prop("angle", "45") +
             prop("distance", "2") + prop("distance_unit", "MM") + prop("line_width", "0.3") +
             prop("line_width_unit", "MM") + prop("color", s.outline) + "<symbol name=\"@" + xml_text(name) +
             "@1\" type=\"line\" alpha=\"1\" clip_to_extent=\"1\" force_rhr=\"0\">" + line_layer(s.outline, 0.3, false) +
             "</symbol></layer>";
  }
  return out + "</symbol>";
}

std::string labeling(const Label* label, Geometry g) {
  if (!label) return "";
  // Noto Sans CJK (Debian fonts-noto-cjk) draws Chinese; QGIS falls back to a system font without it.
  return "<labeling type=\"simple\"><settings calloutType=\"simple\"><text-style fieldName=\"" + xml_text(label->field) +
         "\" isExpression=\"" + (label->expression ? "1" : "0") +
         "\" fontFamily=\"Noto Sans CJK SC\" fontSize=\"" + number(label->size) +
         "\" fontSizeUnit=\"Point\" textColor=\"30,30,30,255\" textOpacity=\"1\" fontWeight=\"50\">"
         "<text-buffer bufferDraw=\"1\" bufferSize=\"0.8\" bufferSizeUnits=\"MM\" bufferColor=\"255,255,255,255\" "
         "bufferOpacity=\"1\"/></text-style><placement placement=\"" +
         (g == Geometry::Point ? "6" : g == Geometry::Line ? "2" : "0") +
         "\" dist=\"1\" distUnits=\"MM\"/><rendering obstacle=\"1\" scaleVisibility=\"0\" upsidedownLabels=\"0\"/>"
         "</settings></labeling>";
}

std::string document(const std::string& renderer, const Label* label, Geometry g) {
  return "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n<qgis version=\"3.22.0\" "
         "styleCategories=\"Symbology|Labeling\" labelsEnabled=\"" +
         std::string(label ? "1" : "0") + "\">\n" + renderer + "\n" + labeling(label, g) + "\n</qgis>\n";
}

}  // namespace

std::string ramp_color(double t, int alpha) {
  t = std::clamp(t, 0.0, 1.0);
  // green (26,150,65) -> yellow (255,255,191) -> red (215,25,28)
  auto mix = [](double a, double b, double u) { return static_cast<int>(std::lround(a + (b - a) * u)); };
  int r, g, b;
  if (t < 0.5) r = mix(26, 255, 2 * t), g = mix(150, 255, 2 * t), b = mix(65, 191, 2 * t);
  else r = mix(255, 215, 2 * t - 1), g = mix(255, 25, 2 * t - 1), b = mix(191, 28, 2 * t - 1);
  return std::to_string(r) + "," + std::to_string(g) + "," + std::to_string(b) + "," + std::to_string(alpha);
}

std::string qml_single(Geometry g, const Symbol& s, const Label* label) {
  return document("<renderer-v2 type=\"singleSymbol\" forceraster=\"0\" symbollevels=\"0\" enableorderby=\"0\"><symbols>" +
                      symbol(g, s, "0") + "</symbols></renderer-v2>",
                  label, g);
}

std::string qml_categorized(Geometry g, const std::string& field, const std::vector<Category>& categories,
                            const Label* label) {
  std::string cats, symbols;
  for (std::size_t i = 0; i < categories.size(); ++i) {
    cats += "<category value=\"" + xml_text(categories[i].value) + "\" label=\"" + xml_text(categories[i].label) +
            "\" symbol=\"" + std::to_string(i) + "\" render=\"true\"/>";
    symbols += symbol(g, categories[i].symbol, std::to_string(i));
  }
  return document("<renderer-v2 type=\"categorizedSymbol\" attr=\"" + xml_text(field) +
                      "\" forceraster=\"0\" symbollevels=\"0\" enableorderby=\"0\"><categories>" + cats +
                      "</categories><symbols>" + symbols + "</symbols></renderer-v2>",
                  label, g);
}

std::string qml_graduated(Geometry g, const std::string& field, const std::vector<Range>& ranges, const Label* label) {
  std::string rs, symbols;
  for (std::size_t i = 0; i < ranges.size(); ++i) {
    rs += "<range lower=\"" + number(ranges[i].lower) + "\" upper=\"" + number(ranges[i].upper) + "\" label=\"" +
          xml_text(ranges[i].label) + "\" symbol=\"" + std::to_string(i) + "\" render=\"true\"/>";
    symbols += symbol(g, ranges[i].symbol, std::to_string(i));
  }
  return document("<renderer-v2 type=\"graduatedSymbol\" attr=\"" + xml_text(field) +
                      "\" graduatedMethod=\"GraduatedColor\" forceraster=\"0\" symbollevels=\"0\" enableorderby=\"0\">"
                      "<ranges>" + rs + "</ranges><symbols>" + symbols + "</symbols></renderer-v2>",
                  label, g);
}

}  // namespace walkshed::detail
