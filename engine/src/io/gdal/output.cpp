#include "walkshed/io/output.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include <geos_c.h>
#include <sqlite3.h>

#include "io/gdal/gdal_util.hpp"
#include "io/gdal/qml.hpp"
#include "io/gpkg/gpkg_insert.hpp"
#include "io/gpkg/gpkg_rtree.hpp"
#include "io/gpkg/gpkg_styles.hpp"
#include "walkshed/core/error.hpp"
#include "walkshed/core/temp.hpp"
#include "walkshed/core/written.hpp"

namespace fs = std::filesystem;

namespace walkshed {

namespace {

const char* driver_name(Format f) {
  switch (f) {
    case Format::GeoPackage: return "GPKG";
    case Format::GeoJSON: return "GeoJSON";
    case Format::Shapefile: return "ESRI Shapefile";
  }
  return "";
}

const char* extension(Format f) {
  switch (f) {
    case Format::GeoPackage: return ".gpkg";
    case Format::GeoJSON: return ".geojson";
    case Format::Shapefile: return ".shp";
  }
  return "";
}

}  // namespace

Format output_format(const std::string& path, const std::string& name) {
  const std::string n = ascii_lower(name);
  const std::string ext = ascii_lower(fs::path(path).extension().string());
  auto from_extension = [&](Format& f) {
    if (ext == ".gpkg") f = Format::GeoPackage;
    else if (ext == ".geojson" || ext == ".json") f = Format::GeoJSON;
    else if (ext == ".shp") f = Format::Shapefile;
    else return false;
    return true;
  };
  Format by_ext = Format::GeoPackage;
  const bool known_ext = from_extension(by_ext);
  if (n.empty()) {
    if (!known_ext)
      throw OutputError("output '" + path + "': cannot tell the format from the extension (use .gpkg, .geojson, .shp or `format`)");
    return by_ext;
  }
  Format f;
  if (n == "gpkg" || n == "geopackage") f = Format::GeoPackage;
  else if (n == "geojson" || n == "json") f = Format::GeoJSON;
  else if (n == "esri shapefile" || n == "shapefile" || n == "shp") f = Format::Shapefile;
  else throw OutputError("unknown output format '" + name + "' (use GPKG, GeoJSON or Shapefile)");
  if (known_ext && by_ext != f)
    throw OutputError("output '" + path + "': the extension and the format '" + name + "' disagree");
  if (!known_ext && !ext.empty())
    throw OutputError("output '" + path + "': unknown extension for format '" + name +
                      "' (give a .gpkg/.geojson/.shp name, or a folder name without extension)");
  if (f == Format::GeoPackage && !known_ext)
    throw OutputError("output '" + path + "': a GeoPackage output must end in .gpkg");
  return f;
}

void check_outputs(const std::vector<std::string>& outputs, const std::vector<std::string>& inputs,
                   bool overwrite) {
  std::error_code ec;
  for (std::size_t a = 0; a < outputs.size(); ++a) {
    if (outputs[a].empty()) continue;
    check_not_input(outputs[a], inputs);
    const std::string ext = ascii_lower(fs::path(outputs[a]).extension().string());
    if (ext == ".gpkg" || ext == ".wsg" || ext == ".csv") check_replaceable(outputs[a], overwrite);
    for (std::size_t b = a + 1; b < outputs.size(); ++b)
      if (!outputs[b].empty() && fs::weakly_canonical(outputs[a], ec) == fs::weakly_canonical(outputs[b], ec))
        throw OutputError("two outputs of this run are both '" + outputs[a] + "'; choose different names");
  }
}

namespace detail {

OGRFieldType ogr_type(FieldType type) {
  switch (type) {
    case FieldType::Integer: return OFTInteger;
    case FieldType::Integer64: return OFTInteger64;
    case FieldType::Real: return OFTReal;
    case FieldType::Text: return OFTString;
  }
  return OFTString;
}

void set_field(OGRFeature& f, int i, const FieldValue& v) {
  struct Visit {
    OGRFeature& f;
    int i;
    void operator()(std::monostate) const { f.SetFieldNull(i); }
    void operator()(std::int64_t x) const { f.SetField(i, static_cast<GIntBig>(x)); }
    void operator()(double x) const { f.SetField(i, x); }
    void operator()(const char* x) const { f.SetField(i, x); }
    void operator()(const std::string& x) const { f.SetField(i, x.c_str()); }
  };
  std::visit(Visit{f, i}, v);
}

}  // namespace detail

void check_not_input(const std::string& path, const std::vector<std::string>& inputs) {
  std::error_code ec;
  const auto out = fs::weakly_canonical(path, ec);
  for (auto& in : inputs)
    if (!in.empty() && fs::weakly_canonical(in, ec) == out)
      throw OutputError("output '" + path + "' is also an input; choose another output name");
}

OGRSpatialReference working_srs(const std::string& wkt) {
  OGRSpatialReference srs;
  srs.importFromWkt(wkt.c_str());
  srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  return srs;
}

int LayerWriter::field(const std::string& name) const {
  auto it = index_.find(name);
  if (it == index_.end()) throw std::logic_error("no output field " + name);
  return it->second;
}

std::unique_ptr<OGRFeature> LayerWriter::new_feature() const {
  return std::unique_ptr<OGRFeature>(OGRFeature::CreateFeature(layer_->GetLayerDefn()));
}

namespace {

constexpr double kGeoJsonGrid = 1e-7;  // degrees: the 7 decimals GDAL's RFC 7946 writer keeps

// A polygon rounded to the GeoJSON grid by GEOS's snap-rounding, which keeps it valid (plain
// rounding of the coordinates can make a ring cross itself). Null when GEOS fails.
OGRGeometry* valid_on_grid(const OGRGeometry& g) {
  GEOSContextHandle_t ctx = OGRGeometry::createGEOSContext();
  OGRGeometry* out = nullptr;
  if (GEOSGeometry* in = g.exportToGEOS(ctx)) {
    if (GEOSGeometry* snapped = GEOSGeom_setPrecision_r(ctx, in, kGeoJsonGrid, 0)) {
      out = OGRGeometryFactory::createFromGEOS(ctx, snapped);
      GEOSGeom_destroy_r(ctx, snapped);
    }
    GEOSGeom_destroy_r(ctx, in);
  }
  OGRGeometry::freeGEOSContext(ctx);
  if (out && wkbFlatten(out->getGeometryType()) == wkbPolygon && wkbFlatten(g.getGeometryType()) == wkbMultiPolygon)
    out = OGRGeometryFactory::forceToMultiPolygon(out);  // the layer's type
  return out;
}

}  // namespace

// A GeoPackage row by SQLite: the feature's fields in order, its geometry as GeoPackage binary.
void LayerWriter::insert(OGRFeature& f) {
  const OGRFeatureDefn* defn = f.GetDefnRef();
  for (int i = 0; i < defn->GetFieldCount(); ++i) {
    if (!f.IsFieldSetAndNotNull(i)) {
      insert_->null(i);
      continue;
    }
    switch (defn->GetFieldDefn(i)->GetType()) {
      case OFTInteger:
      case OFTInteger64: insert_->integer(i, f.GetFieldAsInteger64(i)); break;
      case OFTReal: insert_->real(i, f.GetFieldAsDouble(i)); break;
      default: insert_->text(i, f.GetFieldAsString(i));
    }
  }
  insert_geometry(f.GetGeometryRef());
}

void LayerWriter::bind(int i, const FieldValue& v) {
  struct Visit {
    detail::GpkgInsert& in;
    int i;
    void operator()(std::monostate) const { in.null(i); }
    void operator()(std::int64_t x) const { in.integer(i, x); }
    void operator()(double x) const { std::isnan(x) ? in.null(i) : in.real(i, x); }
    void operator()(const char* x) const { x ? in.text(i, x) : in.null(i); }
    void operator()(const std::string& x) const { in.text(i, x.c_str()); }
  };
  std::visit(Visit{*insert_, i}, v);
}

void LayerWriter::insert_geometry(const OGRGeometry* g) {
  OGREnvelope e;
  if (g && !g->IsEmpty()) {
    g->getEnvelope(&e);
    wkb_.resize(g->WkbSize());
    g->exportToWkb(wkbNDR, wkb_.data(), wkbVariantIso);
    insert_->geometry(wkb_.data(), wkb_.size(), wkbFlatten(g->getGeometryType()) == wkbPoint, e.MinX, e.MaxX, e.MinY, e.MaxY);
  } else {
    insert_->geometry(nullptr, 0, false, 0, 0, 0, 0);
  }
  const std::int64_t fid = insert_->insert();
  if (g && !g->IsEmpty()) {
    rtree_->add(fid, e.MinX, e.MaxX, e.MinY, e.MaxY);
  }
}

void LayerWriter::write(OGRFeature& feature) {
  if (insert_) return insert(feature);
  if (to_wgs84_ && feature.GetGeometryRef()) {
    std::unique_ptr<OGRGeometry> g(feature.GetGeometryRef()->clone());
    if (g->transform(to_wgs84_.get()) != OGRERR_NONE)
      throw OutputError(std::string("cannot transform a geometry of layer '") + layer_->GetName() + "' to WGS 84");
    const auto type = wkbFlatten(g->getGeometryType());
    if ((type == wkbPolygon || type == wkbMultiPolygon) && !g->IsEmpty())
      if (OGRGeometry* snapped = valid_on_grid(*g)) g.reset(snapped);
    feature.SetGeometryDirectly(g.release());
  }
  if (layer_->CreateFeature(&feature) != OGRERR_NONE)
    throw OutputError(std::string("cannot write a feature to layer '") + layer_->GetName() + "': " + CPLGetLastErrorMsg());
  const OGRGeometry* g = feature.GetGeometryRef();
  if (rtree_ && g && !g->IsEmpty()) {
    OGREnvelope e;
    g->getEnvelope(&e);
    rtree_->add(feature.GetFID(), e.MinX, e.MaxX, e.MinY, e.MaxY);
  }
}

OutputSet::OutputSet(const OutputOptions& options)
    : path_(options.path),
      list_name_(options.path),
      format_(output_format(options.path, options.format)),
      inputs_(options.inputs),
      spatial_index_(options.spatial_index),
      overwrite_(options.overwrite),
      csv_excel_(options.csv_excel) {
  const std::string& path = path_;
  detail::register_common_drivers();
  fs::path dir;
  if (format_ == Format::GeoPackage) {
    refuse_input(path);
    check_replaceable(path, overwrite_);
    dir = fs::path(path).parent_path();
  } else {
    const std::string ext = ascii_lower(fs::path(path).extension().string());
    dir = (ext == ".geojson" || ext == ".json" || ext == ".shp") ? fs::path(path).parent_path() : fs::path(path);
  }
  if (dir.empty()) dir = ".";
  std::error_code ec;
  for (fs::path d = dir; !d.empty() && !fs::exists(d, ec); d = d.parent_path()) created_dirs_.push_back(d);
  fs::create_directories(dir, ec);
  if (ec) {
    remove_created_dirs();
    throw OutputError("cannot create output folder '" + dir.string() + "': " + ec.message());
  }
  remove_stale_temporaries(dir.string());
  static std::atomic<int> serial{0};
  temp_dir_ = (dir / (temp_prefix() + std::to_string(serial++))).string();
  if (!fs::create_directory(temp_dir_, ec) || ec) {
    remove_created_dirs();
    throw OutputError("cannot write into output folder '" + dir.string() + "'" + (ec ? ": " + ec.message() : ""));
  }
  if (format_ == Format::GeoPackage) {
    auto* drv = GetGDALDriverManager()->GetDriverByName("GPKG");
    const std::string tmp = (fs::path(temp_dir_) / fs::path(path).filename()).string();
    GDALDataset* ds = drv ? drv->Create(tmp.c_str(), 0, 0, 0, GDT_Unknown, nullptr) : nullptr;
    if (!ds) {
      fs::remove_all(temp_dir_, ec);
      remove_created_dirs();
      throw OutputError("cannot create '" + path + "': " + CPLGetLastErrorMsg());
    }
    datasets_.emplace_back(ds);
    final_paths_.push_back(path);
  }
}

void OutputSet::remove_created_dirs() {
  std::error_code ec;
  for (auto& d : created_dirs_) fs::remove(d, ec);  // deepest first; only while empty
}

OutputSet::~OutputSet() {
  if (committed_) return;
  datasets_.clear();
  std::error_code ec;
  fs::remove_all(temp_dir_, ec);
  for (auto& [tmp, final_path] : texts_) fs::remove(tmp, ec);
  remove_created_dirs();
}

namespace {

// Chinese-locale Excel reads a CSV as the system code page unless it starts with a UTF-8
// byte-order mark; each header gets its Chinese label before the name ("设施编号 fac_id").
std::string for_excel(const std::string& text, const std::map<std::string, std::string>& labels) {
  const std::size_t end = std::min(text.find('\n'), text.size());
  std::string out = "\xEF\xBB\xBF";
  std::size_t start = 0;
  while (start <= end) {
    std::size_t comma = text.find(',', start);
    if (comma == std::string::npos || comma > end) comma = end;
    const std::string name = text.substr(start, comma - start);
    auto it = labels.find(name);
    out += it == labels.end() || it->second.empty() ? name : it->second + " " + name;
    if (comma < end) out += ',';
    start = comma + 1;
  }
  return out + text.substr(end);
}

}  // namespace

std::string OutputSet::add_text(const std::string& path, const std::string& suffix, const std::string& text_in,
                                const std::map<std::string, std::string>& labels) {
  const std::string text = csv_excel_ ? for_excel(text_in, labels) : text_in;
  std::string final_path = path;
  if (final_path.empty()) {
    fs::path p(path_);
    const std::string ext = ascii_lower(p.extension().string());
    final_path = ext.empty() ? (p / suffix.substr(suffix.find_first_not_of('_'))).string()
                             : (p.parent_path() / (p.stem().string() + suffix)).string();
  }
  refuse_input(final_path);
  check_replaceable(final_path, overwrite_);
  const std::string tmp = temp_path_for(final_path);
  std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
  if (!f || !(f << text) || !f.flush()) {
    std::error_code ec;
    fs::remove(tmp, ec);
    throw OutputError("cannot write '" + final_path + "'");
  }
  texts_.push_back({tmp, final_path});
  return final_path;
}

std::string OutputSet::final_path_for(const std::string& layer) const {
  fs::path p(path_);
  const std::string ext = ascii_lower(p.extension().string());
  if (ext == ".geojson" || ext == ".json" || ext == ".shp")
    return (p.parent_path() / (p.stem().string() + "_" + layer + p.extension().string())).string();
  return (p / (layer + extension(format_))).string();
}

void OutputSet::refuse_input(const std::string& final_path) const {
  std::vector<std::string> candidates = {final_path};
  if (format_ == Format::Shapefile)
    for (const char* ext : {".dbf", ".shx", ".prj", ".cpg"})
      candidates.push_back(fs::path(final_path).replace_extension(ext).string());
  for (auto& c : candidates) walkshed::check_not_input(c, inputs_);
}

LayerWriter OutputSet::add_layer(const std::string& layer_name, OGRwkbGeometryType type, const OGRSpatialReference& srs,
                                 const std::vector<FieldDef>& fields) {
  const std::string name = part_ ? part_->prefix + layer_name : layer_name;
  if (part_) part_->layers.push_back(name);
  GDALDataset* ds = nullptr;
  CPLStringList options;
  if (format_ == Format::GeoPackage) {
    ds = datasets_.front().get();
    if (ds->GetLayerCount() > 0) ds->CommitTransaction();
    options.SetNameValue("SPATIAL_INDEX", "NO");  // built in bulk by commit()
  } else {
    const std::string final_path = final_path_for(name);
    refuse_input(final_path);
    check_replaceable(final_path, overwrite_);
    auto* drv = GetGDALDriverManager()->GetDriverByName(driver_name(format_));
    const std::string tmp = (fs::path(temp_dir_) / fs::path(final_path).filename()).string();
    ds = drv ? drv->Create(tmp.c_str(), 0, 0, 0, GDT_Unknown, nullptr) : nullptr;
    if (!ds) throw OutputError("cannot create '" + final_path + "': " + CPLGetLastErrorMsg());
    datasets_.emplace_back(ds);
    final_paths_.push_back(final_path);
    if (format_ == Format::GeoJSON) options.SetNameValue("RFC7946", "YES"), options.SetNameValue("COORDINATE_PRECISION", "7");
    if (format_ == Format::Shapefile) options.SetNameValue("ENCODING", "UTF-8");
  }
  OGRSpatialReference s(srs);
  std::shared_ptr<OGRCoordinateTransformation> to_wgs84;
  if (format_ == Format::GeoJSON) {  // written in WGS 84 by walkshed itself, so that polygons stay valid
    OGRSpatialReference wgs84;
    wgs84.importFromEPSG(4326);
    wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    to_wgs84.reset(OGRCreateCoordinateTransformation(&s, &wgs84));
    if (!to_wgs84) throw OutputError("cannot transform layer '" + name + "' to WGS 84 for GeoJSON");
    s = wgs84;
  }
  OGRLayer* layer = ds->CreateLayer(name.c_str(), &s, type, options.List());
  if (!layer) throw OutputError("cannot create layer '" + name + "': " + CPLGetLastErrorMsg());
  std::map<std::string, int> index;
  for (auto& f : fields) {
    const std::string n = format_ == Format::Shapefile && !f.short_name.empty() ? f.short_name : f.name;
    OGRFieldDefn def(n.c_str(), f.type);
    if (!f.alias.empty() && format_ == Format::GeoPackage) def.SetAlternativeName(f.alias.c_str());
    if (layer->CreateField(&def) != OGRERR_NONE)
      throw OutputError("cannot create field '" + n + "' in layer '" + name + "': " + CPLGetLastErrorMsg());
    index[f.name] = layer->GetLayerDefn()->GetFieldCount() - 1;  // fields in the order given
  }
  layer_files_[name] = {layer->GetGeometryColumn(), ds->GetDescription()};
  auto& aliases = aliases_[name];
  for (auto& f : fields)
    aliases.push_back({format_ == Format::Shapefile && !f.short_name.empty() ? f.short_name : f.name, f.alias});
  detail::RtreeLayer* rtree = nullptr;
  if (format_ == Format::GeoPackage && spatial_index_ && wkbFlatten(type) != wkbNone) {
    rtrees_.push_back(std::make_unique<detail::RtreeLayer>());
    rtree = rtrees_.back().get();
    rtree->table = layer->GetName();
    rtree->fid_column = layer->GetFIDColumn();
    rtree->geometry_column = layer->GetGeometryColumn();
  }
  if (format_ == Format::GeoPackage) ds->StartTransaction();
  std::shared_ptr<detail::GpkgInsert> insert;
  auto* db = rtree ? static_cast<sqlite3*>(ds->GetInternalHandle("SQLITE_HANDLE")) : nullptr;
  if (db && layer->SyncToDisk() == OGRERR_NONE) {  // the table exists from here on
    std::vector<std::string> columns;
    for (int i = 0; i < layer->GetLayerDefn()->GetFieldCount(); ++i)
      columns.push_back(layer->GetLayerDefn()->GetFieldDefn(i)->GetNameRef());
    insert = std::make_shared<detail::GpkgInsert>(db, layer->GetName(), layer->GetGeometryColumn(), columns, rtree->triggers);
    rtree->direct = true;
  }
  return LayerWriter(layer, std::move(index), rtree, to_wgs84, std::move(insert));
}

namespace {

std::uint32_t u32_at(const std::string& bytes, std::size_t at, bool big_endian) {
  if (at + 4 > bytes.size()) return 0;
  const auto* b = reinterpret_cast<const unsigned char*>(bytes.data() + at);
  return big_endian ? (std::uint32_t(b[0]) << 24 | b[1] << 16 | b[2] << 8 | b[3])
                    : (std::uint32_t(b[3]) << 24 | b[2] << 16 | b[1] << 8 | b[0]);
}

std::string head(const fs::path& p, std::size_t n) {
  std::ifstream f(p, std::ios::binary);
  std::string out(n, '\0');
  f.read(out.data(), n);
  out.resize(f.gcount());
  return out;
}

// GDAL 3.6's GeoJSON and Shapefile writers do not report a failed write (a full disk): check that
// each file is whole before it replaces anything. GeoJSON ends with its closing brackets; a
// Shapefile's headers state the sizes of its .shp, .shx and .dbf.
void check_complete(const fs::path& p) {
  std::error_code ec;
  const auto size = fs::file_size(p, ec);
  const std::string ext = ascii_lower(p.extension().string());
  bool ok = !ec;
  if (ok && (ext == ".geojson" || ext == ".json")) {
    std::ifstream f(p, std::ios::binary);
    const std::size_t tail = std::min<std::uintmax_t>(size, 16);
    f.seekg(static_cast<std::streamoff>(size - tail));
    std::string end(tail, '\0');
    f.read(end.data(), tail);
    while (!end.empty() && std::isspace(static_cast<unsigned char>(end.back()))) end.pop_back();
    ok = end.size() >= 2 && end.back() == '}' && end.find(']') != std::string::npos;
  } else if (ok && (ext == ".shp" || ext == ".shx")) {
    ok = size >= 100 && std::uintmax_t(u32_at(head(p, 28), 24, true)) * 2 == size;
  } else if (ok && ext == ".dbf") {
    const std::string h = head(p, 12);
    const auto records = u32_at(h, 4, false);
    const std::uintmax_t header = h.size() == 12 ? (unsigned char)h[8] | (unsigned char)h[9] << 8 : 0;
    const std::uintmax_t record = h.size() == 12 ? (unsigned char)h[10] | (unsigned char)h[11] << 8 : 0;
    const std::uintmax_t expected = header + records * record;
    ok = header > 0 && (size == expected || size == expected + 1);  // + the end-of-file marker
  }
  if (!ok) throw OutputError("cannot write '" + p.filename().string() + "' completely (disk full?)");
}

}  // namespace

void OutputSet::set_style(const std::string& layer_name, const std::string& qml) {
  const std::string layer = part_ ? part_->prefix + layer_name : layer_name;
  auto it = layer_files_.find(layer);
  if (it == layer_files_.end()) throw std::logic_error("set_style: no layer " + layer);
  // The aliases as QGIS writes them, in field order, and the Fields category declared.
  std::string block = "<aliases>";
  const auto& fields = aliases_[layer];
  for (std::size_t i = 0; i < fields.size(); ++i)
    block += "<alias field=\"" + detail::xml_text(fields[i].first) + "\" index=\"" + std::to_string(i) + "\" name=\"" +
             detail::xml_text(fields[i].second) + "\"/>";
  block += "</aliases>\n";
  std::string text = qml;
  const auto end = text.rfind("</qgis>");
  if (end != std::string::npos && text.find("<aliases>") == std::string::npos) {  // not yet (a copied style has them)
    text.insert(end, block);
    const std::string categories = "styleCategories=\"Symbology|Labeling";
    const auto cats = text.find(categories);
    if (cats != std::string::npos) text.insert(cats + categories.size(), "|Fields");
  }
  styles_.push_back({layer, it->second.first, it->second.second, text});
}

void OutputSet::begin_part(const std::string& prefix) {
  if (format_ != Format::GeoPackage) throw std::logic_error("output parts need a GeoPackage");
  part_ = std::make_unique<Part>(Part{prefix + "_", {}, texts_.size(), styles_.size(), rtrees_.size()});
}

std::vector<std::string> OutputSet::end_part() {
  std::vector<std::string> files = final_paths_;
  for (std::size_t i = part_ ? part_->texts : texts_.size(); i < texts_.size(); ++i) files.push_back(texts_[i].second);
  part_.reset();
  return files;
}

void OutputSet::drop_part() {
  if (!part_) return;
  GDALDataset* ds = datasets_.empty() ? nullptr : datasets_.front().get();
  if (ds && ds->GetLayerCount() > 0) ds->CommitTransaction();
  for (const std::string& name : part_->layers) {
    for (int i = ds ? ds->GetLayerCount() - 1 : -1; i >= 0; --i)
      if (name == ds->GetLayer(i)->GetName()) ds->DeleteLayer(i);
    layer_files_.erase(name);
    aliases_.erase(name);
  }
  std::error_code ec;
  for (std::size_t i = part_->texts; i < texts_.size(); ++i) fs::remove(texts_[i].first, ec);
  texts_.resize(part_->texts);
  styles_.resize(part_->styles);
  rtrees_.resize(part_->rtrees);
  if (ds && ds->GetLayerCount() > 0) ds->StartTransaction();
  part_.reset();
}

void OutputSet::commit() {
  if (format_ == Format::GeoPackage && !datasets_.empty() && datasets_.front()->GetLayerCount() > 0 &&
      datasets_.front()->CommitTransaction() != OGRERR_NONE)
    throw OutputError("cannot write '" + path_ + "': " + CPLGetLastErrorMsg());
  for (auto& ds : datasets_) {
    GDALDataset* raw = ds.release();
    CPLErrorReset();
    GDALClose(raw);
    if (CPLGetLastErrorType() == CE_Failure)
      throw OutputError("cannot finish writing '" + path_ + "': " + CPLGetLastErrorMsg());
  }
  datasets_.clear();
  if (!rtrees_.empty()) detail::write_gpkg_rtrees((fs::path(temp_dir_) / fs::path(path_).filename()).string(), rtrees_);
  if (format_ == Format::GeoPackage) {
    std::vector<detail::LayerStyle> styles;
    for (auto& s : styles_) styles.push_back({s.layer, s.geometry_column, s.layer, s.qml});
    detail::write_gpkg_styles((fs::path(temp_dir_) / fs::path(path_).filename()).string(), styles);
  } else {
    for (auto& s : styles_) {
      const fs::path qml = fs::path(s.file).replace_extension(".qml");
      std::ofstream f(qml, std::ios::binary | std::ios::trunc);
      if (!f || !(f << s.qml) || !f.flush())
        throw OutputError("cannot write the style '" + qml.filename().string() + "' (disk full?)");
    }
  }

  // Every file, new and final; all checked complete before any of them replaces anything.
  std::vector<std::pair<fs::path, fs::path>> moves;
  const fs::path dir = fs::path(temp_dir_).parent_path();
  for (auto& entry : fs::directory_iterator(temp_dir_)) moves.push_back({entry.path(), dir / entry.path().filename()});
  for (auto& [tmp, final_path] : texts_) moves.push_back({tmp, final_path});
  for (auto& m : moves) {
    check_complete(m.first);
    check_replaceable(m.second.string(), overwrite_);  // the side files of a layer too
  }

  // All or nothing: the previous versions are moved aside first, and back if a move fails.
  std::error_code ec;
  std::vector<std::pair<fs::path, fs::path>> aside;  // (final, where its previous version is)
  auto undo = [&](std::size_t moved) {
    std::error_code e;
    for (std::size_t k = 0; k < moved; ++k) fs::rename(moves[k].second, moves[k].first, e);
    for (auto& [final_path, old] : aside) fs::rename(old, final_path, e);
  };
  for (auto& m : moves)
    if (fs::exists(m.second, ec)) {
      const fs::path old = temp_path_for(m.second.string());
      fs::rename(m.second, old, ec);
      if (ec) {
        undo(0);
        throw OutputError("cannot replace '" + m.second.string() + "': " + ec.message() + "; the previous outputs are kept");
      }
      aside.push_back({m.second, old});
    }
  for (std::size_t k = 0; k < moves.size(); ++k) {
    fs::rename(moves[k].first, moves[k].second, ec);
    if (ec) {
      undo(k);
      throw OutputError("cannot move output into '" + moves[k].second.string() + "': " + ec.message() +
                        "; the previous outputs are kept");
    }
  }
  for (auto& [final_path, old] : aside) fs::remove_all(old, ec);
  fs::remove_all(temp_dir_, ec);
  for (auto& [tmp, final_path] : texts_) final_paths_.push_back(final_path);
  committed_ = true;
  std::vector<std::string> written;
  for (auto& m : moves) written.push_back(m.second.string());
  note_written_and_remove_stale(list_name_, written);
}

std::vector<std::string> write_text_output(const std::string& path, const std::string& text, const OutputOptions& options,
                                           const std::map<std::string, std::string>& labels) {
  const fs::path folder = fs::path(path).parent_path();
  OutputOptions o(folder.empty() ? "." : folder.string());
  o.format = "GeoJSON";  // a folder: only the text is written
  o.overwrite = options.overwrite;
  o.csv_excel = options.csv_excel;
  OutputSet set(o);
  set.list_name_ = path;
  set.add_text(path, "", text, labels);
  set.commit();
  return set.paths();
}

OutputTarget::OutputTarget(const OutputOptions& options) : set_(options.into) {
  if (set_) {
    set_->begin_part(options.layer_prefix);
  } else {
    own_ = std::make_unique<OutputSet>(options);
    set_ = own_.get();
  }
}

OutputTarget::~OutputTarget() {
  if (!own_ && !done_) set_->drop_part();
}

std::vector<std::string> OutputTarget::commit() {
  done_ = true;
  if (own_) {
    own_->commit();
    return own_->paths();
  }
  return set_->end_part();
}

}  // namespace walkshed
