#include "commands.hpp"
#include "walkshed/io/gpkg_index.hpp"

namespace cli {

namespace {

struct IndexArgs {
  std::string path;
  std::vector<std::string> layers;
};

}  // namespace

void setup_index(CLI::App& root, Common& common) {
  auto* app = root.add_subcommand(
      "index", "Build the spatial index of a GeoPackage's feature layers in bulk, in place (extents and counts too)");
  auto args = std::make_shared<IndexArgs>();
  app->footer(
      "Example:\n"
      "  ogr2ogr -f GPKG -lco SPATIAL_INDEX=NO big.gpkg big.shp && walkshed index big.gpkg\n"
      "  walkshed index out/merged.gpkg --layer coverage_demand_points\n"
      "(a packed R-tree, as GDAL's CreateSpatialIndex() builds row by row; an existing index is replaced)");
  app->add_option("geopackage", args->path, "The GeoPackage (.gpkg), changed in place")->required();
  app->add_option("--layer", args->layers, "Only this layer (repeatable; default every feature layer)");
  add_common(*app, common);
  app->callback([args, &common]() {
    const auto done = walkshed::index_geopackage(args->path, args->layers, make_progress(common));
    const auto log = make_log(common);
    for (const auto& layer : done) {
      log.info(layer.name + ": " + std::to_string(layer.indexed) + " of " + std::to_string(layer.features) +
               " features indexed" + (layer.replaced ? " (index replaced)" : ""));
      if (layer.unreadable > 0)
        log.warning("layer '" + layer.name + "': " + std::to_string(layer.unreadable) +
                    " geometries could not be read (curves or malformed) and are not in the index");
    }
  });
}

}  // namespace cli
