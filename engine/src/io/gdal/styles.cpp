#include "io/gdal/styles.hpp"

#include <cstdio>

#include "io/gdal/qml.hpp"
#include "walkshed/io/output.hpp"

namespace walkshed::detail {

namespace {

std::string band_text(double m) {
  char b[32];
  std::snprintf(b, sizeof b, "%.10g", m);
  return b;
}

// Near bands green, far ones red.
std::string band_color(std::size_t b, std::size_t n, int alpha) { return ramp_color(n > 1 ? double(b) / (n - 1) : 0, alpha); }

Symbol marker(const std::string& color, double size, const char* shape = "circle") {
  Symbol s;
  s.color = color, s.size = size, s.shape = shape;
  return s;
}

Symbol line(const std::string& color, double width, bool dashed = false) {
  Symbol s;
  s.color = color, s.size = width, s.dashed = dashed;
  return s;
}

Symbol fill(const std::string& color, const std::string& outline, double width, bool hatched = false) {
  Symbol s;
  s.color = color, s.outline = outline, s.size = width, s.hatched = hatched;
  return s;
}

const Label kName{"name"};

}  // namespace

void style_catchment_layers(OutputSet& set, const std::vector<double>& bands, bool polygons, bool nearest) {
  const std::size_t n = bands.size();
  std::vector<Category> lines, areas;
  // Far bands first in the list, so that QGIS draws the near ones on top.
  for (std::size_t k = n; k-- > 0;) {
    const std::string v = band_text(bands[k]), label = "步行" + v + "米 " + v + " m";
    lines.push_back({v, label, line(band_color(k, n, 255), 0.6)});
    areas.push_back({v, label, fill(band_color(k, n, 40), band_color(k, n, 255), 0.5)});
  }
  set.set_style("facilities", qml_single(Geometry::Point, marker("20,20,20,255", 2.4), &kName));
  set.set_style("not_routable", qml_single(Geometry::Point, marker("215,25,28,255", 3, "cross")));
  set.set_style("snap_lines", qml_single(Geometry::Line, line("120,120,120,255", 0.3, true)));
  set.set_style("catchment_lines", qml_categorized(Geometry::Line, "band_m", lines));
  if (polygons) set.set_style("catchment_polygons", qml_categorized(Geometry::Polygon, "band_m", areas));
  if (nearest) {
    std::vector<Category> network = lines;
    network.push_back({"", "不可达 unreachable", line("150,150,150,255", 0.3, true)});
    set.set_style("network_nearest", qml_categorized(Geometry::Line, "band_m", network));
  }
}

void style_coverage_layers(OutputSet& set) {
  // Floor area per 100 households against the 30 / 80 m² standards: below 30 hatched.
  const std::vector<Range> classes = {
      {-1e-9, 10, "< 10 m²/100户 (未达标 below target)", fill(ramp_color(1.0, 150), "215,25,28,255", 0.3, true)},
      {10, 20, "10–20 m²/100户 (未达标 below target)", fill(ramp_color(0.8, 150), "215,25,28,255", 0.3, true)},
      {20, 30, "20–30 m²/100户 (未达标 below target)", fill(ramp_color(0.6, 150), "215,25,28,255", 0.3, true)},
      {30, 80, "30–80 m²/100户 (达标 meets 30)", fill(ramp_color(0.25, 150), "60,60,60,255", 0.3)},
      {80, 1e12, "≥ 80 m²/100户 (达标 meets 80)", fill(ramp_color(0.0, 150), "60,60,60,255", 0.3)}};
  set.set_style("communities", qml_graduated(Geometry::Polygon, "area_per100", classes, &kName));
  set.set_style("demand_points", qml_single(Geometry::Point, marker("90,90,90,180", 0.8)));
  set.set_style("facilities", qml_single(Geometry::Point, marker("31,120,180,255", 2.6), &kName));
}

void style_check_layer(OutputSet& set, bool operators) {
  const std::vector<Category> summary = {
      {"pass", "合格 pass", marker("26,150,65,255", 3.2)},
      {"warning", "有建议条款未满足 warning", marker("253,174,97,255", 3.2)},
      {"fail", "不合格 fail", marker("215,25,28,255", 3.2)},
      {"incomplete", "数据不全 incomplete", marker("150,150,150,255", 3.2, "square")}};
  set.set_style("checked", qml_categorized(Geometry::Point, "summary", summary, &kName));
  if (operators) set.set_style("operators", qml_categorized(Geometry::Point, "summary", summary, &kName));
}

void style_site_layers(OutputSet& set) {
  const std::vector<Category> eligible = {{"1", "可选址 eligible", marker("31,120,180,255", 1.8)},
                                          {"0", "不可选 not eligible", marker("170,170,170,255", 1.4, "cross")}};
  set.set_style("candidates", qml_categorized(Geometry::Point, "eligible", eligible));
  const Label order{"order", false, 10};
  set.set_style("chosen", qml_single(Geometry::Point, marker("215,25,28,255", 5, "star"), &order));
  std::vector<Range> shares;
  for (int k = 0; k < 5; ++k)
    shares.push_back({k * 0.2 - (k == 0 ? 1e-9 : 0), (k + 1) * 0.2 + (k == 4 ? 1e-9 : 0),
                      "选址后覆盖 " + std::to_string(k * 20) + "–" + std::to_string(k * 20 + 20) + " % served after",
                      fill(ramp_color(1 - k * 0.25, 150), "60,60,60,255", 0.3)});
  set.set_style("communities", qml_graduated(Geometry::Polygon, "share_after", shares, &kName));
}

void style_graph_layers(OutputSet& set) {
  set.set_style("edges", qml_single(Geometry::Line, line("90,90,90,255", 0.35)));
  set.set_style("nodes", qml_single(Geometry::Point, marker("90,90,90,255", 0.8)));
}

}  // namespace walkshed::detail
