// The study's QGIS project (.qgs, QGIS 3.22 and later). Each layer carries the style stored with it in
// study.gpkg (so the project and the GeoPackage look the same); the print layouts show one theme each.
#include "walkshed/io/project.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <sstream>

#include "io/gdal/gdal_util.hpp"
#include "io/gdal/qml.hpp"
#include "walkshed/core/error.hpp"
#include "walkshed/core/functions.hpp"
#include "walkshed/core/text.hpp"
#include "walkshed/io/output.hpp"

namespace fs = std::filesystem;

namespace walkshed {

namespace {

using detail::xml_text;

struct Layer {
  std::string table, id, title, source, geometry, wkb, srs;  // srs: a <spatialrefsys> element
  std::string legend_title;                                    // the title on two lines, in both languages
  std::string style;                                           // the QML's elements, for the <maplayer>
  bool labels = false, visible = false;
  OGREnvelope extent;
  bool has_extent = false;
};

struct Group {
  std::string title;
  std::vector<const Layer*> layers;
  bool expanded = false;
};

std::string spatialrefsys(const OGRSpatialReference* srs) {
  if (!srs) return "<spatialrefsys/>";
  char* wkt = nullptr;
  const char* options[] = {"FORMAT=WKT2_2019", nullptr};
  srs->exportToWkt(&wkt, options);
  std::string out = "<spatialrefsys><wkt>" + xml_text(wkt ? wkt : "") + "</wkt>";
  CPLFree(wkt);
  if (srs->GetAuthorityName(nullptr) && srs->GetAuthorityCode(nullptr))
    out += "<authid>" + xml_text(std::string(srs->GetAuthorityName(nullptr)) + ":" + srs->GetAuthorityCode(nullptr)) +
           "</authid>";
  if (srs->GetName()) out += "<description>" + xml_text(srs->GetName()) + "</description>";
  return out + "</spatialrefsys>";
}

// The <qgis> element's content of a stored QML style, and whether it turns labels on.
std::string style_body(const std::string& qml, bool& labels) {
  const auto open = qml.find("<qgis");
  const auto open_end = open == std::string::npos ? open : qml.find('>', open);
  const auto close = qml.rfind("</qgis>");
  if (open_end == std::string::npos || close == std::string::npos || close < open_end) return "";
  labels = qml.substr(open, open_end - open).find("labelsEnabled=\"1\"") != std::string::npos;
  return qml.substr(open_end + 1, close - open_end - 1);
}

// The function of a siting tag (elderly_care, elderly_care_2 for a second goal), in Chinese.
std::string function_label(std::string tag) {
  for (int i = 0; i < 2; ++i) {
    const int f = function_index(tag);
    if (f >= 0) return service_functions()[f].label;
    const auto cut = tag.rfind('_');
    if (cut == std::string::npos) break;
    tag = tag.substr(0, cut);
  }
  return tag;
}

class Project {
 public:
  explicit Project(const std::string& lang) : lang_(lang) {}
  std::string t(const std::string& zh, const std::string& en) const { return detail::in_language(lang_, zh, en); }

  // The layer's name in the layer panel and legends, from its table name.
  std::string title(const std::string& table, const std::vector<std::string>& sited) const {
    static const std::vector<std::array<const char*, 3>> names = {
        {"catchments_facilities", "设施", "Facilities"},
        {"catchments_not_routable", "无法接入路网的设施", "Facilities not on the network"},
        {"catchments_snap_lines", "接入线", "Snap lines"},
        {"catchments_catchment_lines", "步行范围路段", "Catchment network"},
        {"catchments_catchment_polygons", "步行范围", "Catchment areas"},
        {"catchments_network_nearest", "最近设施步行距离", "Walking distance to the nearest facility"},
        {"coverage_communities", "社区每百户服务面积", "Communities: floor area per 100 households"},
        {"coverage_demand_points", "需求点", "Demand points"},
        {"coverage_facilities", "设施（功能）", "Facilities (functions)"},
        {"check_checked", "规则检查", "Rule check"},
        {"check_operators", "运营商", "Operators"},
    };
    for (auto& n : names)
      if (table == n[0]) return t(n[1], n[2]);
    for (const std::string& tag : sited) {
      const std::string f = function_label(tag);
      if (table == "sites_" + tag + "_chosen") return t(f + "选定位置", "Chosen sites: " + tag);
      if (table == "sites_" + tag + "_candidates") return t(f + "候选位置", "Candidates: " + tag);
      if (table == "sites_" + tag + "_communities") return t(f + "选址前后社区", "Communities before/after: " + tag);
    }
    return table;
  }

