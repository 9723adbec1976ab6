#!/usr/bin/env bash
# The governance demo: five routers in a ring follow their mesh's governance. Five members
# vote with their own keys; a passed proposal reaches the routers in canary waves; a
# proposal whose canary breaks a legitimate flow fails its gate and every released router
# returns to its previous policy by itself; then the members replace one of them by a passed
# proposal. Windows and bake times are SHORTENED to seconds
# for the demo (the defaults are 72 h to vote and 30 min per wave). Everything it starts is
# stopped by PID and removed at the end, also on failure. Run by scripts/demo.sh, or alone:
#
#   sudo scripts/governance.sh        (NO_BUILD=1 skips setup and build)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
prepare_demo

RING=gov HOST_NET=10.254.0 RING_NET=10.255 ETCD_PORT=2389 PEER_PORT=2390
source scripts/ring.sh
trap ring_cleanup EXIT
ring_cleanup

ring_build
ring_start_etcd

GENESIS="" # set by gov init; every later command checks the mesh's genesis against it
gov() { in_core "$BIN/wwctl" gov "$@" --mesh "$ENDPOINTS" ${GENESIS:+--gov-genesis "$GENESIS"}; }
now() { date +%s.%N; }
since() { echo "$1" | awk -v t="$(now)" '{printf "%.1f", t - $1}'; }

echo "== five members, one key each (wwctl peer keygen); the members file:"
for n in $(seq "$ROUTERS"); do "$BIN/wwctl" peer keygen "$RUN/m$n.key" --peer "r$n"; done >"$RUN/members"
sed 's/^/   /' "$RUN/members"

echo "== founding the mesh's governance (SHORTENED for the demo: 1 s samples, 2 good samples"
echo "   per wave, no twin report required: scripts/cradle.sh shows the twin on its own)"
GENESIS=$(gov init --members "$RUN/members" --min-window 10s --sample-interval 1s \
  --min-samples 2 --bake 4s --experiment-above-ppm 1000000 --nodata-limit 20 2>"$RUN/init.log")
sed 's/^/   /' "$RUN/init.log"
echo "   --gov-genesis $GENESIS"

echo "== starting $ROUTERS agents with --gov-genesis: each applies only what it verified as passed"
ring_start_agents --gov-genesis "$GENESIS"
mesh_nodes

echo
echo "== udp/5555 across the ring before any proposal (everything arrives)"
traffic_table

# propose POLICY TITLE ARGS...: prints the proposal id.
propose() {
  local policy=$1 title=$2
  shift 2
  gov propose "$policy" --title "$title" --key "$RUN/m1.key" --member r1 --window 10m \
    --gate "drop_rate.rule <= 50" "$@" 2>"$RUN/propose.log"
}
vote() { gov vote "$1" "$2" --key "$RUN/m$3.key" --member "r$3" | sed 's/^/   /'; }

echo
echo "== r1 proposes policies/mesh-demo.yaml (deny udp/5555) in waves of 1 router, 50%, 100%"
ID=$(propose policies/mesh-demo.yaml "no tracking collector on udp/5555" --waves 1,50%,100% --bake 4s)
sed 's/^/   /' "$RUN/propose.log"
echo "   id $ID"
echo "== the members vote: r4 no, r1 yes, r2 yes (not passed yet), then r3 yes"
vote "$ID" no 4
vote "$ID" yes 1
vote "$ID" yes 2
gov tally "$ID" | sed 's/^/   /'
vote "$ID" yes 3
passed=$(now)
echo "== the rollout, live (wwctl gov rollout status --watch): the coordinator releases a wave"
echo "   only after its bake time and 2 good samples from every released router"
gov rollout status "$ID" --watch 120 | sed 's/^/   /'
all_run() {
  local digest
  digest=$(gov rollout status "$ID" --json | jq -r .digest)
  [[ $(nodes_json | jq --arg d "$digest" '[.[] | select(.applied_digest == $d)] | length') == "$ROUTERS" ]]
}
wait_for 30 "every router to run the proposal" all_run
echo "   from the passing vote to 100% of the routers: $(since "$passed") s"
echo
echo "== udp/5555 across the ring now (every router denies it)"
traffic_table

echo
echo "== a candidate that breaks a legitimate flow: r1 proposes denying udp/5556, which every"
echo "   router receives at 200 packets/s; the gate is drop_rate.rule <= 50 per router"
sed 's/\[5555\]/[5555, 5556]/' policies/mesh-demo.yaml >"$RUN/breaks-5556.yaml"
for n in $(seq "$ROUTERS"); do
  prev=$(((n + ROUTERS - 2) % ROUTERS + 1))
  ip netns exec "$(router_ns "$prev")" "$BIN/ww-traffic" send --dst "$RING_NET.$prev.2" \
    --dport 5556 --count 20000 --pps 200 >/dev/null 2>&1 &
  PIDS[flow-r$n]=$!
done
BAD=$(propose "$RUN/breaks-5556.yaml" "also deny udp/5556" --waves 1,100% --bake 4s)
for m in 1 2 3; do vote "$BAD" yes "$m"; done
gov rollout status "$BAD" --watch 120 | sed 's/^/   /'
aborted=$(now)
back() { [[ $(nodes_json | jq --arg d "$(gov rollout status "$ID" --json | jq -r .digest)" \
  '[.[] | select(.applied_digest == $d)] | length') == "$ROUTERS" ]]; }
wait_for 30 "every router to roll back" back
echo "   every router back on the previous policy $(since "$aborted") s after the abort was seen"
canary=$(gov rollout status "$BAD" --json | jq -r '.waves[0].nodes[0]')
echo "== the canary's audit log ($canary): what it verified, applied and rolled back"
"$BIN/wwctl" audit log --log "$RUN/${canary}/audit.db" | grep -E "gov_" | sed 's/^/   /'

echo
echo "== the members change by a passed proposal: r6 takes r5's seat. In effect when its voting"
echo "   window closes (10 s, SHORTENED for the demo), never earlier; until then r6 cannot vote"
"$BIN/wwctl" peer keygen "$RUN/m6.key" --peer r6 >"$RUN/m6.line"
gov members --file | grep -v '^r5 ' >"$RUN/members.next"
cat "$RUN/m6.line" >>"$RUN/members.next"
MID=$(gov propose --members "$RUN/members.next" --title "r6 takes r5's seat" --key "$RUN/m1.key" \
  --member r1 --window 10s 2>"$RUN/propose.log")
sed 's/^/   /' "$RUN/propose.log"
for n in 1 2 3; do vote "$MID" yes "$n"; done
for _ in $(seq 30); do
  [[ $(gov members --json | jq length) == 2 ]] && break
  sleep 1
done
gov members | sed 's/^/   /'

echo
echo "== wwctl gov list"
gov list | sed 's/^/   /'
echo
echo "== cleaning up: agents, flows and etcd stopped by PID, guards detached, namespaces removed"
