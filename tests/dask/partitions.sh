#!/usr/bin/env bash
# walkshed-dask on a LocalCluster of two workers: a made-up city cut into 2 x 2 tiles and into three
# districts gives the uncut study's answers (tests/dask/check_identity.py), the districts' look-up
# agrees with the polygons (check_zone.py); a rerun skips the partitions
# done; a partition that fails (no road within its box) is retried, reported, and the others kept.
#   tests/dask/partitions.sh BUILD/walkshed
set -euo pipefail
BIN=$(realpath "$1")
HERE=$(cd "$(dirname "$0")" && pwd)
DASK="/usr/bin/python3 $HERE/../../tools/dask/walkshed_dask.py"
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
cd "$W"
/usr/bin/python3 "$HERE/make_city.py" city
# The uncut study, with the partitions' limit on nearest-facility distances (halo 2700 m less two snaps).
"$BIN" study -q city/study.yaml --set nearest_limit=2200 --no-pdf --threads 1 -o uncut 2> /dev/null
$DASK city/study.yaml --tiles 2x2 --workers 2 --no-pdf --walkshed "$BIN" -o tiles > tiles.log 2>&1
grep -q "4 partitions run, 0 already done, 0 failed" tiles.log || { cat tiles.log; exit 1; }
/usr/bin/python3 "$HERE/check_identity.py" uncut/study.gpkg tiles/study.gpkg
/usr/bin/python3 -m osgeo_utils.samples.validate_gpkg tiles/study.gpkg
test "$(wc -l < tiles/tables/zones.csv)" -eq 5
test "$(wc -l < tiles/tables/communities.csv)" -eq 226
$DASK city/study.yaml --zones city/zones.gpkg --zone-field district --workers 2 --no-pdf --walkshed "$BIN" -o zones \
  > zones.log 2>&1
/usr/bin/python3 "$HERE/check_identity.py" uncut/study.gpkg zones/study.gpkg
/usr/bin/python3 "$HERE/check_zone.py" city/zones.gpkg
grep -q '区2' zones/index.html
# Operators span the districts: left out of the merge, and said so.
grep -q "Operators are not partitioned" zones/index.html && grep -q "Operators are not partitioned" zones.log
test "$(ogrinfo -q -ro uncut/study.gpkg -sql 'SELECT COUNT(*) FROM check_operators' | grep -o '= [0-9]*')" = "= 7"
if ogrinfo -q -ro zones/study.gpkg check_operators > /dev/null 2>&1; then echo "check_operators merged"; exit 1; fi
# A rerun does nothing but merge again.
$DASK city/study.yaml --tiles 2x2 --workers 2 --no-pdf --walkshed "$BIN" -o tiles > rerun.log 2>&1
grep -q "0 partitions run, 4 already done, 0 failed" rerun.log || { cat rerun.log; exit 1; }
# A failing partition: reported with its error after its retry, exit 7, the others merged.
/usr/bin/python3 "$HERE/make_city.py" far --far-facility
set +e
$DASK far/study.yaml --zones far/zones.gpkg --zone-field district --workers 2 --no-pdf --walkshed "$BIN" -o farout \
  > far.log 2>&1
code=$?
set -e
[ "$code" -eq 7 ] || { echo "exit $code, expected 7"; cat far.log; exit 1; }
grep -q "partition 远郊 failed: .*no road line within the clip box" far.log || { cat far.log; exit 1; }
grep -q "3 partitions run, 0 already done, 1 failed" far.log || { cat far.log; exit 1; }
test "$(ogrinfo -q -ro farout/study.gpkg -sql 'SELECT COUNT(*) FROM coverage_communities' | grep -o '= [0-9]*')" = "= 225"
grep -q "failed: " farout/index.html
# Bad input: an error naming the file and field, exit 2, nothing merged.
set +e
$DASK city/study.yaml --zones city/zones.gpkg --zone-field nofield --walkshed "$BIN" -o bad > bad.log 2>&1
code=$?
set -e
[ "$code" -eq 2 ] && grep -q "zones file 'city/zones.gpkg', layer 'zones': no field 'nofield'" bad.log && [ ! -e bad/study.gpkg ] \
  || { echo "bad zone field: exit $code"; cat bad.log; exit 1; }
echo "partitions: tiles and districts equal the uncut study; rerun skipped; a failed partition reported"