 private:
  std::string lang_;
};

std::string maplayer(const Layer& l) {
  std::ostringstream x;
  x << "<maplayer type=\"vector\" geometry=\"" << l.geometry << "\" wkbType=\"" << l.wkb << "\" labelsEnabled=\""
    << (l.labels ? 1 : 0) << "\" hasScaleBasedVisibilityFlag=\"0\" minScale=\"0\" maxScale=\"0\" readOnly=\"0\">";
  if (l.has_extent)
    x << "<extent><xmin>" << fixed(l.extent.MinX, 3) << "</xmin><ymin>" << fixed(l.extent.MinY, 3) << "</ymin><xmax>"
      << fixed(l.extent.MaxX, 3) << "</xmax><ymax>" << fixed(l.extent.MaxY, 3) << "</ymax></extent>";
  x << "<id>" << xml_text(l.id) << "</id><datasource>" << xml_text(l.source) << "</datasource><layername>"
    << xml_text(l.title) << "</layername><srs>" << l.srs << "</srs><provider encoding=\"UTF-8\">ogr</provider>"
    << l.style << "</maplayer>\n";
  return x.str();
}

// A layer in a layer tree; `legend_title`, when given, is its title in a layout's legend.
std::string tree_layer(const Layer& l, bool checked, const std::string& legend_title = "") {
  std::string x = "<layer-tree-layer id=\"" + xml_text(l.id) + "\" name=\"" + xml_text(l.title) + "\" source=\"" +
                  xml_text(l.source) + "\" providerKey=\"ogr\" checked=\"" +
                  (checked ? "Qt::Checked" : "Qt::Unchecked") + "\" expanded=\"1\">";
  if (!legend_title.empty())
    x += "<customproperties><Option type=\"Map\"><Option name=\"legend/title-label\" type=\"QString\" value=\"" +
         xml_text(legend_title) + "\"/></Option></customproperties>";
  return x + "</layer-tree-layer>";
}

// One print layout: A4 landscape, the map at the left, legend, scale bar and north arrow at the right.
struct Sheet {
  std::string name, title;
  std::vector<const Layer*> layers;  // top first
};

std::string layout(const Sheet& sheet, int n, const OGREnvelope& area, const std::string& credit) {
  const double map_x = 10, map_y = 22, map_w = 195, map_h = 178;
  // The extent, padded by 5 % and widened to the frame's shape.
  double cx = (area.MinX + area.MaxX) / 2, cy = (area.MinY + area.MaxY) / 2;
  double w = std::max(area.MaxX - area.MinX, 1.0) * 1.1, h = std::max(area.MaxY - area.MinY, 1.0) * 1.1;
  if (w / h > map_w / map_h) h = w * map_h / map_w;
  else w = h * map_w / map_h;
  const double metres_per_mm = w / map_w;
  const double segment = round_down_125(20 * metres_per_mm);  // two segments of at most 20 mm
  auto uuid = [&](int item) {
    char s[64];
    std::snprintf(s, sizeof s, "{7a1c0000-0000-4000-8000-%06d%06d}", n, item);
    return std::string(s);
  };
  auto at = [](double x, double y, double w_mm, double h_mm) {
    return "position=\"" + fixed(x, 1) + "," + fixed(y, 1) + ",mm\" positionOnPage=\"" + fixed(x, 1) + "," +
           fixed(y, 1) + ",mm\" size=\"" + fixed(w_mm, 1) + "," + fixed(h_mm, 1) + ",mm\"";
  };
  auto font = [](double points, bool bold) {
    return "\"Noto Sans CJK SC," + fixed(points, 0) + ",-1,5," + (bold ? "75" : "50") + ",0,0,0,0,0\"";
  };
  std::ostringstream x;
  x << "<Layout name=\"" << xml_text(sheet.name) << "\" units=\"mm\" printResolution=\"300\">"
    << "<PageCollection><LayoutItem type=\"65638\" " << at(0, 0, 297, 210) << " uuid=\"" << uuid(0)
    << "\" background=\"true\" frame=\"false\" zValue=\"0\" visibility=\"1\"/></PageCollection>";
  x << "<LayoutItem type=\"65639\" " << at(map_x, map_y, map_w, map_h) << " uuid=\"" << uuid(1)
    << "\" frame=\"true\" background=\"true\" keepLayerSet=\"true\" followPreset=\"false\" drawCanvasItems=\"true\" "
       "mapRotation=\"0\" zValue=\"1\" visibility=\"1\"><FrameColor red=\"80\" green=\"80\" blue=\"80\" alpha=\"255\"/>"
    << "<Extent xmin=\"" << fixed(cx - w / 2, 3) << "\" ymin=\"" << fixed(cy - h / 2, 3) << "\" xmax=\""
    << fixed(cx + w / 2, 3) << "\" ymax=\"" << fixed(cy + h / 2, 3) << "\"/><LayerSet>";
  for (const Layer* l : sheet.layers)
    x << "<Layer source=\"" << xml_text(l->source) << "\" provider=\"ogr\" name=\"" << xml_text(l->title) << "\">"
      << xml_text(l->id) << "</Layer>";
  x << "</LayerSet></LayoutItem>";
  x << "<LayoutItem type=\"65641\" " << at(10, 6, 277, 12) << " uuid=\"" << uuid(2) << "\" labelText=\""
    << xml_text(sheet.title) << "\" halign=\"1\" valign=\"128\" marginX=\"0\" marginY=\"0\" htmlState=\"0\" "
       "frame=\"false\" background=\"false\" zValue=\"2\" visibility=\"1\"><LabelFont description="
    << font(16, true) << " style=\"\"/><FontColor red=\"0\" green=\"0\" blue=\"0\" alpha=\"255\"/></LayoutItem>";
  x << "<LayoutItem type=\"65642\" " << at(210, map_y, 80, 140) << " uuid=\"" << uuid(3) << "\" map_uuid=\"" << uuid(1)
    << "\" title=\"" << xml_text("图例 Legend") << "\" resizeToContents=\"1\" columnCount=\"1\" symbolWidth=\"7\" "
       "symbolHeight=\"4\" boxSpace=\"2\" legendFilterByMap=\"0\" frame=\"false\" background=\"true\" zValue=\"3\" "
       "visibility=\"1\" wrapChar=\"\"><styles>"
    << "<style name=\"title\" marginBottom=\"3\"><styleFont description=" << font(12, true) << " style=\"\"/></style>"
    << "<style name=\"group\" marginTop=\"2\"><styleFont description=" << font(9, true) << " style=\"\"/></style>"
    << "<style name=\"subgroup\" marginTop=\"2\"><styleFont description=" << font(8, false) << " style=\"\"/></style>"
    << "<style name=\"symbol\" marginTop=\"1.5\"><styleFont description=" << font(8, false) << " style=\"\"/></style>"
    << "<style name=\"symbolLabel\" marginTop=\"1\" marginLeft=\"2\"><styleFont description=" << font(8, false)
    << " style=\"\"/></style></styles><layer-tree-group>";
  for (const Layer* l : sheet.layers) x << tree_layer(*l, true, l->legend_title);
  x << "</layer-tree-group></LayoutItem>";
  x << "<LayoutItem type=\"65646\" " << at(210, 180, 60, 10) << " uuid=\"" << uuid(4) << "\" mapUuid=\"" << uuid(1)
    << "\" style=\"Single Box\" unitType=\"meters\" unitLabel=\"m\" numMapUnitsPerScaleBarUnit=\"1\" numSegments=\"2\" "
       "numSegmentsLeft=\"0\" numUnitsPerSegment=\""
    << short_number(segment) << "\" segmentSizeMode=\"0\" height=\"3\" labelBarSpace=\"2\" boxContentSpace=\"1\" "
       "alignment=\"0\" frame=\"false\" background=\"false\" zValue=\"4\" visibility=\"1\"/>";
  x << "<LayoutItem type=\"65640\" " << at(272, 176, 14, 14) << " uuid=\"" << uuid(5) << "\" mapUuid=\"" << uuid(1)
    << "\" file=\":/images/north_arrows/layout_default_north_arrow.svg\" mode=\"0\" resizeMode=\"0\" northMode=\"0\" "
       "northOffset=\"0\" anchorPoint=\"0\" frame=\"false\" background=\"false\" zValue=\"5\" visibility=\"1\"/>";
  x << "<LayoutItem type=\"65641\" " << at(10, 201, 195, 6) << " uuid=\"" << uuid(6) << "\" labelText=\""
    << xml_text(credit) << "\" halign=\"1\" valign=\"32\" marginX=\"0\" marginY=\"0\" htmlState=\"0\" frame=\"false\" "
       "background=\"false\" zValue=\"6\" visibility=\"1\"><LabelFont description="
    << font(7, false) << " style=\"\"/><FontColor red=\"90\" green=\"90\" blue=\"90\" alpha=\"255\"/></LayoutItem>";
  x << "</Layout>\n";
  return x.str();
}

}  // namespace

std::vector<std::string> write_study_project(const ReportInput& in, const OutputOptions& output) {
  auto ds = detail::open_vector(in.study_gpkg, "study layers");
  const Project p(in.lang);
  const auto styles = detail::default_styles(*ds);
  const fs::path folder = fs::path(output.path).parent_path();
  std::error_code ec;
  fs::path rel = fs::relative(in.study_gpkg, folder.empty() ? fs::path(".") : folder, ec);
  if (ec || rel.empty()) rel = fs::absolute(in.study_gpkg);
  else if (rel.is_relative()) rel = fs::path(".") / rel;

  std::vector<Layer> layers;
  layers.reserve(ds->GetLayerCount());
  std::string project_srs;
  OGREnvelope area;
  bool has_area = false;
  for (int i = 0; i < ds->GetLayerCount(); ++i) {
    OGRLayer* src = ds->GetLayer(i);
    const OGRwkbGeometryType type = wkbFlatten(src->GetGeomType());
    if (type == wkbNone || type == wkbUnknown) continue;  // layer_styles, tables
    Layer l;
    l.table = src->GetName();
    l.id = "walkshed_" + l.table;
    l.title = p.title(l.table, in.sited);
    if (in.lang == "both") l.legend_title = Project("zh").title(l.table, in.sited) + "\n" + Project("en").title(l.table, in.sited);
    l.source = rel.generic_string() + "|layername=" + l.table;
    const bool multi = type == wkbMultiPoint || type == wkbMultiLineString || type == wkbMultiPolygon;
    const OGRwkbGeometryType single = type == wkbMultiPoint        ? wkbPoint
                                      : type == wkbMultiLineString ? wkbLineString
                                      : type == wkbMultiPolygon    ? wkbPolygon
                                                                   : type;
    l.geometry = single == wkbPoint ? "Point" : single == wkbLineString ? "Line" : "Polygon";
    l.wkb = std::string(multi ? "Multi" : "") + (single == wkbPoint ? "Point" : single == wkbLineString ? "LineString" : "Polygon");
    l.srs = spatialrefsys(src->GetSpatialRef());
    if (project_srs.empty()) project_srs = l.srs;
    if (auto it = styles.find(l.table); it != styles.end()) l.style = style_body(it->second, l.labels);
    l.has_extent = src->GetFeatureCount() > 0 && src->GetExtent(&l.extent, TRUE) == OGRERR_NONE;
    // The study area: the communities, or else everything.
    if (l.has_extent && l.table == "coverage_communities") area = l.extent, has_area = true;
    layers.push_back(l);
  }
  if (!has_area)
    for (auto& l : layers)
      if (l.has_extent) {
        if (has_area) area.Merge(l.extent);
        else area = l.extent, has_area = true;
      }
  auto find = [&](const std::string& table) -> const Layer* {
    for (auto& l : layers)
      if (l.table == table) return &l;
    return nullptr;
  };

  // The layer panel, top first: siting, rule check, coverage, catchments; the rest below.
  std::vector<Group> groups;
  std::vector<Sheet> sheets, site_sheets;
  auto add = [](std::vector<const Layer*>& to, const Layer* l) {
    if (l) to.push_back(l);
  };
  for (const std::string& tag : in.sited) {
    Group g{p.t("选址 " + function_label(tag), "Siting: " + tag), {}, false};
    for (const char* part : {"_chosen", "_candidates", "_communities"}) add(g.layers, find("sites_" + tag + part));
    if (g.layers.empty()) continue;
    if (groups.empty()) g.expanded = true;
    groups.push_back(g);
    site_sheets.push_back({"选址 " + tag, p.t(function_label(tag) + "选址结果", "Chosen sites: " + tag), g.layers});
  }
  Group check{p.t("规则检查", "Rule check"), {}, false};
  add(check.layers, find("check_operators"));
  add(check.layers, find("check_checked"));
  Group coverage{p.t("覆盖", "Coverage"), {}, true};
  for (const char* t : {"coverage_facilities", "coverage_demand_points", "coverage_communities"}) add(coverage.layers, find(t));
  Group catchments{p.t("步行范围", "Catchments"), {}, false};
  for (const char* t : {"catchments_facilities", "catchments_not_routable", "catchments_snap_lines",
                        "catchments_network_nearest", "catchments_catchment_lines", "catchments_catchment_polygons"})
    add(catchments.layers, find(t));
  for (Group* g : {&check, &coverage, &catchments})
    if (!g->layers.empty()) groups.push_back(*g);
  Group other{p.t("其他", "Other"), {}, false};
  for (auto& l : layers) {
    bool grouped = false;
    for (auto& g : groups) grouped = grouped || std::find(g.layers.begin(), g.layers.end(), &l) != g.layers.end();
    if (!grouped) other.layers.push_back(&l);
  }
  if (!other.layers.empty()) groups.push_back(other);

  // The layouts, in the order of the report's maps.
  auto sheet = [&](const std::string& name, const std::string& title, std::initializer_list<const char*> tables) {
    Sheet s{name, title, {}};
    for (const char* t : tables) add(s.layers, find(t));
    if (!s.layers.empty()) sheets.push_back(s);
  };
  sheet("每百户服务面积", p.t("社区每百户服务面积", "Floor area per 100 households"),
        {"coverage_facilities", "coverage_communities"});
  sheet("最近设施步行距离", p.t("到最近设施的步行距离", "Walking distance to the nearest facility"),
        {"catchments_facilities", "catchments_network_nearest", "coverage_communities"});
  sheet("步行范围", p.t("设施步行范围", "Catchment areas"), {"catchments_facilities", "catchments_catchment_polygons"});
  sheet("规则检查", p.t("现有设施规则检查", "Rule check of the existing facilities"), {"check_checked", "coverage_communities"});
  for (auto& s : site_sheets) sheets.push_back(s);

  // The visible layers: the first of each group (its main layer), and every chosen-sites layer.
  auto visible = [&](const Group& g, const Layer* l) {
    return l == g.layers.front() || l->table.find("_chosen") != std::string::npos ||
           l->table == "coverage_communities";
  };
  std::ostringstream x;
  x << "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n<qgis version=\"3.22.0\" projectname=\""
    << xml_text(in.title) << "\">\n<title>" << xml_text(in.title) << "</title>\n<projectCrs>" << project_srs
    << "</projectCrs>\n<layer-tree-group>";
  for (auto& g : groups) {
    x << "<layer-tree-group name=\"" << xml_text(g.title) << "\" checked=\"Qt::Checked\" expanded=\""
      << (g.expanded ? 1 : 0) << "\">";
    for (const Layer* l : g.layers) x << tree_layer(*l, visible(g, l));
    x << "</layer-tree-group>";
  }
  x << "<custom-order enabled=\"0\"/></layer-tree-group>\n";
  if (has_area) {
    x << "<mapcanvas name=\"theMapCanvas\"><units>meters</units><extent><xmin>" << fixed(area.MinX, 3)
      << "</xmin><ymin>" << fixed(area.MinY, 3) << "</ymin><xmax>" << fixed(area.MaxX, 3) << "</xmax><ymax>"
      << fixed(area.MaxY, 3) << "</ymax></extent><rotation>0</rotation><destinationsrs>" << project_srs
      << "</destinationsrs></mapcanvas>\n";
  }
  x << "<projectlayers>\n";
  for (auto& l : layers) x << maplayer(l);
  x << "</projectlayers>\n<properties><Paths><Absolute type=\"bool\">false</Absolute></Paths></properties>\n";
  const std::string credit = std::string(in.osm ? "© OpenStreetMap contributors (ODbL) · " : "") +
                             p.t("制图", "Made with") + " walkshed";
  x << "<Layouts>\n";
  if (has_area)
    for (std::size_t i = 0; i < sheets.size(); ++i) x << layout(sheets[i], static_cast<int>(i), area, credit);
  x << "</Layouts>\n</qgis>\n";

  return write_text_output(output.path, x.str(), output);
}

}  // namespace walkshed
