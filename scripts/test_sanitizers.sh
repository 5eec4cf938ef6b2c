#!/usr/bin/env bash
# The unit and command-line tests under AddressSanitizer and UndefinedBehaviorSanitizer (clang, in
# build-fuzz/), then a short libFuzzer pass over every reader of untrusted files.
#   scripts/test_sanitizers.sh [FUZZ_SECONDS_PER_TARGET]      (default 30; 0: no fuzzing)
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-30}
scripts/install_packages.sh clang-14 libclang-rt-14-dev
source scripts/sanitizer_env.sh
configure_sanitizer_build
cmake --build "$B" -j2
ctest --test-dir "$B" --output-on-failure -j2 -L 'unit|cli'
[ "$secs" -gt 0 ] && FUZZ_BUILD="$B" scripts/fuzz.sh "$secs"
exit 0
