#!/usr/bin/env bash
# City-scale benchmark of every walkshed job (not part of the tests; peers: scripts/bench_peers.py).
#   scripts/bench.sh [RUNS]      (default 3 runs per job; medians are printed)
#   BASELINE=/path/to/other/walkshed scripts/bench.sh 5
#                                (each job also with that binary, runs interleaved, and the ratio)
# Datasets come from ../shared/data (override with SHARED=...). Needs /usr/bin/time and ogr2ogr.
# Jobs per network: graph build from the file; load of the saved graph; 1,000 per-facility
# catchments at 500 and 1000 m (lines); the nearest of 1,000 facilities; 1,000 x 3 bands with
# polygons; coverage of every network node for the nine functions (1,000 facilities, one function
# each), and with every facility offering all nine (access measures, bands to 1 and 2 km); maximal coverage with k = 50 over 5,000 candidates. For Porto also the whole job from the
# raw PBF to every output (lines, polygons, facilities) with its phases, and a whole study: communities
# on a 200 m grid (one per cell with a junction; households 6 per junction), the 1,000 facilities, the
# 5,000 candidates and k = 10 for the three functions with the largest gap, report and PDF included,
# with each step's time (tables/study_steps.csv).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-3}
SHARED=${SHARED:-../shared/data}
BIN=${BIN:-./build/walkshed}
BASE=${BASELINE:-}
WORK=${WORK:-/tmp/walkshed-bench}
mkdir -p "$WORK"
[ -x "$BIN" ] || scripts/setup.sh --no-run >/dev/null
command -v /usr/bin/time >/dev/null || { echo "needs /usr/bin/time (apt-get install time)"; exit 1; }

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
# Runs a command RUNS times; prints "median_wall_s max_rss_mb", and with BASELINE the same command
# with that binary (interleaved) as "baseline_wall_s baseline_rss_mb ratio". The last output is in last.txt.
measure() {
  local walls=() rss=0 bwalls=() brss=0
  for _ in $(seq "$RUNS"); do
    if [ -n "$BASE" ]; then
      /usr/bin/time -f "%e %M" -o "$WORK/time.txt" "$BASE" "${@:2}" > /dev/null
      read -r w m < "$WORK/time.txt"
      bwalls+=("$w"); [ "$m" -gt "$brss" ] && brss=$m
    fi
    /usr/bin/time -f "%e %M" -o "$WORK/time.txt" "$@" > "$WORK/last.txt"
    read -r w m < "$WORK/time.txt"
    walls+=("$w"); [ "$m" -gt "$rss" ] && rss=$m
  done
  local mw; mw=$(printf '%s\n' "${walls[@]}" | median)
  if [ -n "$BASE" ]; then
    local bw; bw=$(printf '%s\n' "${bwalls[@]}" | median)
    printf '%s %s %s/%s/%s\n' "$mw" "$((rss / 1024))" "$bw" "$((brss / 1024))" "$(awk -v a="$mw" -v b="$bw" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}')"
  else
    printf '%s %s\n' "$mw" "$((rss / 1024))"
  fi
}
phase() { grep '^timings' "$WORK/last.txt" | grep -o "$1 [0-9.]*" | head -n 1 | awk '{print $NF}'; }
phases() { grep '^timings' "$WORK/last.txt" | sed 's/^timings (s): //'; }
row() { printf '%-10s %-40s %8s %7s  %s\n' "$@"; }
# With BASELINE, the detail column starts with "baseline wall/RSS/ratio".
b=""

