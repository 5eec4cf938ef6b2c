#!/usr/bin/env bash
# walkshed-dask over two real cities in one study (tests/dask/make_cities.py: central Wuhan and Haidian,
# Beijing, from the shared data), one zone each, on a LocalCluster of two workers: every field of every
# layer equals the single-machine study's (tests/dask/check_identity.py); the zone look-up agrees with
# Wuhan's district outlines (check_zone.py).
#   tests/dask/cities.sh BUILD/walkshed SHARED_DATA
set -euo pipefail
BIN=$(realpath "$1")
SHARED=$(realpath "$2")
HERE=$(cd "$(dirname "$0")" && pwd)
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
cd "$W"
/usr/bin/python3 "$HERE/make_cities.py" "$SHARED" "$HERE/../../data" cities
# The uncut study with the partitions' limit on nearest-facility distances (halo 4500 m less two snaps).
"$BIN" study -q cities/study.yaml --set nearest_limit=4000 --no-pdf --threads 1 -o uncut 2> /dev/null
/usr/bin/python3 "$HERE/../../tools/dask/walkshed_dask.py" cities/study.yaml --zones cities/zones.gpkg --zone-field city \
  --workers 2 --no-pdf --walkshed "$BIN" -o zones > zones.log 2>&1 || { cat zones.log; exit 1; }
grep -q "2 partitions run, 0 already done, 0 failed" zones.log || { cat zones.log; exit 1; }
/usr/bin/python3 "$HERE/check_identity.py" uncut/study.gpkg zones/study.gpkg
test "$(ogrinfo -q -ro zones/study.gpkg -sql "SELECT COUNT(DISTINCT zone) FROM coverage_communities" | grep -o '= [0-9]*')" = "= 2"
grep -q '武汉' zones/index.html && grep -q '北京' zones/index.html
# The zone look-up on real district outlines (Wuhan's, from OSM).
/usr/bin/python3 "$HERE/check_zone.py" "$SHARED/wuhan-districts/wuhan_districts_osm.gpkg"
echo "cities: Wuhan and Beijing as two zones equal the single-machine study"
