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

BIN=build/bin
ROUTERS=5
CORE=ww-mesh-core
RUN=/run/westworld-mesh
PINS=/sys/fs/bpf/westworld-mesh
HOST=10.252.0.1
ENDPOINTS="http://$HOST:23791,http://$HOST:23792,http://$HOST:23793"
PEERS=(p1 p2 p3)
declare -A PIDS=() # name -> PID of everything this script started

router_ns() { echo "ww-mesh-r$1"; }
ctl() { # ctl N ARGS...: wwctl against router N's agent
  local n=$1
  shift
  "$BIN/wwctl" --netns "$(router_ns "$n")" --control "$RUN/r$n.sock" --state-dir "$RUN/r$n" \
    --pin-root "$PINS-r$n" "$@"
}
in_core() { ip netns exec "$CORE" "$@"; }

cleanup() {
  set +e
  for name in "${!PIDS[@]}"; do kill -9 "${PIDS[$name]}" 2>/dev/null; done
  for name in "${!PIDS[@]}"; do wait "${PIDS[$name]}" 2>/dev/null; done
  for n in $(seq "$ROUTERS"); do
    [[ -d $PINS-r$n ]] && ctl "$n" detach >/dev/null 2>&1
    rm -rf "$PINS-r$n"
  done
  for n in $(seq "$ROUTERS"); do ip netns del "$(router_ns "$n")" 2>/dev/null; done
  ip netns del "$CORE" 2>/dev/null
  rm -rf "$RUN"
}
trap cleanup EXIT
cleanup


echo "== building the ring: $ROUTERS routers, a core namespace for etcd"
mkdir -p "$RUN" && chmod 700 "$RUN"
ip netns add "$CORE"
ip -n "$CORE" link set lo up
ip -n "$CORE" link add br0 type bridge
ip -n "$CORE" addr add "$HOST/24" dev br0
ip -n "$CORE" link set br0 up
for n in $(seq "$ROUTERS"); do
  ns=$(router_ns "$n")
  ip netns add "$ns"
  ip -n "$ns" link set lo up
  ip link add ctl netns "$ns" type veth peer name "c$n" netns "$CORE"
  ip -n "$CORE" link set "c$n" master br0 up
  ip -n "$ns" addr add "10.252.0.$((10 + n))/24" dev ctl
  ip -n "$ns" link set ctl up
done
for n in $(seq "$ROUTERS"); do
  next=$((n % ROUTERS + 1))
  ip link add east netns "$(router_ns "$n")" type veth peer name west netns "$(router_ns "$next")"
  ip -n "$(router_ns "$n")" addr add "10.253.$n.1/24" dev east
  ip -n "$(router_ns "$next")" addr add "10.253.$n.2/24" dev west
  ip -n "$(router_ns "$n")" link set east up
  ip -n "$(router_ns "$next")" link set west up
done

echo "== starting etcd: 3 members in $CORE"
cluster=""
for m in 1 2 3; do cluster+="${cluster:+,}m$m=http://$HOST:2380$m"; done
start_etcd() {
  local m=$1
  # A plain command, not a function, in the background: $! is then etcd's own PID
  # (ip netns exec execs it), which is what cleanup kills.
  ip netns exec "$CORE" etcd --name "m$m" --data-dir "$RUN/etcd-m$m" \
    --listen-client-urls "http://$HOST:2379$m" --advertise-client-urls "http://$HOST:2379$m" \
    --listen-peer-urls "http://$HOST:2380$m" --initial-advertise-peer-urls "http://$HOST:2380$m" \
    --initial-cluster "$cluster" --initial-cluster-token "ww-mesh-demo-$$" \
    --initial-cluster-state new --experimental-enable-lease-checkpoint \
    --logger zap --log-level warn >"$RUN/etcd-m$m.log" 2>&1 &
  PIDS[etcd-m$m]=$!
}
is_etcd() { [[ $(cat "/proc/$1/comm" 2>/dev/null) == etcd ]]; }
for m in 1 2 3; do start_etcd "$m"; done
for m in 1 2 3; do wait_for 5 "etcd m$m to exec" is_etcd "${PIDS[etcd-m$m]}"; done
wait_for 30 "etcd to elect a leader" in_core etcdctl --endpoints "$ENDPOINTS" endpoint health

echo "== keys: the capability root, an operator token, three peers who sign mass changes"
"$BIN/wwctl" token keygen "$RUN/root.key" >/dev/null
"$BIN/wwctl" token mint --key "$RUN/root.key" --id operator --caveat "action = policy.apply" \
  >"$RUN/operator.token"
chmod 600 "$RUN/operator.token"
for p in "${PEERS[@]}"; do "$BIN/wwctl" peer keygen "$RUN/$p.key" --peer "$p"; done >"$RUN/peers"
sed 's/^/   peer /' "$RUN/peers"

echo "== starting $ROUTERS agents, each with its trust gate closed and an allow-all policy"
printf 'version: 1\ncharter:\n  default: allow\n' >"$RUN/allow-all.yaml"
for n in $(seq "$ROUTERS"); do
  mkdir -p "$RUN/r$n"
  "$BIN/westworld-agent" --netns "$(router_ns "$n")" --policy "$RUN/allow-all.yaml" \
    --iface east --iface west --xdp-mode native --control "$RUN/r$n.sock" --state-dir "$RUN/r$n" \
    --data-dir "$RUN/r$n" \
    --pin-root "$PINS-r$n" --metrics off --node-id "r$n" \
    --trust-root-key "$RUN/root.key" --peers "$RUN/peers" --mesh-size "$ROUTERS" \
    --mesh "$ENDPOINTS" --mesh-address "10.252.0.$((10 + n))" --mesh-lease-ttl 5 \
    2>"$RUN/r$n.log" &
  PIDS[agent-r$n]=$!
done
nodes_json() { in_core "$BIN/wwctl" mesh nodes --json --mesh "$ENDPOINTS"; }
registered() { [[ $(nodes_json | jq '[.[] | select(.alive)] | length') == "$ROUTERS" ]]; }
wait_for 60 "every router to register" registered

mesh_nodes() {
  in_core "$BIN/wwctl" mesh nodes --mesh "$ENDPOINTS" | sed 's/^/   /'
}
mesh_nodes

# traffic_table: for each router, 20 packets to udp/5555 from its west neighbour.
traffic_table() {
  printf '   %-8s %-22s %6s %10s\n' router "sender -> address" sent delivered
  for n in $(seq "$ROUTERS"); do
    local prev=$(((n + ROUTERS - 2) % ROUTERS + 1)) dst="10.253.$(((n + ROUTERS - 2) % ROUTERS + 1)).2"
    ip netns exec "$(router_ns "$n")" "$BIN/ww-traffic" recv --port 5555 --duration-ms 1500 \
      --quiet-ms 400 >"$RUN/recv.json" &
    local recv=$!
    sleep 0.2
    local sent
    sent=$(ip netns exec "$(router_ns "$prev")" "$BIN/ww-traffic" send --dst "$dst" --dport 5555 \
      --count 20 --pps 200 | jq .sent)
    wait "$recv"
    printf '   %-8s %-22s %6d %10d\n' "r$n" "r$prev -> $dst" "$sent" "$(jq .total "$RUN/recv.json")"
  done
}
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
