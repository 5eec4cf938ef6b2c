#!/usr/bin/env bash
# Benchmark of graph building and catchments on city-scale networks (not part of the tests).
#   scripts/bench.sh [RUNS]      (default 3 runs per job; medians are printed)
# Datasets come from ../shared/data (override with SHARED=...). Needs /usr/bin/time.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-3}
SHARED=${SHARED:-../shared/data}
BIN=./build/tools/walkshed
WORK=${WORK:-/tmp/walkshed-bench}
mkdir -p "$WORK"
[ -x "$BIN" ] || scripts/setup.sh --no-run >/dev/null
command -v /usr/bin/time >/dev/null || { echo "needs /usr/bin/time (apt-get install time)"; exit 1; }

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
# Runs a command RUNS times; prints "median_wall_s max_rss_mb".
measure() {
  local walls=() rss=0
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -f "%e %M" -o "$WORK/time.txt" "$@" > "$WORK/last.txt"
    read -r w m < "$WORK/time.txt"
    walls+=("$w"); [ "$m" -gt "$rss" ] && rss=$m
  done
  printf '%s %s\n' "$(printf '%s\n' "${walls[@]}" | median)" "$((rss / 1024))"
}
phase() { grep '^timings' "$WORK/last.txt" | grep -o "$1 [0-9.]*" | head -n 1 | awk '{print $NF}'; }

printf '%-10s %-34s %10s %8s  %s\n' dataset job "wall s" "RSS MB" "detail"
for spec in "porto|$SHARED/osm-porto-r5/porto_portugal.osm.pbf|" \
            "hangzhou|$SHARED/hangzhou-roads-ngraph/hangzhou_roads.gpkg|--layer roads"; do
  IFS='|' read -r name file layer <<< "$spec"
  [ -f "$file" ] || { echo "$name: $file missing, skipped"; continue; }
  read -r w r <<< "$(measure $BIN graph -q "$file" $layer -o "$WORK/$name.wsg")"
  $BIN graph "$file" $layer --export-edges "$WORK/${name}_graph.gpkg" > "$WORK/$name.summary"
  printf '%-10s %-34s %10s %8s  %s\n' "$name" "graph build from file" "$w" "$r" \
    "$(head -n 3 "$WORK/$name.summary" | tail -n 2 | tr '\n' ' ')"
  read -r w r <<< "$(measure $BIN graph -q "$WORK/$name.wsg")"
  printf '%-10s %-34s %10s %8s\n' "$name" "load saved graph (process)" "$w" "$r"

  # 1,000 facilities: every k-th node of the largest component.
  n=$(ogrinfo -q -ro "$WORK/${name}_graph.gpkg" -sql "SELECT COUNT(*) AS n FROM nodes WHERE component = 0" | awk '/n \(/ {print $NF}')
  step=$(( n / 1000 ))
  ogr2ogr -overwrite "$WORK/${name}_fac.gpkg" "$WORK/${name}_graph.gpkg" -dialect sqlite -nln facilities \
    -sql "SELECT node_id AS fac_id, geom FROM nodes WHERE component = 0 AND node_id % $step = 0 LIMIT 1000"

  common=(--roads "$WORK/$name.wsg" --facilities "$WORK/${name}_fac.gpkg" --timings)
  for d in 500 1000; do
    read -r w r <<< "$(measure $BIN catchment "${common[@]}" --distances $d --no-polygons -o "$WORK/out_$name.gpkg")"
    settled=$(grep -o '[0-9]* nodes settled' "$WORK/last.txt" | awk '{print $1}')
    t=$(phase "catchments")
    printf '%-10s %-34s %10s %8s  %s\n' "$name" "1000 catchments ${d} m, lines" "$w" "$r" \
      "search+pieces $t s, $(awk -v s="$settled" -v t="$t" 'BEGIN {printf "%.1f M settled/s", s / t / 1e6}'), write $(phase write) s"
  done
  read -r w r <<< "$(measure $BIN catchment "${common[@]}" --distances 1000 --no-polygons --threads 1 -o "$WORK/out_$name.gpkg")"
  printf '%-10s %-34s %10s %8s  %s\n' "$name" "same, 1 thread" "$w" "$r" "search+pieces $(phase catchments) s"
  read -r w r <<< "$(measure $BIN catchment "${common[@]}" --distances 1000 --mode nearest --no-polygons -o "$WORK/out_$name.gpkg")"
  printf '%-10s %-34s %10s %8s  %s\n' "$name" "nearest facility (1 search), lines" "$w" "$r" \
    "labelling $(phase labelling) s, write $(phase write) s"
  read -r w r <<< "$(measure $BIN catchment "${common[@]}" --distances 300,500,1000 -o "$WORK/out_$name.gpkg")"
  printf '%-10s %-34s %10s %8s  %s\n' "$name" "1000 x 3 bands, lines + polygons" "$w" "$r" \
    "search+polygons $(phase polygons) s, write $(phase write) s"
done
