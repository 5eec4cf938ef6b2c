#include "commands.hpp"

namespace cli {

namespace {

struct GraphArgs {
  NetworkArgs net;
  walkshed::GraphJob job;
};

}  // namespace

void setup_graph(CLI::App& root, Common& common) {
  auto* app = root.add_subcommand("graph", "Build the walking graph, print a validation summary, save it");
  auto args = std::make_shared<GraphArgs>();
  app->footer(
      "Example:\n"
      "  walkshed graph data/beijing_cau.osm.pbf -o out/cau.wsg --export-edges out/cau_graph.gpkg\n"
      "  (later commands accept out/cau.wsg wherever a roads file is expected)\n"
      "  walkshed graph out/cau_graph.gpkg --layer edges --node-fields u,v\n"
      "  (a layer that carries its topology: the lines meet only where they name the same node)");
  app->add_option("roads", args->net.input.roads.path, "Roads: OSM .pbf/.osm or any GDAL line layer")->required();
  add_network_options(*app, args->net);
  app->add_option("-o,--output", args->job.save, "Save the graph to this binary file (e.g. city.wsg)");
  app->add_option("--export-edges", args->job.export_edges,
                  "Write the noded edges and nodes (GPKG/GeoJSON/Shapefile) for QGIS or other tools");
  app->add_flag("--overwrite", args->job.overwrite,
                "Replace existing output files that walkshed did not write (files an earlier run wrote are replaced without it)");
  add_common(*app, common);
  app->callback([args, &common]() {
    args->job.network = args->net.finish();
    walkshed::run_graph(args->job, make_progress(common), make_log(common));
  });
}

}  // namespace cli
