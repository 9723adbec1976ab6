#!/usr/bin/env bash
# Sets up, builds and runs the whole test suite (unit, BPF, netns integration)
# with ctest. Extra arguments go to ctest, e.g. `scripts/test.sh -L bpf`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
need_root
scripts/setup.sh
scripts/build.sh
ensure_bpffs
ctest --test-dir build --output-on-failure --timeout 600 "$@"
