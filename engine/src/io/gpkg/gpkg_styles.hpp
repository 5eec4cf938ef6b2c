// Default QGIS styles stored in a GeoPackage, in the `layer_styles` table QGIS itself reads and
// writes (registered in gpkg_contents as an attributes table, as QGIS does).
#pragma once
#include <string>
#include <vector>

namespace walkshed::detail {

struct LayerStyle {
  std::string table, geometry_column, name, qml;
};

// Adds the styles to the GeoPackage at `path` (closed by GDAL), each the default of its layer.
// Throws OutputError.
void write_gpkg_styles(const std::string& path, const std::vector<LayerStyle>& styles);

}  // namespace walkshed::detail
