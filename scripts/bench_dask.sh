#!/usr/bin/env bash
# Scaling of walkshed-dask (not a test): the Porto benchmark study (scripts/bench_inputs.sh) cut into
# tiles, run on a LocalCluster of 1 and then 2 workers, every partition from scratch; and, as the
# machine's own ceiling, the same partitions' walkshed commands (walkshed-dask --dry-run) run bare by
# `xargs -P 1` and `-P 2`. Interleaved, RUNS times each; prints each run's phases, the partitions' peak
# memory and the medians with their ratios.
#   scripts/bench_dask.sh [RUNS] [TILES]      (default 3 runs, 3x3 tiles)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-3}
TILES=${2:-3x3}
BIN=${BIN:-$PWD/build/walkshed}
WORK=${WORK:-/tmp/walkshed-bench}
STUDY=$WORK/porto_study.yaml
[ -f "$STUDY" ] || BIN=$BIN WORK=$WORK scripts/bench_inputs.sh porto ../shared/data/osm-porto-r5/porto_portugal.osm.pbf > /dev/null
front() { /usr/bin/python3 tools/dask/walkshed_dask.py "$STUDY" --tiles "$TILES" --no-pdf --walkshed "$BIN" "$@"; }
front --dry-run -q -o "$WORK/dask_bare" | cut -d' ' -f3- > "$WORK/dask_commands.txt"
seconds() { awk -v a="$1" -v b="$(date +%s%N)" 'BEGIN {printf "%.2f", (b - a) / 1e9}'; }
declare -A walls parts bare
for _ in $(seq "$RUNS"); do
  for w in 1 2; do
    out=$WORK/dask_$w
    rm -rf "$out"
    start=$(date +%s%N)
    front --workers "$w" -o "$out" > "$WORK/dask.log" 2>&1
    wall=$(seconds "$start")
    phases=$(grep '^times:' "$WORK/dask.log" | sed 's/^times: //')
    part=$(echo "$phases" | grep -o 'partitions [0-9.]*' | awk '{print $2}')
    rss=$(cat "$out"/parts/*/done.json | grep -o '"peak_rss_mb": [0-9]*' | awk '{if ($2 > m) m = $2} END {print m}')
    printf '%d worker(s): wall %.1f s; %s; peak RSS of a partition %s MB\n' "$w" "$wall" "$phases" "$rss"
    walls[$w]+="$wall "
    parts[$w]+="$part "
    rm -rf "$WORK/dask_bare"
    start=$(date +%s%N)
    xargs -d '\n' -P "$w" -n 1 sh -c 'eval "$1" 2> /dev/null' _ < "$WORK/dask_commands.txt"
    t=$(seconds "$start")
    printf '  the same partitions bare, xargs -P %d: %.1f s\n' "$w" "$t"
    bare[$w]+="$t "
  done
done
median() { tr ' ' '\n' | grep . | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
for w in 1 2; do
  printf '%d worker(s): median wall %s s, median partitions phase %s s; bare partitions median %s s\n' "$w" \
    "$(echo "${walls[$w]}" | median)" "$(echo "${parts[$w]}" | median)" "$(echo "${bare[$w]}" | median)"
done
ratio() { awk -v a="$(echo "$1" | median)" -v b="$(echo "$2" | median)" 'BEGIN {printf "%.2f", a / b}'; }
printf 'ratios 1 : 2 workers: wall %s, partitions phase %s, bare partitions %s\n' "$(ratio "${walls[1]}" "${walls[2]}")" \
  "$(ratio "${parts[1]}" "${parts[2]}")" "$(ratio "${bare[1]}" "${bare[2]}")"
