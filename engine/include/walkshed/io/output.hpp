// Writing vector outputs safely: everything goes to a temporary folder next to the final
// location and is renamed into place by commit(). Nothing is left under a final name on failure.
#pragma once
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include "walkshed/core/text.hpp"
#include "walkshed/io/output_options.hpp"
#include "walkshed/io/schema.hpp"

namespace walkshed {

enum class Format { GeoPackage, GeoJSON, Shapefile };

// From an explicit name ("GPKG", "GeoJSON", "ESRI Shapefile"/"Shapefile") or the extension. Throws
// OutputError for an unknown one, or a name and an extension that disagree.
Format output_format(const std::string& path, const std::string& name);

// Refuses, before any work, outputs that are inputs, two outputs with the same path, and existing
// files walkshed did not write unless `overwrite` (the files of a layer each are checked as written).
void check_outputs(const std::vector<std::string>& outputs, const std::vector<std::string>& inputs,
                   bool overwrite = false);

struct FieldDef {
  FieldDef(std::string n, OGRFieldType t, std::string s = {}, std::string a = {})
      : name(std::move(n)), type(t), short_name(std::move(s)), alias(std::move(a)) {}
  std::string name;        // name in GeoPackage / GeoJSON
  OGRFieldType type;
  std::string short_name;  // Shapefile name (10 characters at most); empty: same as name
  std::string alias;       // GeoPackage field alias shown by QGIS (e.g. a Chinese label); optional
};

// The GDAL fields of a schema, in its order.
template <class Row>
std::vector<FieldDef> field_defs(const Schema<Row>& schema);

namespace detail {
struct RtreeLayer;
class GpkgInsert;
void set_field(OGRFeature& feature, int index, const FieldValue& value);
OGRFieldType ogr_type(FieldType type);
}

class LayerWriter {
 public:
  // rtree: where to note the box of each feature written (GeoPackage spatial index), or null.
  // to_wgs84: for GeoJSON, the transform of every geometry to WGS 84 before it is written.
  // insert: the GeoPackage rows written straight by SQLite (then rtree is set and marked direct), or null.
  LayerWriter(OGRLayer* layer, std::map<std::string, int> index, detail::RtreeLayer* rtree = nullptr,
              std::shared_ptr<OGRCoordinateTransformation> to_wgs84 = nullptr,
              std::shared_ptr<detail::GpkgInsert> insert = nullptr)
      : layer_(layer), index_(std::move(index)), rtree_(rtree), to_wgs84_(std::move(to_wgs84)), insert_(std::move(insert)) {}
  OGRLayer* layer() const { return layer_; }
  int field(const std::string& name) const;  // throws std::logic_error for an unknown name
  std::unique_ptr<OGRFeature> new_feature() const;
  // A new feature with every field of `schema` (the layer's fields, in order) set from `row`.
  template <class Row>
  std::unique_ptr<OGRFeature> new_feature(const Schema<Row>& schema, const Row& row) const {
    auto f = new_feature();
    for (std::size_t i = 0; i < schema.size(); ++i) detail::set_field(*f, static_cast<int>(i), schema[i].value(row));
    return f;
  }
  void write(OGRFeature& feature);  // throws OutputError
  // The same for a row of `schema` and a geometry (null: none), without an OGRFeature where the
  // layer is written straight by SQLite.
  template <class Row>
  void write(const Schema<Row>& schema, const Row& row, const OGRGeometry* geometry) {
    if (!insert_) {
      auto f = new_feature(schema, row);
      if (geometry) f->SetGeometry(geometry);
      write(*f);
      return;
    }
    for (std::size_t i = 0; i < schema.size(); ++i) bind(static_cast<int>(i), schema[i].value(row));
    insert_geometry(geometry);
  }

 private:
  OGRLayer* layer_;
  std::map<std::string, int> index_;
  detail::RtreeLayer* rtree_;
  std::shared_ptr<OGRCoordinateTransformation> to_wgs84_;
  std::shared_ptr<detail::GpkgInsert> insert_;
  std::vector<unsigned char> wkb_;
  void insert(OGRFeature& feature);
  void bind(int column, const FieldValue& value);
  void insert_geometry(const OGRGeometry* geometry);  // and writes the row
};

class OutputSet {
 public:
  // options.path: a .gpkg file (all layers in it), or a .geojson/.json/.shp path whose stem gets
  // "_<layer>" per layer, or a folder when options.format is given. Inputs are refused as outputs;
  // existing files walkshed did not write too, unless options.overwrite.
  explicit OutputSet(const OutputOptions& options);
  ~OutputSet();
  OutputSet(const OutputSet&) = delete;
  OutputSet& operator=(const OutputSet&) = delete;

