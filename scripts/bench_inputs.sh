#!/usr/bin/env bash
# Benchmark and example inputs made from a real network: 1,000 facilities (every k-th junction of the
# largest component, one of the nine functions each, 100 m2), 5,000 candidate sites, a home at every
# junction, one community over everything, communities on a 200 m grid (one per cell with a junction,
# 6 households per junction), and a study file over them (k = 10 for the 3 functions with the largest gap).
#   scripts/bench_inputs.sh NAME ROADS [--layer L]     (into $WORK, default /tmp/walkshed-bench)
# Example, a larger study than the sample (Porto's OSM extract from ../shared/data):
#   scripts/bench_inputs.sh porto ../shared/data/osm-porto-r5/porto_portugal.osm.pbf
#   build/walkshed study /tmp/walkshed-bench/porto_study.yaml -o out/porto
set -euo pipefail
name=$1 file=$(realpath "$2"); shift 2
BIN=${BIN:-$(dirname "$0")/../build/walkshed}
WORK=${WORK:-/tmp/walkshed-bench}
mkdir -p "$WORK"
command -v ogr2ogr >/dev/null || { echo "needs ogr2ogr (apt-get install gdal-bin)"; exit 1; }
"$BIN" graph "$file" "$@" --export-edges "$WORK/${name}_graph.gpkg" --overwrite > "$WORK/$name.summary"
g="$WORK/${name}_graph.gpkg"
n=$(ogrinfo -q -ro "$g" -sql "SELECT COUNT(*) AS n FROM nodes WHERE component = 0" | awk '/n \(/ {print $NF}')
step=$(( n / 1000 )); cstep=$(( n / 5000 ))
fns="elderly_care infant_care child_care community_canteen housekeeping_convenience health fitness culture_leisure children_play"
case_sql="CASE (node_id / $step) % 9"; i=0
for f in $fns; do case_sql+=" WHEN $i THEN '$f'"; i=$((i + 1)); done; case_sql+=" END"
ogr2ogr -overwrite "$WORK/${name}_fac.gpkg" "$g" -dialect sqlite -nln facilities \
  -sql "SELECT node_id AS fac_id, $case_sql AS functions, 100.0 AS area_m2, geom FROM nodes
        WHERE component = 0 AND node_id % $step = 0 LIMIT 1000"
ogr2ogr -overwrite "$WORK/${name}_cand.gpkg" "$g" -dialect sqlite -nln candidates \
  -sql "SELECT node_id AS cand_id, geom FROM nodes WHERE component = 0 AND node_id % $cstep = 1 LIMIT 5000"
ogr2ogr -overwrite "$WORK/${name}_homes.gpkg" "$g" -dialect sqlite -nln homes \
  -sql "SELECT node_id, 1 AS floors, ST_Expand(geom, 1.0) AS geom FROM nodes"
ogr2ogr -overwrite "$WORK/${name}_area.gpkg" "$g" -dialect sqlite -nln communities \
  -sql "SELECT 1 AS comm_id, COUNT(*) AS households, ST_Expand(Extent(geom), 10.0) AS geom FROM nodes"
ogr2ogr -overwrite "$WORK/${name}_grid200.gpkg" "$g" -dialect sqlite -nln communities \
  -sql "SELECT 'g' || cx || '_' || cy AS comm_id, 6 * n AS households,
               BuildMbr(cx * 200.0, cy * 200.0, cx * 200.0 + 200, cy * 200.0 + 200, (SELECT SRID(geom) FROM nodes LIMIT 1)) AS geom
        FROM (SELECT CAST(floor(ST_X(geom) / 200) AS INTEGER) AS cx, CAST(floor(ST_Y(geom) / 200) AS INTEGER) AS cy,
                     COUNT(*) AS n FROM nodes GROUP BY cx, cy)"
layer_key=""
[ "${1:-}" = "--layer" ] && layer_key=", layer: $2"
cat > "$WORK/${name}_study.yaml" <<YAML
title: $name study (200 m grid communities)
profile: national
roads: {path: $file$layer_key}
communities: {path: ${name}_grid200.gpkg, id_field: comm_id, households_field: households}
facilities: {path: ${name}_fac.gpkg, functions_field: functions}
candidates: {path: ${name}_cand.gpkg}
distances: [300, 500, 1000]
siting:
  - {largest_gaps: 3, distance: 500, k: 10}
YAML
echo "inputs in $WORK: ${name}_fac.gpkg, ${name}_cand.gpkg, ${name}_homes.gpkg, ${name}_area.gpkg, ${name}_grid200.gpkg, ${name}_study.yaml"
