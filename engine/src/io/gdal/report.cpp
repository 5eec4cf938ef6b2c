#include "walkshed/io/report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <tuple>

#include "io/gdal/gdal_util.hpp"
#include "io/gdal/qml.hpp"
#include "walkshed/core/error.hpp"
#include "walkshed/core/functions.hpp"
#include "walkshed/core/text.hpp"
#include "walkshed/io/output.hpp"

namespace walkshed {

namespace {

std::string html(const std::string& s) { return detail::xml_text(s); }

std::string num(double v, int decimals) { return std::isfinite(v) ? fixed(v, decimals) : ""; }

// "R,G,B,A" (the QML colours) as CSS.
std::string css(const std::string& rgba) {
  int r = 0, g = 0, b = 0, a = 255;
  std::sscanf(rgba.c_str(), "%d,%d,%d,%d", &r, &g, &b, &a);
  char out[48];
  std::snprintf(out, sizeof out, "rgba(%d,%d,%d,%.2f)", r, g, b, a / 255.0);
  return out;
}

// v / 10 as SVG path data: "12.3", "-4", ".5", "-.5".
void append_tenths(std::string& d, long v) {
  if (v < 0) d += '-', v = -v;
  if (v >= 10) d += std::to_string(v / 10);
  if (v % 10 != 0) d += '.', d += static_cast<char>('0' + v % 10);
  else if (v < 10) d += '0';
}

// Maps with more labelled features than this are drawn without labels (they would not be legible).
constexpr int kMaxLabels = 400;
// Tables longer than this list the rows that matter most; all are in the CSV tables.
constexpr std::size_t kMaxRows = 300;

struct Look {
  std::string fill = "none", stroke = "none";
  double width = 1, radius = 0;
  bool dashed = false;
  std::string label;
};

struct MapLayer {
  OGRLayer* layer = nullptr;
  std::function<Look(const OGRFeature&)> look;
};

struct LegendItem {
  std::string color, label;
};

class Page {
 public:
  explicit Page(const std::string& lang) : lang_(lang) {}
  std::string t(const std::string& zh, const std::string& en) const { return detail::in_language(lang_, zh, en); }