row dataset job "wall s" "RSS MB" "${BASE:+baseline wall s/RSS MB/ratio; }detail"
for spec in "porto|$SHARED/osm-porto-r5/porto_portugal.osm.pbf|" \
            "hangzhou|$SHARED/hangzhou-roads-ngraph/hangzhou_roads.gpkg|--layer roads"; do
  IFS='|' read -r name file layer <<< "$spec"
  [ -f "$file" ] || { echo "$name: $file missing, skipped"; continue; }
  read -r w r b <<< "$(measure $BIN graph -q "$file" $layer -o "$WORK/$name.wsg" --overwrite)"
  # Inputs made from the noded graph (scripts/bench_inputs.sh; it also writes $name.summary).
  BIN=$BIN WORK=$WORK scripts/bench_inputs.sh "$name" "$file" $layer > /dev/null
  row "$name" "graph build from file" "$w" "$r" "${b:+$b; }$(head -n 3 "$WORK/$name.summary" | tail -n 2 | tr '\n' ' ')"
  read -r w r b <<< "$(measure $BIN graph -q "$WORK/$name.wsg")"
  row "$name" "load saved graph (process)" "$w" "$r" "$b"

  common=(--roads "$WORK/$name.wsg" --facilities "$WORK/${name}_fac.gpkg" --timings)
  for d in 500 1000; do
    read -r w r b <<< "$(measure $BIN catchment "${common[@]}" --distances $d --no-polygons -o "$WORK/out_$name.gpkg" --overwrite)"
    settled=$(grep -o '[0-9]* nodes settled' "$WORK/last.txt" | awk '{print $1}')
    t=$(phase "catchments")
    row "$name" "1000 catchments ${d} m, lines" "$w" "$r" \
      "${b:+$b; }search+pieces $t s, $(awk -v s="$settled" -v t="$t" 'BEGIN {printf "%.1f M settled/s", s / t / 1e6}'), write $(phase write) s"
  done
  read -r w r b <<< "$(measure $BIN catchment "${common[@]}" --distances 1000 --no-polygons --threads 1 -o "$WORK/out_$name.gpkg" --overwrite)"
  row "$name" "same, 1 thread" "$w" "$r" "${b:+$b; }search+pieces $(phase catchments) s"
  read -r w r b <<< "$(measure $BIN catchment "${common[@]}" --distances 1000 --mode nearest --no-polygons -o "$WORK/out_$name.gpkg" --overwrite)"
  row "$name" "nearest of 1000 facilities, lines" "$w" "$r" "${b:+$b; }labelling $(phase labelling) s, write $(phase write) s"
  read -r w r b <<< "$(measure $BIN catchment "${common[@]}" --distances 1000 -o "$WORK/out_$name.gpkg" --overwrite)"
  row "$name" "1000 catchments 1000 m, lines + polygons" "$w" "$r" "${b:+$b; }$(phases)"
  read -r w r b <<< "$(measure $BIN catchment "${common[@]}" --distances 300,500,1000 -o "$WORK/out_$name.gpkg" --overwrite)"
  row "$name" "1000 x 3 bands, lines + polygons" "$w" "$r" "${b:+$b; }$(phases)"

  demand=(--roads "$WORK/$name.wsg" --communities "$WORK/${name}_area.gpkg" --facilities "$WORK/${name}_fac.gpkg"
          --functions-field functions --buildings "$WORK/${name}_homes.gpkg")
  read -r w r b <<< "$(measure $BIN coverage -q "${demand[@]}" --timings -o "$WORK/cov_$name.gpkg" --overwrite)"
  row "$name" "coverage: every node, 9 functions x 3" "$w" "$r" "${b:+$b; }$(phases)"
  # Access: every facility offering all nine functions, beds and places as supply, bands to 1 and 2 km.
  ogr2ogr -q -overwrite "$WORK/${name}_fac9.gpkg" "$WORK/${name}_fac.gpkg" -nln facilities -sql \
    "SELECT *, 'elderly_care;infant_care;child_care;community_canteen;housekeeping_convenience;health;fitness;culture_leisure;children_play' AS all9, 10 + (fid % 50) AS beds, 5 + (fid % 20) AS places FROM facilities"
  access=(--roads "$WORK/$name.wsg" --communities "$WORK/${name}_area.gpkg" --facilities "$WORK/${name}_fac9.gpkg"
          --functions-field all9 --buildings "$WORK/${name}_homes.gpkg" --supply-field elderly_care=beds
          --supply-field infant_care=places --supply-field child_care=places)
  for dist in 300,500,1000 500,1000,2000; do
    read -r w r b <<< "$(measure $BIN coverage "${access[@]}" --distances $dist --timings -o "$WORK/cov_$name.gpkg" --overwrite)"
    row "$name" "access: 9 functions x 1000, bands $dist" "$w" "$r" \
      "${b:+$b; }$(grep -o '[0-9]* facility x demand point pairs' "$WORK/last.txt" | awk '{print $1}') pairs; $(phases)"
  done
  read -r w r b <<< "$(measure $BIN site -q "${demand[@]}" --candidates "$WORK/${name}_cand.gpkg" --function elderly_care \
                       --distance 500 --k 50 -o "$WORK/site_$name.gpkg" --overwrite)"
  row "$name" "MCLP k = 50 of 5000 candidates" "$w" "$r" \
    "${b:+$b; }$(grep -v '^#' "$WORK/site_${name}_chosen.csv" | sed 1d | wc -l) sites; $(grep '^method,' "$WORK/site_${name}_chosen_method.csv" | cut -d, -f2-)"

  if [ -z "$layer" ]; then  # an OSM file: the whole job from the raw PBF
    read -r w r b <<< "$(measure $BIN catchment -q --roads "$file" --facilities "$WORK/${name}_fac.gpkg" --timings \
                         --distances 1000 -o "$WORK/out_$name.gpkg" --overwrite)"
    row "$name" "raw PBF -> lines, polygons, facilities" "$w" "$r" "${b:+$b; }$(phases)"

    read -r w r b <<< "$(measure $BIN study -q "$WORK/${name}_study.yaml" -o "$WORK/study_$name" --overwrite)"
    row "$name" "study: $(ogrinfo -q -ro -sql 'SELECT COUNT(*) FROM communities' "$WORK/${name}_grid200.gpkg" | \
                          awk '/COUNT/ {print $NF}') grid communities, PDF" "$w" "$r" \
      "${b:+$b; }$(sed 1d "$WORK/study_$name/tables/study_steps.csv" | awk -F, '{printf "%s %s, ", $1, $3}')"
  fi
done
