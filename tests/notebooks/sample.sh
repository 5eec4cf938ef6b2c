#!/usr/bin/env bash
# The sample notebook run cell by cell on the sample study (README command 1), made here in a fresh
# folder; its maps and charts must be drawn.
#   tests/notebooks/sample.sh WALKSHED DATA_DIR NOTEBOOK
set -euo pipefail
bin=$1 data=$2 notebook=$3
out=$(mktemp -d /tmp/walkshed-notebook-XXXXXX)
trap 'rm -rf "$out"' EXIT
"$bin" study -q --no-pdf "$data/beijing_cau_study.yaml" -o "$out/study" 2>/dev/null
WALKSHED_OUT=$out/study /usr/bin/python3 "$(dirname "$0")/run_notebook.py" "$(realpath "$notebook")"
for png in notebook_per100_map notebook_per100 notebook_functions notebook_nearest notebook_rules \
           notebook_sites_elderly_care; do
  test -s "$out/study/$png.png" || { echo "FAILED: $png.png not drawn"; exit 1; }
done