  // A map of the layers with legend, scale bar, north arrow and attribution.
  std::string map(const std::string& caption, const std::vector<MapLayer>& layers, const std::vector<LegendItem>& legend,
                  bool osm) const {
    OGREnvelope e;
    bool any = false;
    for (auto& l : layers) {
      OGREnvelope le;
      if (l.layer && l.layer->GetFeatureCount() > 0 && l.layer->GetExtent(&le) == OGRERR_NONE) {
        if (any) e.Merge(le);
        else e = le, any = true;
      }
    }
    if (!any) return "<p>" + html(caption) + ": " + t("无数据", "no data") + "</p>";
    const double W = 720, pad = 12;
    const double span_x = std::max(e.MaxX - e.MinX, 1.0), span_y = std::max(e.MaxY - e.MinY, 1.0);
    const double scale = std::min((W - 2 * pad) / span_x, 540.0 / span_y);
    const double H = span_y * scale + 2 * pad;
    auto px = [&](double x) { return fixed(pad + (x - e.MinX) * scale, 1); };
    auto py = [&](double y) { return fixed(pad + (e.MaxY - y) * scale, 1); };
    // The lines and polygons of one look are drawn as one path in tenths of a pixel, relative moves
    // after the first point (polygon outlines anticlockwise, holes clockwise, filled by the nonzero
    // rule). Vertices less than 0.7 px from the last one drawn are left out, and a line that starts
    // within 0.7 px of where the path's last line ended goes on from there: a city's network and
    // thousands of communities stay a page Chromium prints in seconds.
    std::ostringstream s, labels;
    struct Path {
      std::string paint, d;
      long pen_x = 0, pen_y = 0;
      bool pen = false;  // the last subpath was a line ending at pen_x, pen_y
    };
    std::vector<Path> groups;  // in order of first use
    std::map<std::string, std::size_t> group_of;
    int features = 0;
    bool with_labels = true;  // until a layer has more labelled features than kMaxLabels
    std::vector<std::pair<long, long>> ring;
    auto near = [](long ax, long ay, long bx, long by) { return std::labs(ax - bx) < 7 && std::labs(ay - by) < 7; };
    for (auto& l : layers) {
      if (!l.layer) continue;
      l.layer->ResetReading();
      int labelled = 0;
      for (auto& f : *l.layer) {
        const OGRGeometry* g = f->GetGeometryRef();
        if (!g || g->IsEmpty()) continue;
        const Look k = l.look(*f);
        ++features;
        if (!k.label.empty() && ++labelled > kMaxLabels) with_labels = false;
        const std::string paint = " fill=\"" + k.fill + "\" stroke=\"" + k.stroke + "\" stroke-width=\"" +
                                  fixed(k.width, 1) + "\"" + (k.dashed ? " stroke-dasharray=\"4 3\"" : "");
        const auto type = wkbFlatten(g->getGeometryType());
        if (type == wkbPoint) {
          const auto* p = g->toPoint();
          s << "<circle cx=\"" << px(p->getX()) << "\" cy=\"" << py(p->getY()) << "\" r=\"" << fixed(k.radius, 1)
            << "\"" << paint << "/>";
          if (!k.label.empty() && with_labels)
            labels << "<text x=\"" << px(p->getX()) << "\" y=\"" << py(p->getY()) << "\" dx=\"" << fixed(k.radius + 2, 1)
                   << "\" dy=\"4\" class=\"label\">" << html(k.label) << "</text>";
          continue;
        }
        const auto [it, added] = group_of.emplace(paint, groups.size());
        if (added) groups.push_back({paint, ""});
        Path& path = groups[it->second];
        // role: 0 a line, 1 a polygon's outline, 2 a hole.
        auto draw = [&](const OGRSimpleCurve* curve, int role) {
          ring.clear();
          const int n = curve->getNumPoints();
          if (n == 0) return;
          auto at = [&](int i) {
            return std::pair<long, long>(std::lround((pad + (curve->getX(i) - e.MinX) * scale) * 10),
                                         std::lround((pad + (e.MaxY - curve->getY(i)) * scale) * 10));
          };
          const auto [x0, y0] = at(0);
          const bool chained = role == 0 && path.pen && near(x0, y0, path.pen_x, path.pen_y);
          if (chained) ring.push_back({path.pen_x, path.pen_y});
          for (int i = 0; i < n; ++i) {
            const auto [x, y] = at(i);
            const bool last = i + 1 == n;
            if (!ring.empty() && near(x, y, ring.back().first, ring.back().second) &&
                (role > 0 ? !last : (ring.size() > 1 || chained || !last)))
              continue;
            ring.push_back({x, y});
          }
          if (role == 0) {
            if (ring.size() < 2) return;  // all of it within 0.7 px of where the path already is
            path.pen = true, path.pen_x = ring.back().first, path.pen_y = ring.back().second;
          } else {
            path.pen = false;
            long long area = 0;  // twice the signed area, y down: > 0 is clockwise on screen
            for (std::size_t i = 0; i + 1 < ring.size(); ++i)
              area += static_cast<long long>(ring[i].first) * ring[i + 1].second -
                      static_cast<long long>(ring[i + 1].first) * ring[i].second;
            if ((role == 1) == (area > 0)) std::reverse(ring.begin(), ring.end());
          }
          std::string& d = path.d;
          if (!chained) {
            d += 'M';
            append_tenths(d, ring[0].first);
            d += ' ';
            append_tenths(d, ring[0].second);
          }
          d += 'l';
          for (std::size_t i = 1; i < ring.size(); ++i) {
            const long dx = ring[i].first - ring[i - 1].first, dy = ring[i].second - ring[i - 1].second;
            if (i > 1 && dx >= 0) d += ' ';
            append_tenths(d, dx);
            if (dy >= 0) d += ' ';
            append_tenths(d, dy);
          }
          if (role > 0) d += 'z';
        };
        std::function<void(const OGRGeometry*)> add = [&](const OGRGeometry* part) {
          switch (wkbFlatten(part->getGeometryType())) {
            case wkbLineString:
              draw(part->toSimpleCurve(), 0);
              break;
            case wkbPolygon: {
              int r = 0;
              for (const auto* rg : *part->toPolygon()) draw(rg, r++ == 0 ? 1 : 2);
              break;
            }
            case wkbMultiLineString:
            case wkbMultiPolygon:
            case wkbGeometryCollection:
              for (const auto* sub : *part->toGeometryCollection()) add(sub);
              break;
            default:
              break;
          }
        };
        add(g);
        if (!k.label.empty() && with_labels && (type == wkbPolygon || type == wkbMultiPolygon)) {
          OGRGeometryH at = OGR_G_PointOnSurface(OGRGeometry::ToHandle(const_cast<OGRGeometry*>(g)));
          if (at && !OGR_G_IsEmpty(at))
            labels << "<text x=\"" << px(OGR_G_GetX(at, 0)) << "\" y=\"" << py(OGR_G_GetY(at, 0))
                   << "\" text-anchor=\"middle\" class=\"label\">" << html(k.label) << "</text>";
          if (at) OGR_G_DestroyGeometry(at);
        }
      }
      for (auto& p : groups) s << "<path d=\"" << p.d << "\"" << p.paint << "/>";
      groups.clear(), group_of.clear();
    }
    if (!with_labels) labels.str("");
    // Scale bar: the longest round length within a quarter of the map.
    const double bar = round_down_125((W - 2 * pad) / 4 / scale);
    const double bx = pad + 4, by = H - pad - 4, blen = bar * scale;
    std::ostringstream out;
    out << "<figure class=\"map\"><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << fixed(W, 0) << "\" height=\""
        << fixed(H, 0) << "\" viewBox=\"0 0 " << fixed(W, 0) << " " << fixed(H, 0) << "\" data-features=\"" << features
        << "\"><rect width=\"100%\" height=\"100%\" fill=\"#fbfbf8\"/>" << s.str() << labels.str()
        << "<g class=\"scalebar\"><path d=\"M" << fixed(bx, 1) << " " << fixed(by - 5, 1) << "V" << fixed(by, 1) << "H"
        << fixed(bx + blen, 1) << "V" << fixed(by - 5, 1) << "\" stroke=\"#222\" stroke-width=\"1.5\" fill=\"none\"/>"
        << "<text x=\"" << fixed(bx + blen + 4, 1) << "\" y=\"" << fixed(by, 1) << "\" class=\"label\">"
        << (bar >= 1000 ? fixed(bar / 1000, 0) + " km" : fixed(bar, 0) + " m") << "</text></g>"
        << "<g class=\"north\" transform=\"translate(" << fixed(W - pad - 14, 1) << "," << fixed(pad + 4, 1)
        << ")\"><path d=\"M0 0L8 22L0 17L-8 22Z\" fill=\"#222\"/><text x=\"0\" y=\"34\" text-anchor=\"middle\" "
           "class=\"label\">N 北</text></g>";
    if (osm)
      out << "<text x=\"" << fixed(W - pad, 1) << "\" y=\"" << fixed(H - 4, 1)
          << "\" text-anchor=\"end\" class=\"attribution\">© OpenStreetMap contributors</text>";
    out << "</svg><figcaption>" << html(caption) << "</figcaption><ul class=\"legend\">";
    for (auto& item : legend)
      out << "<li><span class=\"swatch\" style=\"background:" << item.color << "\"></span>" << html(item.label) << "</li>";
    out << "</ul></figure>\n";
    return out.str();
  }

