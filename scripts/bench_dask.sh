#!/usr/bin/env bash
# Scaling of walkshed-dask (not a test): the Porto benchmark study (scripts/bench_inputs.sh) cut into
# tiles, run on a LocalCluster of 1 and then 2 workers (interleaved, RUNS times each), every partition
# from scratch; prints each run's phases, the partitions' peak memory and the medians.
#   scripts/bench_dask.sh [RUNS] [TILES]      (default 3 runs, 3x3 tiles)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-3}
TILES=${2:-3x3}
BIN=${BIN:-$PWD/build/walkshed}
WORK=${WORK:-/tmp/walkshed-bench}
STUDY=$WORK/porto_study.yaml
[ -f "$STUDY" ] || BIN=$BIN WORK=$WORK scripts/bench_inputs.sh porto ../shared/data/osm-porto-r5/porto_portugal.osm.pbf > /dev/null
declare -A walls parts
for _ in $(seq "$RUNS"); do
  for w in 1 2; do
    out=$WORK/dask_$w
    rm -rf "$out"
    start=$(date +%s%N)
    /usr/bin/python3 tools/dask/walkshed_dask.py "$STUDY" --tiles "$TILES" --workers "$w" --no-pdf --walkshed "$BIN" \
      -o "$out" > "$WORK/dask.log" 2>&1
    wall=$(awk -v a="$start" -v b="$(date +%s%N)" 'BEGIN {printf "%.2f", (b - a) / 1e9}')
    phases=$(grep '^times:' "$WORK/dask.log" | sed 's/^times: //')
    part=$(echo "$phases" | grep -o 'partitions [0-9.]*' | awk '{print $2}')
    rss=$(cat "$out"/parts/*/done.json | grep -o '"peak_rss_mb": [0-9]*' | awk '{if ($2 > m) m = $2} END {print m}')
    printf '%d worker(s): wall %.1f s; %s; peak RSS of a partition %s MB\n' "$w" "$wall" "$phases" "$rss"
    walls[$w]+="$wall "
    parts[$w]+="$part "
  done
done
median() { tr ' ' '\n' | grep . | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
for w in 1 2; do
  printf '%d worker(s): median wall %s s, median partitions phase %s s\n' "$w" "$(echo "${walls[$w]}" | median)" \
    "$(echo "${parts[$w]}" | median)"
done
