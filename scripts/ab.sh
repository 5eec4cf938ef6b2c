#!/bin/bash
# Interleaved A/B timing of two commands: medians of wall and CPU (user + sys) seconds.
#   scripts/ab.sh RUNS "COMMAND A" "COMMAND B"
# Example (an old build against the current one, same job):
#   scripts/ab.sh 5 "/tmp/old/tools/walkshed catchment --roads g.wsg --facilities f.gpkg -q -o /tmp/a.gpkg" \
#                   "build/walkshed catchment --roads g.wsg --facilities f.gpkg -q -o /tmp/b.gpkg"
set -euo pipefail
if [ $# -ne 3 ]; then sed -n 2,6p "$0" | sed 's/^# \{0,1\}//'; exit 1; fi
runs=$1
for i in $(seq "$runs"); do
  for v in A B; do
    cmd=$([ $v = A ] && echo "$2" || echo "$3")
    /usr/bin/time -f "$v %e %U %S" bash -c "$cmd" 2>&1 >/dev/null | grep "^$v "
  done
done | awk '{ n[$1]++; w[$1, n[$1]] = $2; c[$1, n[$1]] = $3 + $4 }
  function median(a, k, m,   i, j, t, v) {
    for (i = 1; i <= m; i++) v[i] = a[k, i]
    for (i = 2; i <= m; i++) for (j = i; j > 1 && v[j - 1] > v[j]; j--) { t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
    return m % 2 ? v[(m + 1) / 2] : (v[m / 2] + v[m / 2 + 1]) / 2
  }
  END { for (k in n) printf "%s: wall median %.3f s, CPU median %.3f s\n", k, median(w, k, n[k]), median(c, k, n[k]) }' | sort