 private:
  std::string lang_;
};

std::string field(const OGRFeature& f, const char* name) {
  const int i = f.GetFieldIndex(name);
  return i >= 0 && f.IsFieldSetAndNotNull(i) ? f.GetFieldAsString(i) : "";
}

double value(const OGRFeature& f, const char* name) {
  const int i = f.GetFieldIndex(name);
  return i >= 0 && f.IsFieldSetAndNotNull(i) ? f.GetFieldAsDouble(i) : NAN;
}

double value(const OGRFeature& f, int i) { return i >= 0 && f.IsFieldSetAndNotNull(i) ? f.GetFieldAsDouble(i) : NAN; }

// Reads only the fields `keep` says yes to (the geometry too when `geometry`); keep = null reads all.
void read_only(OGRLayer& layer, const std::function<bool(const std::string&)>& keep, bool geometry = true) {
  CPLStringList ignored;
  OGRFeatureDefn* defn = layer.GetLayerDefn();
  for (int i = 0; keep && i < defn->GetFieldCount(); ++i)
    if (!keep(defn->GetFieldDefn(i)->GetNameRef())) ignored.AddString(defn->GetFieldDefn(i)->GetNameRef());
  if (keep && !geometry) ignored.AddString("OGR_GEOMETRY");
  layer.SetIgnoredFields(const_cast<const char**>(ignored.List()));
}

// The access fields of the communities (people, shares and measures per group and function).
bool access_field(const std::string& n) {
  for (const char* part : {"people", "_2sfca", "_e2sfca", "_g2sfca", "_gravity", "_shortfall"})
    if (n.find(part) != std::string::npos) return true;
  return false;
}

// A long table's rows and its end: when there are more than kMaxRows, the kMaxRows with the largest
// keys (the layer's order among equals). Returns how many rows there were.
std::size_t put_rows(std::ostringstream& h, std::vector<std::pair<double, std::string>> rows) {
  const std::size_t all = rows.size();
  if (all > kMaxRows) {
    std::stable_sort(rows.begin(), rows.end(), [](auto& a, auto& b) { return a.first > b.first; });
    rows.resize(kMaxRows);
  }
  for (auto& r : rows) h << r.second;
  h << "</table>\n";
  return all;
}

// The cells of one line of a CSV table walkshed wrote (quotes around cells with commas).
std::vector<std::string> csv_cells(const std::string& line) {
  std::vector<std::string> cells;
  std::string cell;
  bool quoted = false;
  for (char c : line) {
    if (c == '"') quoted = !quoted;
    else if (c == ',' && !quoted) cells.push_back(cell), cell.clear();
    else cell += c;
  }
  cells.push_back(cell);
  return cells;
}

// Floor area per 100 households, in the classes of the QGIS style.
std::string per100_color(double v) {
  const double t = !std::isfinite(v) ? 1.0 : v < 10 ? 1.0 : v < 20 ? 0.8 : v < 30 ? 0.6 : v < 80 ? 0.25 : 0.0;
  return css(detail::ramp_color(t, 170));
}

}  // namespace

std::vector<std::string> write_study_report(const ReportInput& in, const OutputOptions& output) {
  auto ds = detail::open_vector(in.study_gpkg, "study layers");
  auto layer = [&](const std::string& name) { return ds->GetLayerByName(name.c_str()); };
  const Page p(in.lang);
  const bool osm = in.osm;
  std::ostringstream h;
  h << "<!DOCTYPE html>\n<html lang=\"" << (in.lang == "en" ? "en" : "zh") << "\"><head><meta charset=\"utf-8\">"
    << "<title>" << html(in.title.empty() ? "walkshed study" : in.title) << "</title><style>"
    << "body{font-family:'Noto Sans CJK SC','Microsoft YaHei',sans-serif;margin:2em auto;max-width:60em;color:#222}"
    << "table{border-collapse:collapse;margin:1em 0;font-size:90%}td,th{border:1px solid #bbb;padding:2px 6px}"
    << "td.n{text-align:right}th{background:#eee}.legend{list-style:none;padding:0}.legend li{display:inline-block;"
    << "margin-right:1.2em}.swatch{display:inline-block;width:1em;height:1em;margin-right:.3em;border:1px solid #555;"
    << "vertical-align:middle}.label{font-size:11px;paint-order:stroke;stroke:#fff;stroke-width:3px}"
    << ".attribution{font-size:10px;fill:#555}figure{margin:1em 0;page-break-inside:avoid}"
    << "@media print{body{margin:0}}</style></head><body>\n";
  h << "<h1>" << html(in.title.empty() ? p.t("社区嵌入式服务设施研究", "Study of community embedded service facilities")
                                        : in.title)
    << "</h1>\n<p>" << p.t("规则集", "Profile") << ": " << html(in.profile)
    << (in.as_of.empty() ? "" : "; " + p.t("判定基准日", "rules judged as of") + " " + html(in.as_of)) << "</p>\n";
  if (!in.standing.empty())
    h << "<p class=\"standing\"><strong>" << p.t("文件效力", "Standing of the text") << "</strong>: "
      << p.t("所依据的文件未生效或已失效，条款仅供参考。", "the rules follow a text that is not in force.") << " "
      << html(in.standing) << "</p>\n";

  // Steps.
  h << "<h2>" << p.t("计算步骤", "Steps") << "</h2><table class=\"steps\"><tr><th>" << p.t("步骤", "step") << "</th><th>"
    << p.t("状态", "status") << "</th><th>" << p.t("用时(秒)", "seconds") << "</th><th>" << p.t("说明", "message")
    << "</th></tr>";
  for (auto& s : in.steps)
    h << "<tr><td>" << html(s.name) << "</td><td>" << html(s.status) << "</td><td class=\"n\">" << num(s.seconds, 2)
      << "</td><td>" << html(s.message) << "</td></tr>";
  h << "</table>\n";

  // Coverage and floor area per community.
  OGRLayer* comm = layer("coverage_communities");
  if (comm) read_only(*comm, [](const std::string& n) { return !access_field(n); });  // until the access section
  OGRLayer* facilities = layer("coverage_facilities");
  auto facility_look = [](const OGRFeature&) {
    Look k;
    k.fill = "rgb(31,120,180)", k.stroke = "#fff", k.radius = 3.5, k.width = 0.8;
    return k;
  };
  if (comm) {
    h << "<h2>" << p.t("每百户服务设施面积", "Floor area per 100 households") << "</h2>\n";
    h << p.map(p.t("社区每百户面积与设施", "Communities by floor area per 100 households, and the facilities"),
               {{comm, [](const OGRFeature& f) {
                   Look k;
                   k.fill = per100_color(value(f, "area_per100"));
                   k.stroke = value(f, "area_pass") > 0 ? "#444" : "rgb(215,25,28)";
                   k.label = field(f, "name");
                   return k;
                 }},
                {facilities, facility_look}},
               {{per100_color(5), "< 10 m²"}, {per100_color(15), "10–20 m²"}, {per100_color(25), "20–30 m²"},
                {per100_color(50), "30–80 m²"}, {per100_color(100), "≥ 80 m²"}, {"rgb(31,120,180)", p.t("设施", "facility")}},
               osm);
    std::string functions_field;
    for (int i = 0; i < comm->GetLayerDefn()->GetFieldCount(); ++i) {
      const std::string n = comm->GetLayerDefn()->GetFieldDefn(i)->GetNameRef();
      if (n.rfind("functions_", 0) == 0) functions_field = n;
    }
    h << "<table class=\"communities\"><tr><th>" << p.t("社区编号", "id") << "</th><th>" << p.t("社区名称", "name")
      << "</th><th>" << p.t("街道", "street") << "</th><th>" << p.t("户数", "households") << "</th><th>"
      << p.t("每百户面积(平方米)", "m² per 100 households") << "</th><th>" << p.t("标准", "target") << "</th><th>"
      << p.t("面积缺口(平方米)", "gap (m²)") << "</th><th>" << p.t("达标", "meets target") << "</th><th>"
      << p.t("可达服务功能数", "functions within reach") << "</th></tr>";
    std::vector<std::pair<double, std::string>> rows;  // (gap, row)
    comm->ResetReading();
    for (auto& f : *comm) {
      std::ostringstream row;
      row << "<tr data-id=\"" << html(field(*f, "comm_id")) << "\"><td>" << html(field(*f, "comm_id")) << "</td><td>"
          << html(field(*f, "name")) << "</td><td>" << html(field(*f, "street")) << "</td><td class=\"n\">"
          << num(value(*f, "households"), 0) << "</td><td class=\"n\">" << num(value(*f, "area_per100"), 1)
          << "</td><td class=\"n\">" << num(value(*f, "target_per100"), 0) << "</td><td class=\"n\">"
          << num(value(*f, "gap_m2"), 0) << "</td><td>" << (value(*f, "area_pass") > 0 ? p.t("是", "yes") : p.t("否", "no"))
          << "</td><td class=\"n\">"
          << (functions_field.empty() ? "" : num(value(*f, functions_field.c_str()), 0)) << "</td></tr>";
      const double gap = value(*f, "gap_m2");
      rows.push_back({std::isfinite(gap) ? gap : 0, row.str()});
    }
    const std::size_t all = put_rows(h, std::move(rows));
    if (all > kMaxRows)
      h << "<p class=\"note\">"
        << p.t("列出面积缺口最大的" + std::to_string(kMaxRows) + "个社区（共" + std::to_string(all) +
                   "个）；全部社区见 tables/coverage_summary.csv。",
               "The " + std::to_string(kMaxRows) + " communities with the largest gap, of " + std::to_string(all) +
                   "; all are in tables/coverage_summary.csv.")
        << "</p>\n";

    // Per street (街道): the communities' households, floor area and gap together.
    struct Street {
      int communities = 0, failing = 0;
      double households = 0, area = 0, gap = 0;
    };
    std::map<std::string, Street> streets;
    comm->ResetReading();
    for (auto& f : *comm) {
      Street& st = streets[field(*f, "street")];
      ++st.communities;
      st.failing += !(value(*f, "area_pass") > 0);
      const double hh = value(*f, "households"), area = value(*f, "area_m2"), gap = value(*f, "gap_m2");
      st.households += std::isfinite(hh) ? hh : 0;
      st.area += std::isfinite(area) ? area : 0;
      st.gap += std::isfinite(gap) ? gap : 0;
    }
    h << "<table class=\"streets\"><tr><th>" << p.t("街道", "street") << "</th><th>" << p.t("社区数", "communities")
      << "</th><th>" << p.t("未达标社区数", "below target") << "</th><th>" << p.t("户数", "households") << "</th><th>"
      << p.t("每百户面积(平方米)", "m² per 100 households") << "</th><th>" << p.t("面积缺口(平方米)", "gap (m²)")
      << "</th></tr>";
    for (auto& [name, st] : streets)
      h << "<tr><td>" << html(name.empty() ? p.t("(未注明)", "(none given)") : name) << "</td><td class=\"n\">"
        << st.communities << "</td><td class=\"n\">" << st.failing << "</td><td class=\"n\">" << num(st.households, 0)
        << "</td><td class=\"n\">" << (st.households > 0 ? num(100 * st.area / st.households, 1) : "") << "</td><td class=\"n\">"
        << num(st.gap, 0) << "</td></tr>";
    h << "</table>\n";

    // Households within each band per function, the whole study area.
    std::map<std::string, std::map<std::string, double>> within;  // function -> band -> households
    std::vector<std::string> bands;
    // The fields <function>_<band>_hh, found once from the layer's definition.
    std::vector<std::tuple<int, std::string, std::string>> counted;  // (field, function, band)
    OGRFeatureDefn* defn = comm->GetLayerDefn();
    for (int i = 0; i < defn->GetFieldCount(); ++i) {
      const std::string n = defn->GetFieldDefn(i)->GetNameRef();
      for (int k = 0; k < kFunctionCount; ++k) {
        const std::string id = service_functions()[k].id;
        if (n.rfind(id + "_", 0) != 0 || n.size() < id.size() + 5 || n.compare(n.size() - 3, 3, "_hh") != 0) continue;
        const std::string band = n.substr(id.size() + 1, n.size() - id.size() - 4);
        if (std::find(bands.begin(), bands.end(), band) == bands.end()) bands.push_back(band);
        counted.emplace_back(i, id, band);
      }
    }
    const int households_field = defn->GetFieldIndex("households");
    double households = 0;
    comm->ResetReading();
    for (auto& f : *comm) {
      if (households_field >= 0 && f->IsFieldSetAndNotNull(households_field))
        households += f->GetFieldAsDouble(households_field);
      for (auto& [i, id, band] : counted) within[id][band] += f->IsFieldSetAndNotNull(i) ? f->GetFieldAsDouble(i) : 0;
    }
    h << "<h2>" << p.t("各服务功能步行可达户数比例", "Households within walking distance, per function") << "</h2>"
      << "<table class=\"functions\"><tr><th>" << p.t("服务功能", "function") << "</th>";
    for (auto& b : bands) h << "<th>" << html(b) << "</th>";
    h << "</tr>";
    for (int k = 0; k < kFunctionCount; ++k) {
      const auto& fn = service_functions()[k];
      h << "<tr><td>" << html(p.t(fn.label, fn.id)) << "</td>";
      for (auto& b : bands)
        h << "<td class=\"n\">" << (households > 0 ? num(100 * within[fn.id][b] / households, 1) + " %" : "") << "</td>";
      h << "</tr>";
    }
    h << "</table>\n";
  }

  // Who each service is for: the group, its residents and the access measures, whole study area.
  if (comm && in.access.size() == static_cast<std::size_t>(kFunctionCount)) {
    OGRFeatureDefn* defn = comm->GetLayerDefn();
    std::vector<std::string> bands;  // "300" ... from <function>_<t>m_people_share
    const std::string first = std::string(service_functions()[0].id) + "_";
    for (int i = 0; i < defn->GetFieldCount(); ++i) {
      const std::string n = defn->GetFieldDefn(i)->GetNameRef();
      const std::string tail = "m_people_share";
      if (n.rfind(first, 0) == 0 && n.size() > first.size() + tail.size() && n.compare(n.size() - tail.size(), tail.size(), tail) == 0)
        bands.push_back(n.substr(first.size(), n.size() - first.size() - tail.size()));
    }
    struct Sum {
      double people = 0, fca = 0, shortfall = 0, supply = 0;
      std::vector<double> within;
      bool target = false;
    };
    std::vector<Sum> sums(kFunctionCount);
    for (auto& x : sums) x.within.assign(bands.size(), 0);
    struct Fields {
      int people, fca, shortfall;
      std::vector<int> share;
    };
    std::vector<Fields> at(kFunctionCount);
    for (int k = 0; k < kFunctionCount; ++k) {
      const std::string id = service_functions()[k].id;
      at[k] = {defn->GetFieldIndex((id + "_people").c_str()), defn->GetFieldIndex((id + "_2sfca").c_str()),
               defn->GetFieldIndex((id + "_shortfall").c_str()), {}};
      for (auto& b : bands) at[k].share.push_back(defn->GetFieldIndex((id + "_" + b + "m_people_share").c_str()));
    }
    read_only(*comm, access_field, false);
    comm->ResetReading();
    for (auto& f : *comm)
      for (int k = 0; k < kFunctionCount; ++k) {
        const double people = value(*f, at[k].people);
        if (!(people > 0)) continue;
        Sum& x = sums[k];
        x.people += people;
        for (std::size_t b = 0; b < bands.size(); ++b) {
          const double share = value(*f, at[k].share[b]);
          if (std::isfinite(share)) x.within[b] += people * share;
        }
        const double fca = value(*f, at[k].fca);
        if (std::isfinite(fca)) x.fca += people * fca;
        const double shortfall = value(*f, at[k].shortfall);
        if (std::isfinite(shortfall)) x.shortfall += shortfall, x.target = true;
      }
    read_only(*comm, [](const std::string& n) { return !access_field(n); });
    if (facilities) facilities->ResetReading();
    if (facilities)
      for (auto& f : *facilities)
        for (int k = 0; k < kFunctionCount; ++k) {
          const double s = value(*f, (std::string(service_functions()[k].id) + "_supply").c_str());
          if (std::isfinite(s)) sums[k].supply += s;
        }
    h << "<h2>" << p.t("服务对象与可达性", "Who each service is for, and how much of it they reach") << "</h2>\n<p>"
      << p.t("每项服务按其服务对象计算：步行范围内的服务对象比例，以及两步移动搜寻法（2SFCA，搜寻半径" +
                 fixed(in.access_distance, 0) + "米）下每百名服务对象可达的供给。",
             "Each service counted for the people it is for: the share of them within walking distance, and the "
             "supply per 100 of them by the two-step floating catchment method (2SFCA, within " +
                 fixed(in.access_distance, 0) + " m).")
      << "</p>\n<table class=\"access\"><tr><th>" << p.t("服务功能", "function") << "</th><th>" << p.t("服务对象", "serves")
      << "</th><th>" << p.t("人数", "people") << "</th><th>" << p.t("供给", "supply") << "</th>";
    for (auto& b : bands) h << "<th>" << html(b) << " m</th>";
    h << "<th>" << p.t("每百名服务对象供给(2SFCA)", "supply per 100 (2SFCA)") << "</th><th>"
      << p.t("供给缺口", "shortfall") << "</th></tr>";
    for (int k = 0; k < kFunctionCount; ++k) {
      const auto& fn = service_functions()[k];
      const auto& a = in.access[k];
      const Sum& x = sums[k];
      h << "<tr data-id=\"" << fn.id << "\"><td>" << html(p.t(fn.label, fn.id)) << "</td><td>"
        << html(p.t(a.group_zh, a.group_en)) << (a.estimated ? " *" : "") << "</td><td class=\"n\">" << num(x.people, 0)
        << "</td><td class=\"n\">" << num(x.supply, 0) << " " << html(a.unit) << "</td>";
      for (std::size_t b = 0; b < bands.size(); ++b)
        h << "<td class=\"n\">" << (x.people > 0 ? num(100 * x.within[b] / x.people, 1) + " %" : "") << "</td>";
      h << "<td class=\"n\">" << (x.people > 0 ? num(x.fca / x.people, 2) : "") << "</td><td class=\"n\">"
        << (x.target ? num(x.shortfall, 1) + " " + html(a.unit) : "") << "</td></tr>";
    }
    h << "</table>\n";
    if (!in.census_note.first.empty())
      h << "<p class=\"note\">* " << html(p.t(in.census_note.first, in.census_note.second)) << "</p>\n";
  }

  // Walking distance to the nearest facility.
  if (OGRLayer* net = layer("catchments_network_nearest")) {
    std::vector<double> bands;
    net->ResetReading();
    for (auto& f : *net) {
      const double b = value(*f, "band_m");
      if (std::isfinite(b) && std::find(bands.begin(), bands.end(), b) == bands.end()) bands.push_back(b);
    }
    std::sort(bands.begin(), bands.end());
    auto band_color = [&](double b) {
      std::size_t k = 0;
      while (k < bands.size() && bands[k] != b) ++k;
      return css(detail::ramp_color(bands.size() > 1 ? double(k) / (bands.size() - 1) : 0));
    };
    std::vector<LegendItem> legend;
    for (double b : bands) legend.push_back({band_color(b), p.t("步行" + fixed(b, 0) + "米内", "within " + fixed(b, 0) + " m")});
    legend.push_back({"#999", p.t("不可达", "unreachable")});
    h << "<h2>" << p.t("到最近设施的步行距离", "Walking distance to the nearest facility") << "</h2>\n"
      << p.map(p.t("路网按到最近设施的步行距离着色", "The network by walking distance to its nearest facility"),
               {{net, [&](const OGRFeature& f) {
                   Look k;
                   const double b = value(f, "band_m");
                   k.stroke = std::isfinite(b) ? band_color(b) : "#999";
                   k.dashed = !std::isfinite(b);
                   k.width = 1.6;
                   return k;
                 }},
                {layer("catchments_facilities"), facility_look}},
               legend, osm);
  }

  // Rule check of the existing facilities.
  if (OGRLayer* checked = layer("check_checked")) {
    std::map<std::string, std::string> failing;  // fac_id -> "rule: result; ..."
    struct RuleCount {
      std::string source;
      std::map<std::string, int> results;  // result -> facilities
    };
    std::vector<std::pair<std::string, RuleCount>> rules;  // in the order of the table
    if (!in.check_rules_csv.empty()) {
      std::ifstream csv(in.check_rules_csv);
      std::string line;
      std::getline(csv, line);  // header
      while (std::getline(csv, line)) {
        const std::vector<std::string> cells = csv_cells(line);
        if (cells.size() < 9) continue;
        auto rule = std::find_if(rules.begin(), rules.end(), [&](auto& r) { return r.first == cells[2]; });
        if (rule == rules.end()) rule = rules.insert(rules.end(), {cells[2], {cells[8], {}}});
        ++rule->second.results[cells[3]];
        if (cells[3] == "fail" || cells[3] == "missing")
          failing[cells[0]] += (failing[cells[0]].empty() ? "" : "; ") + cells[2] + ": " + cells[3];
      }
    }
    const std::map<std::string, std::string> colors = {{"pass", "rgb(26,150,65)"}, {"warning", "rgb(253,174,97)"},
                                                       {"fail", "rgb(215,25,28)"}, {"incomplete", "rgb(150,150,150)"}};
    h << "<h2>" << p.t("设施规则检查", "Rule check of the facilities") << "</h2>\n"
      << p.map(p.t("设施按总体判定着色", "Facilities by their overall result"),
               {{checked, [&](const OGRFeature& f) {
                   Look k;
                   auto it = colors.find(field(f, "summary"));
                   k.fill = it == colors.end() ? "#777" : it->second;
                   k.stroke = "#222", k.radius = 4, k.width = 0.6;
                   return k;
                 }}},
               {{colors.at("pass"), p.t("合格", "pass")}, {colors.at("warning"), p.t("有建议条款未满足", "warning")},
                {colors.at("fail"), p.t("不合格", "fail")}, {colors.at("incomplete"), p.t("数据不全", "incomplete")}},
               osm)
;
    // Each rule once, with its article and how many facilities pass, fail or lack the data.
    h << "<table class=\"rules\"><tr><th>" << p.t("条款", "rule") << "</th><th>" << p.t("依据", "article") << "</th>";
    const char* results[][3] = {{"pass", "通过", "pass"}, {"fail", "未通过", "fail"}, {"missing", "缺数据", "missing"},
                                {"n/a", "不适用", "n/a"}};
    for (auto& r : results) h << "<th>" << p.t(r[1], r[2]) << "</th>";
    h << "</tr>";
    for (auto& [rule, count] : rules) {
      h << "<tr><td>" << html(rule) << "</td><td>" << html(count.source) << "</td>";
      for (auto& r : results) {
        auto it = count.results.find(r[0]);
        h << "<td class=\"n\">" << (it == count.results.end() ? 0 : it->second) << "</td>";
      }
      h << "</tr>";
    }
    h << "</table>\n"
      << "<table class=\"checked\"><tr><th>" << p.t("设施编号", "id") << "</th><th>" << p.t("名称", "name") << "</th><th>"
      << p.t("总体判定", "summary") << "</th><th>" << p.t("未通过或缺数据的条款", "rules failed or missing")
      << "</th></tr>";
    std::vector<std::pair<double, std::string>> rows;  // (failing first: minus the order of the summary, row)
    const std::map<std::string, int> order = {{"fail", 0}, {"incomplete", 1}, {"warning", 2}, {"pass", 3}};
    checked->ResetReading();
    for (auto& f : *checked) {
      const std::string id = field(*f, "fac_id"), summary = field(*f, "summary");
      rows.push_back({order.count(summary) ? -order.at(summary) : -1,
                      "<tr data-id=\"" + html(id) + "\"><td>" + html(id) + "</td><td>" + html(field(*f, "name")) +
                          "</td><td>" + html(summary) + "</td><td>" + html(failing[id]) + "</td></tr>"});
    }
    const std::size_t all = put_rows(h, std::move(rows));
    if (all > kMaxRows)
      h << "<p class=\"note\">"
        << p.t("先列不合格与数据不全的设施，共" + std::to_string(kMaxRows) + "个（共" + std::to_string(all) +
                   "个）；全部结果见 tables/check_rules.csv。",
               std::to_string(kMaxRows) + " of " + std::to_string(all) +
                   " facilities, failing and incomplete first; all results are in tables/check_rules.csv.")
        << "</p>\n";
  }

  // Operators: the facilities each runs, the functions across them, households reached and rules.
  if (OGRLayer* ops = layer("check_operators")) {
    const double outer = in.distances.empty() ? 0 : in.distances.back();
    h << "<h2>" << p.t("运营商", "Operators") << "</h2>\n<table class=\"operators\"><tr><th>"
      << p.t("运营商编号", "operator") << "</th><th>" << p.t("名称", "name") << "</th><th>" << p.t("设施数", "facilities")
      << "</th><th>" << p.t("服务功能", "functions") << "</th><th>" << p.t("运营模式", "model") << "</th><th>"
      << p.t("等级或评级", "grade") << "</th><th>"
      << (outer > 0 ? p.t(fixed(outer, 0) + "米内户数", "households within " + fixed(outer, 0) + " m") + "</th><th>" : "")
      << p.t("总体判定", "summary") << "</th><th>" << p.t("未通过或缺数据的条款", "rules failed or missing")
      << "</th></tr>";
    std::map<std::string, std::string> failing;  // operator -> "rule: result; ..."
    if (!in.check_rules_csv.empty()) {
      std::string csv = in.check_rules_csv;
      csv.replace(csv.size() - std::string("_rules.csv").size(), std::string::npos, "_operators.csv");
      std::ifstream f(csv);
      std::string line;
      std::getline(f, line);
      while (std::getline(f, line)) {
        const std::vector<std::string> cells = csv_cells(line);
        if (cells.size() >= 10 && (cells[9] == "fail" || cells[9] == "missing"))
          failing[cells[0]] += (failing[cells[0]].empty() ? "" : "; ") + cells[8] + ": " + cells[9];
      }
    }
    const std::map<std::string, int> order = {{"fail", 0}, {"incomplete", 1}, {"warning", 2}, {"pass", 3}};
    std::vector<std::pair<double, std::string>> rows;
    ops->ResetReading();
    for (auto& f : *ops) {
      const std::string id = field(*f, "operator_id"), summary = field(*f, "summary");
      std::string reached;
      std::vector<std::string> unknown;
      const FunctionSet fns = parse_functions(field(*f, "functions"), unknown);
      for (int k = 0; k < kFunctionCount && outer > 0; ++k)
        if (fns & (1u << k)) {
          const double v = value(*f, (std::string(service_functions()[k].id) + "_" + short_number(outer) + "m_hh").c_str());
          reached += (reached.empty() ? "" : "; ") + std::string(service_functions()[k].id) + " " + num(v, 0);
        }
      rows.push_back({order.count(summary) ? -order.at(summary) : -1,
                      "<tr data-id=\"" + html(id) + "\"><td>" + html(id) + "</td><td>" + html(field(*f, "name")) +
                          "</td><td class=\"n\">" + field(*f, "facilities") + "</td><td>" + html(field(*f, "functions")) +
                          "</td><td>" + html(field(*f, "models")) + "</td><td>" + html(field(*f, "grades")) + "</td>" +
                          (outer > 0 ? "<td>" + html(reached) + "</td>" : "") + "<td>" + html(summary) + "</td><td>" +
                          html(failing[id]) + "</td></tr>"});
    }
    const std::size_t all = put_rows(h, std::move(rows));
    if (all > kMaxRows)
      h << "<p class=\"note\">"
        << p.t("先列不合格的运营商，共" + std::to_string(kMaxRows) + "个（共" + std::to_string(all) + "个）；全部结果见 tables/check_operators.csv。",
               std::to_string(kMaxRows) + " of " + std::to_string(all) +
                   " operators, failing first; all are in tables/check_operators.csv.")
        << "</p>\n";
  }

  // The chosen sites of each goal.
  for (const std::string& tag : in.sited) {
    OGRLayer* chosen = layer("sites_" + tag + "_chosen");
    if (!chosen) continue;
    h << "<h2>" << p.t("选址", "Sites chosen") << ": " << html(tag) << "</h2>\n"
      << p.map(p.t("选址后社区覆盖比例与选中地点", "Communities by share served after, and the chosen sites"),
               {{layer("sites_" + tag + "_communities"), [](const OGRFeature& f) {
                   Look k;
                   const double s = value(f, "share_after");
                   k.fill = css(detail::ramp_color(std::isfinite(s) ? 1 - s : 1, 150));
                   k.stroke = "#555";
                   return k;
                 }},
                {chosen, [](const OGRFeature& f) {
                   Look k;
                   k.fill = "rgb(215,25,28)", k.stroke = "#fff", k.radius = 6, k.width = 1;
                   k.label = field(f, "order");
                   return k;
                 }}},
               {{css(detail::ramp_color(1, 150)), p.t("覆盖比例低", "little served")},
                {css(detail::ramp_color(0, 150)), p.t("覆盖比例高", "well served")},
                {"rgb(215,25,28)", p.t("选中地点(序号)", "chosen site (order)")}},
               osm)
      << "<table class=\"chosen\"><tr><th>" << p.t("顺序", "order") << "</th><th>" << p.t("候选点编号", "id") << "</th><th>"
      << p.t("名称", "name") << "</th><th>" << p.t("新增覆盖户数", "households added") << "</th><th>"
      << p.t("该功能最低建筑面积(平方米)", "function's minimum area (m²)") << "</th><th>"
      << p.t("服务户数对应的设施总面积标准(平方米)", "all-services standard for them (m²)") << "</th></tr>";
    chosen->ResetReading();
    for (auto& f : *chosen)
      h << "<tr><td class=\"n\">" << html(field(*f, "order")) << "</td><td>" << html(field(*f, "cand_id")) << "</td><td>"
        << html(field(*f, "name")) << "</td><td class=\"n\">" << num(value(*f, "hh_added"), 0) << "</td><td class=\"n\">"
        << num(value(*f, "function_area_m2"), 0) << "</td><td class=\"n\">" << num(value(*f, "all_services_area_m2"), 0)
        << "</td></tr>";
    h << "</table>\n";
  }

  // Method and inputs.
  h << "<h2>" << p.t("方法与数据", "Method and inputs") << "</h2>";
  if (!in.profile_title.empty())
    h << "<p>" << p.t("规则依据", "Rules from") << ": " << html(in.profile_title) << " (" << html(in.profile) << ")</p>";
  h << "<ul>";
  for (auto& f : in.inputs) h << "<li>" << html(f) << "</li>";
  h << "</ul>";
  if (!in.figures.empty()) {
    h << "<table class=\"inputs\"><tr><th>" << p.t("项目", "item") << "</th><th>" << p.t("数量", "count") << "</th></tr>";
    for (auto& f : in.figures) h << "<tr><td>" << html(p.t(f.zh, f.en)) << "</td><td class=\"n\">" << html(f.value) << "</td></tr>";
    h << "</table>";
  }
  h << "<p>" << p.t("步行网络、覆盖、规则与选址的方法见 walkshed docs/method.md；规则条文与来源见 docs/rules.md。",
                         "The methods are in walkshed's docs/method.md; the rules and their sources in docs/rules.md.")
    << (osm ? " © OpenStreetMap contributors (ODbL)." : "") << "</p>\n</body></html>\n";

  return write_text_output(output.path, h.str(), output);
}

}  // namespace walkshed
