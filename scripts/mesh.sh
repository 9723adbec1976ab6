#!/usr/bin/env bash
# The mesh demo: five routers in a ring, a 3-member etcd cluster, one policy
# published once and enforced everywhere; then one etcd member dies and the mesh
# carries on; then a forged bundle is written straight into etcd and every router
# refuses it. Everything it starts is stopped by PID and removed at the end, also
# on failure. Run by scripts/demo.sh after the single-router demo, or alone:
#
#   sudo scripts/mesh.sh        (NO_BUILD=1 skips setup and build)
#
#            r1 ---- r2                core namespace: bridge 10.252.0.1/24,
#           /          \               etcd m1 m2 m3 on 10.252.0.1:2379{1,2,3};
#         r5            r3             every router's "ctl" port is on the bridge
#           \          /               ring links: rN east <-> rN+1 west, 10.253.N.0/24
#            `-- r4 --'                (the XDP guard runs on east and west)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
prepare_demo

RING=mesh HOST_NET=10.252.0 RING_NET=10.253 ETCD_PORT=2379 PEER_PORT=2380
source scripts/ring.sh
PEERS=(p1 p2 p3)
trap ring_cleanup EXIT
ring_cleanup

ring_build
ring_start_etcd

echo "== keys: the capability root, an operator token, three peers who sign mass changes"
"$BIN/wwctl" token keygen "$RUN/root.key" >/dev/null
"$BIN/wwctl" token mint --key "$RUN/root.key" --id operator --caveat "action = policy.apply" \
  >"$RUN/operator.token"
chmod 600 "$RUN/operator.token"
for p in "${PEERS[@]}"; do "$BIN/wwctl" peer keygen "$RUN/$p.key" --peer "$p"; done >"$RUN/peers"
sed 's/^/   peer /' "$RUN/peers"

echo "== starting $ROUTERS agents, each with its trust gate closed and an allow-all policy"
ring_start_agents --trust-root-key "$RUN/root.key" --peers "$RUN/peers" --mesh-size "$ROUTERS"
mesh_nodes

echo
echo "== udp/5555 across the ring before any mesh policy (everything arrives)"
traffic_table

# publish POLICY: a bundle for all routers, with the operator's token and three peer
# signatures over "all" and one fresh nonce; waits until every router enforces it.
publish() {
  local policy=$1 nonce time sigs=()
  nonce=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
  time=$(date -u +%Y-%m-%dT%H:%M:%SZ) # one time for all signers: it is part of the change
  for p in "${PEERS[@]}"; do
    "$BIN/wwctl" policy sign "$policy" --key "$RUN/$p.key" --peer "$p" --node all \
      --nonce "$nonce" --time "$time" -o "$RUN/$p.sig" 2>"$RUN/sign.log" || { cat "$RUN/sign.log" >&2 && exit 1; }
    sigs+=(--signature "$RUN/$p.sig")
  done
  in_core "$BIN/wwctl" mesh publish "$policy" --all --mesh "$ENDPOINTS" --publisher demo \
    --token-file "$RUN/operator.token" --nonce "$nonce" "${sigs[@]}" --wait 30 2>&1 | sed 's/^/   /'
}
echo
echo "== publishing policies/mesh-demo.yaml once, to all routers (token + 3 peer signatures)"
publish policies/mesh-demo.yaml
echo
echo "== udp/5555 across the ring now (the policy denies it at every router)"
traffic_table

echo
echo "== killing etcd member m1 (kill -9 PID ${PIDS[etcd-m1]}): two of three keep the quorum"
disown "${PIDS[etcd-m1]}" # no "Killed" job notice in the middle of the output
kill -9 "${PIDS[etcd-m1]}"
gone() { ! kill -0 "${PIDS[etcd-m1]}" 2>/dev/null; }
wait_for 10 "etcd m1 to die" gone
unset 'PIDS[etcd-m1]'
printf 'version: 1\ncharter:\n  default: allow\n' >"$RUN/lifted.yaml"
echo "== publishing an allow-all policy with one member down"
publish "$RUN/lifted.yaml"
echo "== r3's own view (wwctl status): the mesh link"
ctl 3 status | sed -n '/^mesh:/,/^programs:/p' | sed '$d' | sed 's/^/   /'

echo
echo "== a forged bundle written straight into etcd (a changed policy under the old credentials)"
key=/westworld/v1/default/policy/target/all
in_core etcdctl --endpoints "$ENDPOINTS" get --print-value-only "$key" >"$RUN/bundle.json"
jq -c '.request.policy |= sub("default: allow"; "default: deny")' "$RUN/bundle.json" >"$RUN/forged.json"
in_core etcdctl --endpoints "$ENDPOINTS" put "$key" "$(cat "$RUN/forged.json")" >/dev/null
refused_everywhere() { [[ $(nodes_json | jq '[.[] | select(.refusals > 0)] | length') == "$ROUTERS" ]]; }
wait_for 30 "every router to refuse the forged bundle" refused_everywhere
nodes_json | jq -r '.[] | "   \(.id) refused it: \(.last_refusal.reason)"'
echo "   digests the routers enforce: $(nodes_json | jq -r '[.[].applied_digest[0:16]] | unique | join(", ")')"

echo
echo "== wwctl mesh status, on r3 (m1 is still down)"
ctl 3 mesh status --mesh "$ENDPOINTS" | sed 's/^/   /'
echo
echo "== cleaning up: agents and etcd stopped by PID, guards detached, namespaces removed"
