#!/usr/bin/env bash
# The Cradle demo: before anyone votes on a policy, try it in a twin of the mesh. Each example
# in policies/experiments/ builds fresh network namespaces running the real agent and guard,
# sends stamped traffic through them under injected faults (loss, agent kill, floods), and
# writes a signed report, its table and a plot. The first example passes; the second's
# candidate blocks the mesh's own traffic and fails on its delivery gate. Run by
# scripts/demo.sh, or alone:
#
#   sudo scripts/cradle.sh        (NO_BUILD=1 skips setup and build)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
prepare_demo

BIN=build/bin
RUN=$(mktemp -d /tmp/ww-cradle-demo.XXXXXX)
# wwctl tears each twin down itself; this also clears a twin whose run was killed.
trap '"$BIN/wwctl" cradle clean >/dev/null; rm -rf "$RUN"' EXIT

"$BIN/wwctl" peer keygen "$RUN/node.key" --peer demo >/dev/null

for example in passes blocks-routing; do
  echo "== wwctl cradle run policies/experiments/$example.yaml"
  status=0
  "$BIN/wwctl" cradle run "policies/experiments/$example.yaml" --key "$RUN/node.key" \
    -o "$RUN/$example.json" 2> >(grep -vE '^\[[a-z]+\] [0-9]+s/' | sed 's/^/   /' >&2) ||
    status=$?
  echo "== exit status $status (0 pass, 1 fail, 3 inconclusive)"
  "$BIN/wwctl" cradle verify "$RUN/$example.json"
  echo
done
