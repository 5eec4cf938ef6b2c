#!/usr/bin/env bash
# The sample notebook run cell by cell on the outputs of README command 1, made here in a fresh folder;
# its charts must be drawn.
#   tests/notebooks/sample.sh WALKSHED DATA_DIR NOTEBOOK
set -euo pipefail
bin=$1 data=$2 notebook=$3
out=$(mktemp -d /tmp/walkshed-notebook-XXXXXX)
trap 'rm -rf "$out"' EXIT
fac=$data/beijing_cau_facilities.geojson roads=$data/beijing_cau.osm.pbf comm=$data/beijing_cau_communities.geojson
"$bin" catchment -q --roads "$roads" --facilities "$fac" --distances 300,500,1000 -o "$out/catchments.gpkg"
"$bin" catchment -q --roads "$roads" --facilities "$fac" --distances 300,500,1000 --mode nearest -o "$out/nearest.gpkg"
"$bin" coverage -q --roads "$roads" --communities "$comm" --facilities "$fac" --city beijing -o "$out/coverage.gpkg" 2>/dev/null
"$bin" site -q --roads "$roads" --communities "$comm" --facilities "$fac" --landuse "$roads" --candidates-from-landuse \
  --profile beijing --function elderly_care --distance 500 --k 3 -o "$out/sites.gpkg" 2>/dev/null
WALKSHED_OUT=$out /usr/bin/python3 "$(dirname "$0")/run_notebook.py" "$notebook"
for png in notebook_catchment_area notebook_nearest notebook_per100; do
  test -s "$out/$png.png" || { echo "FAILED: $png.png not drawn"; exit 1; }
done
