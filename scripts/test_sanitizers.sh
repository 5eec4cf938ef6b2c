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
source scripts/sanitizer_env.sh
configure_sanitizer_build
cmake --build "$B" -j2
ctest --test-dir "$B" --output-on-failure -j2 -L 'unit|cli'
[ "$secs" -gt 0 ] && FUZZ_BUILD="$B" scripts/fuzz.sh "$secs"
exit 0
