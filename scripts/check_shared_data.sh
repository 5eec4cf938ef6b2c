#!/usr/bin/env bash
# Checks the real datasets the tests read from the shared data folder against their recorded
# SHA-256 sums. Exit 0: all present and equal; 1: a file missing or changed (named); 77: no such
# folder (CTest reports the test as skipped, and the real-data tests are not registered).
#   scripts/check_shared_data.sh ../shared/data tests/shared_data.sha256
set -uo pipefail
dir=$1
sums=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
if [ ! -d "$dir" ]; then
  echo "shared data: '$dir' not found: the real-data tests ([shared]) are not run; set -DWALKSHED_SHARED_DATA=..."
  exit 77
fi
cd "$dir" || exit 1
if ! out=$(sha256sum --check --quiet "$sums" 2>&1); then
  echo "shared data: files in '$dir' differ from $sums:"
  echo "$out"
  exit 1
fi
echo "shared data: $(wc -l <"$sums") files in '$dir' match their SHA-256 sums"
