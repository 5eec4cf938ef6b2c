#!/usr/bin/env bash
# Fuzzes the readers of untrusted files with libFuzzer (clang, ASan and UBSan): the OSM PBF reader,
# the GeoPackage geometry parsers (lines, boxes), the GeoJSON/OGR point reader, the profile loader and the saved
# graph loader. Seed corpora are made from data/ in the build folder; findings (crashes, hangs, huge
# allocations) are kept there and make the script fail.
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET ...]      (default 60 s, every target)
#   targets: osm gpkg_geometry points profile graph_file
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}
[ $# -gt 0 ] && shift
targets=${*:-osm gpkg_geometry points profile graph_file}
source scripts/sanitizer_env.sh
configure_sanitizer_build
cmake --build "$B" -j2 --target walkshed $(for t in $targets; do echo "fuzz_$t"; done) >/dev/null
W="$B/fuzz"
mkdir -p "$W"

# Seeds.
seed() { rm -rf "$W/seeds_$1"; mkdir -p "$W/seeds_$1"; }
seed osm; cp data/beijing_cau.osm.pbf "$W/seeds_osm/"
seed points; cp data/*.geojson "$W/seeds_points/"
seed profile; cp data/profiles/*.yaml "$W/seeds_profile/"
seed graph_file; rm -f "$W/edges.gpkg"; "$B/walkshed" graph -q data/beijing_cau.osm.pbf -o "$W/seeds_graph_file/cau.wsg" \
  --export-edges "$W/edges.gpkg"
seed gpkg_geometry
/usr/bin/python3 - "$W/edges.gpkg" "$W/seeds_gpkg_geometry" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
for i, (blob,) in enumerate(db.execute("SELECT geom FROM edges LIMIT 300")):
    open(f"{sys.argv[2]}/edge{i}.bin", "wb").write(blob)
for i, (blob,) in enumerate(db.execute("SELECT geom FROM nodes LIMIT 20")):
    open(f"{sys.argv[2]}/node{i}.bin", "wb").write(blob)
PY

failed=0
for t in $targets; do
  rm -rf "$W/findings_$t"
  mkdir -p "$W/corpus_$t" "$W/findings_$t"
  log="$W/$t.log"
  if ASAN_OPTIONS=$ASAN_OPTIONS:allocator_may_return_null=1 "$B/tests/fuzz_$t" "$W/corpus_$t" "$W/seeds_$t" \
       -max_total_time="$secs" -timeout=20 -rss_limit_mb=2048 -malloc_limit_mb=2048 -max_len=200000 \
       -artifact_prefix="$W/findings_$t/" -print_final_stats=1 >"$log" 2>&1; then
    status=ok
  else
    status=FAILED; failed=1
  fi
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | awk '{print $2}')
  printf '%-14s %-6s %8s runs in %s s, corpus %s files, findings %s (%s)\n' "$t" "$status" "${runs:-?}" "$secs" \
    "$(ls "$W/corpus_$t" | wc -l)" "$(ls "$W/findings_$t" | wc -l)" "$log"
done
exit $failed
