#!/usr/bin/env bash
# Runs every test (Catch2 through CTest) on the build made by scripts/setup.sh. The QGIS group opens
# the outputs in real QGIS, the report group the study report in Chromium, the dask group partitions
# on a LocalCluster: their Debian packages are installed here when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install_packages.sh qgis python3-qgis qgis-providers python3-gdal python3-matplotlib python3-distributed python3-yaml chromium poppler-utils fonts-noto-cjk
[ -x build/tests/walkshed_tests ] || scripts/setup.sh --no-run
cmake --build build -j2
ctest --test-dir build --output-on-failure -j2
