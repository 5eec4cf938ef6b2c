#!/usr/bin/env bash
# Every command's outputs opened in real QGIS: each layer valid, drawn with walkshed's stored style
# (GeoPackage layer_styles, or the .qml beside a GeoJSON layer), and rendered not blank; the study's
# QGIS project opened, its print layouts exported and not blank.
#   tests/qgis/styles.sh WALKSHED DATA_DIR
set -euo pipefail
bin=$1 data=$2
out=$(mktemp -d /tmp/walkshed-qgis-XXXXXX)
trap 'rm -rf "$out"' EXIT
roads=$data/beijing_cau.osm.pbf
fac=$data/beijing_cau_facilities.geojson
comm=$data/beijing_cau_communities.geojson
"$bin" graph -q "$roads" --export-edges "$out/g.gpkg"
"$bin" catchment -q --roads "$roads" --facilities "$fac" -o "$out/c.gpkg"
"$bin" catchment -q --roads "$roads" --facilities "$fac" --mode nearest --distances 300,500 -o "$out/n.geojson"
"$bin" coverage -q --roads "$roads" --communities "$comm" --facilities "$fac" -o "$out/v.gpkg"
"$bin" check -q --profile baotou --facilities "$data/beijing_cau_sites.geojson" --functions-field functions \
  --landuse "$roads" -o "$out/k.gpkg" 2>/dev/null
"$bin" site -q --roads "$roads" --communities "$comm" --facilities "$fac" --landuse "$roads" --candidates-from-landuse \
  --profile beijing --function elderly_care --distance 500 --k 3 -o "$out/s.gpkg" 2>/dev/null
"$bin" study -q "$data/beijing_cau_study.yaml" -o "$out/study" 2>/dev/null
QT_QPA_PLATFORM=offscreen XDG_RUNTIME_DIR=$out /usr/bin/python3 "$(dirname "$0")/check_styles.py" "$out" \
  "$out/g.gpkg:edges=singleSymbol,nodes=singleSymbol" \
  "$out/c.gpkg:facilities=singleSymbol,snap_lines=singleSymbol,catchment_lines=categorizedSymbol/3,catchment_polygons=categorizedSymbol/3" \
  "$out/n_network_nearest.geojson:network_nearest=categorizedSymbol/3" \
  "$out/n_catchment_polygons.geojson:catchment_polygons=categorizedSymbol/2" \
  "$out/v.gpkg:communities=graduatedSymbol/5,demand_points=singleSymbol,facilities=singleSymbol" \
  "$out/k.gpkg:checked=categorizedSymbol/4" \
  "$out/s.gpkg:candidates=categorizedSymbol/2,chosen=singleSymbol,communities=graduatedSymbol/5" \
  "$out/study/study.gpkg:catchments_network_nearest=categorizedSymbol/4,coverage_communities=graduatedSymbol/5,check_checked=categorizedSymbol/4,sites_elderly_care_chosen=singleSymbol"
# The sample study: 4 theme layouts and one per sited function (elderly care, then the 2 largest gaps).
QT_QPA_PLATFORM=offscreen XDG_RUNTIME_DIR=$out /usr/bin/python3 "$(dirname "$0")/check_project.py" "$out/study" \
  "$out/layouts" 7
echo "QGIS: every layer valid, styled as stored, rendered; the study project and its layouts"
