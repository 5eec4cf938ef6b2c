# Sourced by test_sanitizers.sh and fuzz.sh: the clang ASan + UBSan build in $B (default
# build-fuzz/) and the sanitizer settings its programs run with.
B=${FUZZ_BUILD:-build-fuzz}
# -fno-sanitize=vptr: libstdc++'s own error categories have no type information clang can see, so
# the vptr check reports every std::system_error it builds. nonnull-attribute is recoverable only
# so that scripts/ubsan.supp can name the library code it may skip; it still halts elsewhere.
SANITIZER_FLAGS="-fsanitize=address,undefined,fuzzer-no-link -fno-sanitize=vptr -fno-sanitize-recover=undefined \
-fsanitize-recover=nonnull-attribute -fno-omit-frame-pointer"
configure_sanitizer_build() {
  cmake -S . -B "$B" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang-14 \
    -DCMAKE_CXX_COMPILER=clang++-14 -DWALKSHED_FUZZ=ON -DWALKSHED_JEMALLOC=OFF \
    -DCMAKE_CXX_FLAGS="$SANITIZER_FLAGS" >/dev/null
}
# Leaks are not checked: GDAL and PROJ keep process-wide caches until exit.
export ASAN_OPTIONS=detect_leaks=0:abort_on_error=0
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:suppressions=$PWD/scripts/ubsan.supp"
