#!/usr/bin/env bash
# Sets up, builds and runs the whole test suite (unit, BPF, netns integration)
# with ctest, warnings as errors, then fuzzes each libFuzzer harness for 30 s (in
# build-fuzz/, built with clang). Extra arguments go to ctest, e.g. `scripts/test.sh -L bpf`,
# and skip the fuzzing.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
need_root
scripts/setup.sh
CMAKE_ARGS="-DWW_WERROR=ON ${CMAKE_ARGS:-}" scripts/build.sh
ensure_bpffs
ctest --test-dir build --output-on-failure --timeout 600 "$@"
if (($# == 0)); then
  CMAKE_ARGS="-DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DWW_FUZZ=ON -DWW_WERROR=ON" \
    BUILD_DIR=build-fuzz scripts/build.sh ww_fuzzers
  ctest --test-dir build-fuzz --output-on-failure -L fuzz
fi
