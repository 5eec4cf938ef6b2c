#!/usr/bin/env bash
# A full disk while writing: every format fails with exit 3, leaves no file behind, and a previous
# complete output set stays as it was. Runs in its own mount namespace (unshare) on a 300 KB tmpfs.
#   tests/disk_full.sh WALKSHED DATA_DIR
set -euo pipefail
bin=$1 data=$2
if [ -z "${WALKSHED_IN_NAMESPACE:-}" ]; then
  WALKSHED_IN_NAMESPACE=1 exec unshare -rm "$0" "$@"
fi
dir=$(mktemp -d) err=$(mktemp)
trap 'umount "$dir" 2>/dev/null; rmdir "$dir"; rm -f "$err"' EXIT
mount -t tmpfs -o size=300k tmpfs "$dir"
job=(catchment -q --roads "$data/beijing_cau.osm.pbf" --facilities "$data/beijing_cau_facilities.geojson")
fail=0
# A small complete set first: 300 m lines as GeoJSON.
"$bin" "${job[@]}" --distances 300 --no-polygons -o "$dir/c.geojson"
before=$(cd "$dir" && ls && cat ./*)
for out in c.geojson c.shp c.gpkg; do
  set +e
  "$bin" "${job[@]}" --distances 300,500,1000 -o "$dir/$out" 2>"$err"
  code=$?
  set -e
  if [ "$code" != 3 ]; then echo "FAILED: $out: exit $code, expected 3"; fail=1; fi
  grep -q -i 'disk\|space\|full' "$err" || { echo "FAILED: $out: message: $(cat "$err")"; fail=1; }
  after=$(cd "$dir" && ls && cat ./*)
  [ "$before" == "$after" ] || { echo "FAILED: $out: the folder changed: $(ls -a "$dir")"; fail=1; }
done
[ $fail = 0 ] && echo "disk full: GeoJSON, Shapefile and GeoPackage fail with exit 3 and leave the previous set as it was"
exit $fail
