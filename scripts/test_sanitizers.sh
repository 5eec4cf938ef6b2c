#!/usr/bin/env bash
# The unit and command-line tests under AddressSanitizer and UndefinedBehaviorSanitizer (clang, in
# build-fuzz/), then a short libFuzzer pass over every reader of untrusted files.
#   scripts/test_sanitizers.sh [FUZZ_SECONDS_PER_TARGET]      (default 30; 0: no fuzzing)
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-30}
missing=()
for p in clang-14 libclang-rt-14-dev; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
B=${FUZZ_BUILD:-build-fuzz}
# -fno-sanitize=vptr: libstdc++'s own error categories have no type information clang can see, so
# the vptr check reports every std::system_error it builds.
cmake -S . -B "$B" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 \
  -DWALKSHED_FUZZ=ON -DWALKSHED_JEMALLOC=OFF \
  -DCMAKE_CXX_FLAGS="-fsanitize=address,undefined,fuzzer-no-link -fno-sanitize=vptr -fno-sanitize-recover=undefined -fno-omit-frame-pointer" \
  >/dev/null
cmake --build "$B" -j2
# Leaks are not checked: GDAL and PROJ keep process-wide caches until exit.
export ASAN_OPTIONS=detect_leaks=0:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1
ctest --test-dir "$B" --output-on-failure -j2 -L 'unit|cli'
[ "$secs" -gt 0 ] && FUZZ_BUILD="$B" scripts/fuzz.sh "$secs"
exit 0
