# The five-router ring the mesh demos share (sourced after lib.sh). The caller sets
# RING (a short name: namespaces, run and pin directories derive from it) and HOST_NET
# and RING_NET (the core bridge's /24 and the ring links' /16 prefix), then calls
# ring_build, ring_start_etcd and ring_start_agents. Everything started is recorded in
# PIDS and stopped by PID in ring_cleanup (an EXIT trap), also on failure.
#
#            r1 ---- r2                core namespace: bridge $HOST_NET.1/24,
#           /          \               etcd m1 m2 m3 on $HOST_NET.1:$PORT{1,2,3}
#         r5            r3             every router's "ctl" port is on the bridge
#           \          /               ring links: rN east <-> rN+1 west, $RING_NET.N.0/24
#            `-- r4 --'                (the XDP guard runs on east and west)

BIN=build/bin
ROUTERS=5
CORE=ww-$RING-core
RUN=/run/westworld-$RING
PINS=/sys/fs/bpf/westworld-$RING
HOST=$HOST_NET.1
ENDPOINTS="http://$HOST:${ETCD_PORT}1,http://$HOST:${ETCD_PORT}2,http://$HOST:${ETCD_PORT}3"
declare -A PIDS=() # name -> PID of everything the script started

router_ns() { echo "ww-$RING-r$1"; }
ctl() { # ctl N ARGS...: wwctl against router N's agent
  local n=$1
  shift
  "$BIN/wwctl" --netns "$(router_ns "$n")" --control "$RUN/r$n.sock" --state-dir "$RUN/r$n" \
    --pin-root "$PINS-r$n" "$@"
}
in_core() { ip netns exec "$CORE" "$@"; }

ring_cleanup() {
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

ring_build() {
  echo "== building the ring: $ROUTERS routers, a core namespace for etcd"
  mkdir -p "$RUN" && chmod 700 "$RUN"
  ip netns add "$CORE"
  ip -n "$CORE" link set lo up
  ip -n "$CORE" link add br0 type bridge
  ip -n "$CORE" addr add "$HOST/24" dev br0
  ip -n "$CORE" link set br0 up
  local n ns next
  for n in $(seq "$ROUTERS"); do
    ns=$(router_ns "$n")
    ip netns add "$ns"
    ip -n "$ns" link set lo up
    ip link add ctl netns "$ns" type veth peer name "c$n" netns "$CORE"
    ip -n "$CORE" link set "c$n" master br0 up
    ip -n "$ns" addr add "$HOST_NET.$((10 + n))/24" dev ctl
    ip -n "$ns" link set ctl up
  done
  for n in $(seq "$ROUTERS"); do
    next=$((n % ROUTERS + 1))
    ip link add east netns "$(router_ns "$n")" type veth peer name west netns "$(router_ns "$next")"
    ip -n "$(router_ns "$n")" addr add "$RING_NET.$n.1/24" dev east
    ip -n "$(router_ns "$next")" addr add "$RING_NET.$n.2/24" dev west
    ip -n "$(router_ns "$n")" link set east up
    ip -n "$(router_ns "$next")" link set west up
  done
}

ring_cluster() {
  local m cluster=""
  for m in 1 2 3; do cluster+="${cluster:+,}m$m=http://$HOST:${PEER_PORT}$m"; done
  echo "$cluster"
}
start_etcd() {
  local m=$1
  # A plain command, not a function, in the background: $! is then etcd's own PID
  # (ip netns exec execs it), which is what cleanup kills.
  ip netns exec "$CORE" etcd --name "m$m" --data-dir "$RUN/etcd-m$m" \
    --listen-client-urls "http://$HOST:${ETCD_PORT}$m" \
    --advertise-client-urls "http://$HOST:${ETCD_PORT}$m" \
    --listen-peer-urls "http://$HOST:${PEER_PORT}$m" \
    --initial-advertise-peer-urls "http://$HOST:${PEER_PORT}$m" \
    --initial-cluster "$(ring_cluster)" --initial-cluster-token "ww-$RING-demo-$$" \
    --initial-cluster-state new --experimental-enable-lease-checkpoint \
    --logger zap --log-level warn >"$RUN/etcd-m$m.log" 2>&1 &
  PIDS[etcd-m$m]=$!
}
is_etcd() { [[ $(cat "/proc/$1/comm" 2>/dev/null) == etcd ]]; }
ring_start_etcd() {
  echo "== starting etcd: 3 members in $CORE"
  local m
  for m in 1 2 3; do start_etcd "$m"; done
  for m in 1 2 3; do wait_for 5 "etcd m$m to exec" is_etcd "${PIDS[etcd-m$m]}"; done
  wait_for 30 "etcd to elect a leader" in_core etcdctl --endpoints "$ENDPOINTS" endpoint health
}

# ring_start_agents FLAGS...: one agent per router with an allow-all policy and FLAGS.
ring_start_agents() {
  printf 'version: 1\ncharter:\n  default: allow\n' >"$RUN/allow-all.yaml"
  local n
  for n in $(seq "$ROUTERS"); do
    mkdir -p "$RUN/r$n"
    "$BIN/westworld-agent" --netns "$(router_ns "$n")" --policy "$RUN/allow-all.yaml" \
      --iface east --iface west --xdp-mode native --control "$RUN/r$n.sock" \
      --state-dir "$RUN/r$n" --data-dir "$RUN/r$n" --pin-root "$PINS-r$n" --metrics off \
      --node-id "r$n" --mesh "$ENDPOINTS" --mesh-address "$HOST_NET.$((10 + n))" \
      --mesh-lease-ttl 5 "$@" 2>"$RUN/r$n.log" &
    PIDS[agent-r$n]=$!
  done
  wait_for 60 "every router to register" registered
}
nodes_json() { in_core "$BIN/wwctl" mesh nodes --json --mesh "$ENDPOINTS"; }
registered() { [[ $(nodes_json | jq '[.[] | select(.alive)] | length') == "$ROUTERS" ]]; }
mesh_nodes() { in_core "$BIN/wwctl" mesh nodes --mesh "$ENDPOINTS" | sed 's/^/   /'; }

# traffic_table: for each router, 20 packets to udp/5555 from its west neighbour.
traffic_table() {
  printf '   %-8s %-22s %6s %10s\n' router "sender -> address" sent delivered
  local n prev dst recv sent
  for n in $(seq "$ROUTERS"); do
    prev=$(((n + ROUTERS - 2) % ROUTERS + 1)) dst="$RING_NET.$(((n + ROUTERS - 2) % ROUTERS + 1)).2"
    ip netns exec "$(router_ns "$n")" "$BIN/ww-traffic" recv --port 5555 --duration-ms 1500 \
      --quiet-ms 400 >"$RUN/recv.json" &
    recv=$!
    sleep 0.2
    sent=$(ip netns exec "$(router_ns "$prev")" "$BIN/ww-traffic" send --dst "$dst" --dport 5555 \
      --count 20 --pps 200 | jq .sent)
    wait "$recv"
    printf '   %-8s %-22s %6d %10d\n' "r$n" "r$prev -> $dst" "$sent" "$(jq .total "$RUN/recv.json")"
  done
}
