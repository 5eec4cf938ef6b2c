#include "walkshed/io/merge.hpp"

#include "io/gdal/gdal_util.hpp"
#include "walkshed/core/error.hpp"
#include "walkshed/io/output.hpp"

namespace walkshed {

std::vector<std::string> merge_geopackages(const std::vector<std::pair<std::string, std::string>>& sources,
                                           const OutputOptions& output) {
  OutputSet set(output);
  for (const auto& [path, prefix] : sources) {
    auto ds = detail::open_vector(path, "study layers");
    const auto styles = detail::default_styles(*ds);
    for (int i = 0; i < ds->GetLayerCount(); ++i) {
      OGRLayer* src = ds->GetLayer(i);
      const std::string name = src->GetName();
      if (name == "layer_styles") continue;
      OGRFeatureDefn* defn = src->GetLayerDefn();
      std::vector<FieldDef> fields;
      for (int k = 0; k < defn->GetFieldCount(); ++k)
        fields.emplace_back(defn->GetFieldDefn(k)->GetNameRef(), defn->GetFieldDefn(k)->GetType());
      OGRSpatialReference srs;
      if (src->GetSpatialRef()) srs = *src->GetSpatialRef();
      srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
      const std::string out_name = prefix + "_" + name;
      LayerWriter w = set.add_layer(out_name, src->GetGeomType(), srs, fields);
      src->ResetReading();
      for (auto& f : *src) {
        auto g = w.new_feature();
        g->SetFrom(f.get(), TRUE);
        g->SetFID(OGRNullFID);
        w.write(*g);
      }
      if (auto it = styles.find(name); it != styles.end()) set.set_style(out_name, it->second);
    }
  }
  set.commit();
  return set.paths();
}

}  // namespace walkshed
