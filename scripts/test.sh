#!/usr/bin/env bash
# Runs every test (Catch2 through CTest) on the build made by scripts/setup.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x build/tests/walkshed_tests ] || scripts/setup.sh --no-run
cmake --build build -j2
ctest --test-dir build --output-on-failure -j2
