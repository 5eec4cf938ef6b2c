#!/usr/bin/env bash
# The QGIS plugin with Debian's real QGIS: its zip (scripts/qgis_plugin.sh) installed into a fresh QGIS profile, `qgis_process` lists
# walkshed's six algorithms and runs walkshed:catchment with the command line's results; then the
# PyQGIS checks of check_plugin.py (coverage, a selection of a memory layer, the study, a graphical
# model, cancelling). Debian 12's qgis_process wrapper passes an option its binary rejects
# (--noversioncheck), so the binary qgis_process.bin is called.
#   tests/qgis/plugin.sh WALKSHED DATA_DIR
set -euo pipefail
bin=$(realpath "$1") data=$(realpath "$2") here=$(dirname "$(realpath "$0")")
out=$(mktemp -d /tmp/walkshed-plugin-XXXXXX)
trap 'rm -rf "$out"' EXIT
roads=$data/beijing_cau.osm.pbf fac=$data/beijing_cau_facilities.geojson comm=$data/beijing_cau_communities.geojson
"$bin" catchment -q --roads "$roads" --facilities "$fac" --mode nearest -o "$out/cli_catchment.gpkg"
"$bin" coverage -q --roads "$roads" --communities "$comm" --facilities "$fac" --city beijing -o "$out/cli_coverage.gpkg" 2>/dev/null
"$bin" study -q --no-pdf "$data/beijing_cau_study.yaml" -o "$out/cli_study" 2>/dev/null
# A job of ~30 s to cancel: 1,600 catchments on a 120 x 120 street grid.
/usr/bin/python3 -c "import json; n=120; d=0.0009
L=[[[116+i*d,40+j*d] for j in range(n)] for i in range(n)]+[[[116+i*d,40+j*d] for i in range(n)] for j in range(n)]
json.dump({'type':'FeatureCollection','features':[{'type':'Feature','properties':{'highway':'footway'},'geometry':{'type':'LineString','coordinates':c}} for c in L]}, open('$out/grid.geojson','w'))
P=[[116+(i%40)*d*3,40+(i//40)*d*3] for i in range(1600)]
json.dump({'type':'FeatureCollection','features':[{'type':'Feature','properties':{'fac_id':str(k)},'geometry':{'type':'Point','coordinates':p}} for k,p in enumerate(P)]}, open('$out/fac.geojson','w'))"

# qgis_process, with the plugin installed and enabled in a profile of its own.
profile=$out/qgis/profiles/default
mkdir -p "$profile/python/plugins" "$profile/QGIS"
"$here/../../scripts/qgis_plugin.sh" "$out/walkshed.zip" > /dev/null  # installed as from "Install from ZIP"
/usr/bin/python3 -m zipfile -e "$out/walkshed.zip" "$profile/python/plugins/"
test -f "$profile/python/plugins/walkshed/metadata.txt"
printf '[PythonPlugins]\nwalkshed=true\n' > "$profile/QGIS/QGIS3.ini"
qp() { QT_QPA_PLATFORM=offscreen XDG_RUNTIME_DIR=$out QGIS_CUSTOM_CONFIG_PATH=$out/qgis WALKSHED_BIN=$bin qgis_process.bin "$@"; }
listed=$(qp list 2>/dev/null | grep -c 'walkshed:' || true)
[ "$listed" -eq 6 ] || { echo "FAILED: qgis_process lists $listed walkshed algorithms"; qp list 2>&1 | tail -20; exit 1; }
qp run walkshed:catchment -- "ROADS=$roads|layername=lines" "FACILITIES=$fac" DISTANCES=300,500,1000 MODE=1 \
  "OUTPUT=$out/qp_catchment.gpkg" > "$out/qp.log" 2>&1 || { echo "FAILED: qgis_process run"; cat "$out/qp.log"; exit 1; }
layers() { /usr/bin/python3 -c "from osgeo import ogr; ds=ogr.Open('$1'); print(sorted((ds.GetLayer(i).GetName(), ds.GetLayer(i).GetFeatureCount()) for i in range(ds.GetLayerCount())))"; }
[ "$(layers "$out/qp_catchment.gpkg")" = "$(layers "$out/cli_catchment.gpkg")" ] || {
  echo "FAILED: qgis_process catchment $(layers "$out/qp_catchment.gpkg") against $(layers "$out/cli_catchment.gpkg")"; exit 1; }

QT_QPA_PLATFORM=offscreen XDG_RUNTIME_DIR=$out WALKSHED_BIN=$bin /usr/bin/python3 "$here/check_plugin.py" \
  "$here/../../tools/qgis" "$data" "$out"
echo "QGIS plugin: qgis_process lists and runs walkshed; the algorithms match the command line"
