#!/usr/bin/env bash
# Installs walkshed from BUILD into a temporary prefix, builds tests/package (find_package(walkshed),
# walkshed::engine, and walkshed::core alone without GDAL) against it and runs them; checks the
# installed program and profiles.
#   scripts/test_package.sh build
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "$1" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cmake --install "$build" --prefix "$tmp/prefix" >/dev/null
cmake -S "$root/tests/package" -B "$tmp/example" -G Ninja -DCMAKE_PREFIX_PATH="$tmp/prefix" >/dev/null
cmake --build "$tmp/example" >/dev/null
"$tmp/example/walkshed_example" "$root/data/beijing_cau.osm.pbf" "$root/data/beijing_cau_facilities.geojson"
"$tmp/example/walkshed_example_core"
# walkshed::core alone does not bring GDAL in.
! ldd "$tmp/example/walkshed_example_core" | grep -q libgdal
# The installed program finds the installed profiles, also away from the source tree.
(cd "$tmp" && "$tmp/prefix/bin/walkshed" check --list-profiles) | grep -q "$tmp/prefix/share/walkshed/profiles/baotou.yaml"
echo "package: installed, found by find_package, linked, ran"