  LayerWriter add_layer(const std::string& name, OGRwkbGeometryType type, const OGRSpatialReference& srs,
                        const std::vector<FieldDef>& fields);
  template <class Row>
  LayerWriter add_layer(const std::string& name, OGRwkbGeometryType type, const OGRSpatialReference& srs,
                        const Schema<Row>& schema) {
    return add_layer(name, type, srs, field_defs(schema));
  }
  // A text file (a CSV table) that belongs to this output: `path`, or when empty the output name with
  // `suffix` (out/x.gpkg + "_summary.csv" -> out/x_summary.csv; for a folder: folder/<suffix without '_'>).
  // Written now under a temporary name, moved into place by commit(). Returns the final path.
  // `labels`: Chinese header labels by column name, used for Excel tables (OutputOptions::csv_excel).
  std::string add_text(const std::string& path, const std::string& suffix, const std::string& text,
                       const std::map<std::string, std::string>& labels = {});
  // The layer's default QGIS style (QML): in the GeoPackage's layer_styles table, or a .qml file beside
  // a GeoJSON / Shapefile layer, which QGIS loads with it. The fields' Chinese labels go into it as
  // QGIS field aliases (GDAL 3.6 cannot write GeoPackage aliases; QGIS reads them from the style).
  void set_style(const std::string& layer, const std::string& qml);
  // Closes every dataset and moves the files to their final names; files an earlier commit of this
  // output set wrote and this one did not are removed (see walkshed/core/written.hpp).
  void commit();
  // Final paths of what was (or will be) written.
  const std::vector<std::string>& paths() const { return final_paths_; }
  // A part of a GeoPackage set written by one step: its layers are named prefix + "_" + layer, and
  // drop_part() removes what it added (the step failed). end_part() keeps it and returns its files
  // (the GeoPackage and the part's tables, as they will be at commit).
  void begin_part(const std::string& prefix);
  std::vector<std::string> end_part();
  void drop_part();
  Format format() const { return format_; }

 private:
  std::string final_path_for(const std::string& layer) const;
  void refuse_input(const std::string& final_path) const;  // also the Shapefile side files
  void remove_created_dirs();  // the folders this output created, when it fails

  friend std::vector<std::string> write_text_output(const std::string&, const std::string&, const OutputOptions&,
                                                    const std::map<std::string, std::string>&);

  struct Part {
    std::string prefix;  // with its "_"
    std::vector<std::string> layers;
    std::size_t texts = 0, styles = 0, rtrees = 0;
  };
  std::unique_ptr<Part> part_;

  std::string path_;
  std::string list_name_;  // the set's name in the folder's list of written files: path_, or its one text
  Format format_;
  std::vector<std::string> inputs_;
  std::string temp_dir_;
  std::vector<std::unique_ptr<GDALDataset>> datasets_;
  std::vector<std::string> final_paths_;
  std::vector<std::pair<std::string, std::string>> texts_;  // (temporary, final)
  std::vector<std::unique_ptr<detail::RtreeLayer>> rtrees_;  // GeoPackage spatial indexes, built at commit
  bool spatial_index_ = true;
  bool overwrite_ = false;
  bool csv_excel_ = false;
  struct Style {
    std::string layer, geometry_column, file, qml;  // file: the layer's temporary file (GeoJSON, Shapefile)
  };
  std::vector<Style> styles_;
  std::map<std::string, std::pair<std::string, std::string>> layer_files_;  // layer -> (geometry column, temp file)
  std::map<std::string, std::vector<std::pair<std::string, std::string>>> aliases_;  // layer -> (field, label)
  std::vector<std::filesystem::path> created_dirs_;  // deepest first
  bool committed_ = false;
};

// A text file (a page, a project, a table) as an output set of its own: written under a temporary name
// and moved into place, under the same rules for existing files as layers. `options`: overwrite and
// csv_excel apply (its path is not used). Returns the files written.
std::vector<std::string> write_text_output(const std::string& path, const std::string& text, const OutputOptions& options,
                                           const std::map<std::string, std::string>& labels = {});

// The output set a writer adds its layers to: its own, or the part of OutputOptions::into given by
// OutputOptions::layer_prefix, which is dropped again if the writer fails before commit().
class OutputTarget {
 public:
  explicit OutputTarget(const OutputOptions& options);
  ~OutputTarget();
  OutputTarget(const OutputTarget&) = delete;
  OutputTarget& operator=(const OutputTarget&) = delete;
  OutputSet& set() { return *set_; }
  // Commits its own set, or ends the part; returns the files written (to be written, for a part).
  std::vector<std::string> commit();

 private:
  std::unique_ptr<OutputSet> own_;
  OutputSet* set_;
  bool done_ = false;
};

template <class Row>
std::vector<FieldDef> field_defs(const Schema<Row>& schema) {
  std::vector<FieldDef> out;
  for (const auto& c : schema) out.emplace_back(c.name, detail::ogr_type(c.type), c.short_name, c.label);
  return out;
}

// Throws OutputError when `path` is one of `inputs` (empty ones are skipped).
void check_not_input(const std::string& path, const std::vector<std::string>& inputs);

// The working CRS of a graph (its WKT) in GIS axis order.
OGRSpatialReference working_srs(const std::string& wkt);

}  // namespace walkshed
