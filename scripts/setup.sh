#!/usr/bin/env bash
# Installs the Debian 12 packages walkshed needs (when missing), builds it (Release, -j2) and
# runs the main job on the sample in data/, writing into out/.
#   scripts/setup.sh            install + build + sample run
#   scripts/setup.sh --no-run   install + build only
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(build-essential cmake ninja-build pkg-config libgdal-dev gdal-bin libgeos-dev libproj-dev
          libboost-graph-dev catch2 libcli11-dev libyaml-cpp-dev libglpk-dev libsqlite3-dev libosmium2-dev
          libjemalloc-dev libpolyclipping-dev python3
          chromium fonts-noto-cjk)  # the study report's PDF, with Chinese text
scripts/install_packages.sh "${packages[@]}"

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release
cmake --build build -j2

if [ "${1:-}" != "--no-run" ]; then
  mkdir -p out
  ./build/walkshed graph data/beijing_cau.osm.pbf -o out/cau.wsg --export-edges out/cau_graph.gpkg
  ./build/walkshed catchment \
      --roads data/beijing_cau.osm.pbf \
      --facilities data/beijing_cau_facilities.geojson \
      --distances 300,500,1000 -o out/catchments.gpkg
  ./build/walkshed catchment \
      --roads out/cau.wsg \
      --facilities data/beijing_cau_facilities.geojson \
      --distances 300,500,1000 --mode nearest -o out/nearest.gpkg
  ./build/walkshed coverage \
      --roads data/beijing_cau.osm.pbf \
      --communities data/beijing_cau_communities.geojson \
      --facilities data/beijing_cau_facilities.geojson \
      --city beijing -o out/coverage.gpkg
  ./build/walkshed check --profile baotou \
      --facilities data/beijing_cau_sites.geojson --functions-field functions \
      --landuse data/beijing_cau.osm.pbf -o out/check.gpkg
  ./build/walkshed site \
      --roads data/beijing_cau.osm.pbf \
      --communities data/beijing_cau_communities.geojson \
      --facilities data/beijing_cau_facilities.geojson \
      --landuse data/beijing_cau.osm.pbf --candidates-from-landuse \
      --profile beijing --function elderly_care --distance 500 --k 3 -o out/sites.gpkg
  ./build/walkshed study data/beijing_cau_study.yaml -o out/study
  echo "Open out/study/report.html in a browser, or out/study/study.qgs in QGIS."
fi
