#!/usr/bin/env bash
# The Westworld demo: builds, makes a three-node mesh in network namespaces,
# guards the router with policies/demo.yaml, sends traffic that the policy
# allows, denies, audits and rate-limits, prints what arrived and why the
# rest did not, then removes everything it created. Then scripts/charter.sh: the
# telemetry gate, a forbidden metric withheld and telemetry around the gate dropped; and
# scripts/mesh.sh: five routers sharing one published policy through a 3-member etcd cluster.
# Then scripts/governance.sh (votes and canary waves) and scripts/cradle.sh (a policy tried in
# a twin of namespaces running the real agent, under faults, before anyone votes).
#
#   alpha (10.199.1.2) --veth-- router --veth-- bravo (10.199.2.2)
#                        [XDP ingress + tc egress guard on both router ports]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
need_root
scripts/setup.sh
scripts/build.sh >/dev/null
ensure_bpffs

BIN=build/bin
ROUTER=ww-demo-router
POLICY=policies/demo.yaml
RUN=/run/westworld-demo
PINS=/sys/fs/bpf/westworld-demo
CTL=("$BIN/wwctl" --netns "$ROUTER" --control "$RUN/agent.sock" --state-dir "$RUN" --pin-root "$PINS")
AGENT_PID=

cleanup() {
  set +e
  if [[ -n $AGENT_PID ]]; then
    "${CTL[@]}" detach >/dev/null 2>&1
    wait "$AGENT_PID" 2>/dev/null
  fi
  "${CTL[@]}" detach >/dev/null 2>&1
  for ns in ww-demo-router ww-demo-alpha ww-demo-bravo; do ip netns del "$ns" 2>/dev/null; done
  rm -rf "$RUN"
}
trap cleanup EXIT
cleanup

echo "== building the mesh"
for ns in ww-demo-router ww-demo-alpha ww-demo-bravo; do
  ip netns add "$ns"
  ip -n "$ns" link set lo up
done
link() {  # link NAME NET: router port wwd-NAME <-> NAME's wwd-up
  local name=$1 net=$2
  ip link add "wwd-$name" netns "$ROUTER" type veth peer name wwd-up netns "ww-demo-$name"
  ip -n "$ROUTER" addr add "10.199.$net.1/24" dev "wwd-$name"
  ip -n "$ROUTER" addr add "fd00:199:$net::1/64" dev "wwd-$name" nodad
  ip -n "ww-demo-$name" addr add "10.199.$net.2/24" dev wwd-up
  ip -n "ww-demo-$name" addr add "fd00:199:$net::2/64" dev wwd-up nodad
  ip -n "$ROUTER" link set "wwd-$name" up
  ip -n "ww-demo-$name" link set wwd-up up
}
link alpha 1
link bravo 2

echo "== starting westworld-agent with $POLICY"
mkdir -p "$RUN"
"$BIN/westworld-agent" --netns "$ROUTER" --policy "$POLICY" --iface wwd-alpha --iface wwd-bravo \
  --xdp-mode native --control "$RUN/agent.sock" --state-dir "$RUN" --data-dir "$RUN" \
  --pin-root "$PINS" \
  2>"$RUN/agent.log" &
AGENT_PID=$!
for _ in $(seq 100); do [[ -S $RUN/agent.sock ]] && break; sleep 0.1; done
if [[ ! -S $RUN/agent.sock ]]; then
  cat "$RUN/agent.log" >&2
  exit 1
fi
sed 's/^/   agent: /' "$RUN/agent.log"

drops_json() { "${CTL[@]}" status --json | jq -c '[.drops.ingress, .drops.egress] | map(with_entries(.value |= .packets)) | .[0] as $i | .[1] as $e | ($i | keys) | map({(.): ($i[.] + $e[.])}) | add'; }

# why BEFORE AFTER: the drop reasons whose counters moved, e.g. "quota 4410"
why() {
  jq -rn --argjson a "$1" --argjson b "$2" \
    '[$b | keys[] | select($b[.] > $a[.]) | "\(.) \($b[.] - $a[.])"] | if length == 0 then "-" else join(", ") end'
}

printf '\n%-44s %8s %10s %8s  %s\n' "traffic" "sent" "delivered" "dropped" "why (drop reason: packets)"
# scenario LABEL FROM_NS TO_NS DST PORT COUNT PPS [--src ADDR]
scenario() {
  local label=$1 from=$2 to=$3 dst=$4 port=$5 count=$6 pps=$7
  local before after recv sent got
  before=$(drops_json)
  ip netns exec "$to" "$BIN/ww-traffic" recv --port "$port" --duration-ms 2500 --quiet-ms 600 >"$RUN/recv.json" &
  recv=$!
  sleep 0.3
  sent=$(ip netns exec "$from" "$BIN/ww-traffic" send --dst "$dst" --dport "$port" --count "$count" --pps "$pps" | jq .sent)
  wait "$recv"
  got=$(jq .total "$RUN/recv.json")
  after=$(drops_json)
  printf '%-44s %8d %10d %8d  %s\n' "$label" "$sent" "$got" $((sent - got)) "$(why "$before" "$after")"
}

scenario "alpha -> router udp/698 (mesh-routing)" ww-demo-alpha $ROUTER 10.199.1.1 698 300 300
scenario "bravo -> router udp/698 over IPv6" ww-demo-bravo $ROUTER fd00:199:2::1 698 300 300
scenario "bravo -> router udp/5555 (no-user-tracking)" ww-demo-bravo $ROUTER 10.199.2.1 5555 200 400
scenario "bravo -> router udp/8443 (bravo-no-admin)" ww-demo-bravo $ROUTER 10.199.2.1 8443 100 400
scenario "alpha -> router udp/8443 (admin from alpha)" ww-demo-alpha $ROUTER 10.199.1.1 8443 100 400
scenario "alpha -> router udp/4318 (audited)" ww-demo-alpha $ROUTER 10.199.1.1 4318 50 200
scenario "router -> alpha udp/9000 (no-telemetry-export)" $ROUTER ww-demo-alpha 10.199.1.2 9000 100 400

# The takeover attempt: bravo floods while alpha keeps talking.
before=$(drops_json)
ip netns exec $ROUTER "$BIN/ww-traffic" recv --port 698 --duration-ms 4000 --quiet-ms 800 >"$RUN/recv.json" &
recv=$!
sleep 0.3
ip netns exec ww-demo-alpha "$BIN/ww-traffic" send --dst 10.199.1.1 --dport 698 --count 400 --pps 200 >"$RUN/alpha.json" &
alpha=$!
flood=$(ip netns exec ww-demo-bravo "$BIN/ww-traffic" send --dst 10.199.2.1 --dport 698 --count 30000 | jq .sent)
wait "$alpha" "$recv"
after=$(drops_json)
alpha_sent=$(jq .sent "$RUN/alpha.json")
alpha_got=$(jq '.by_source["10.199.1.2"] // 0' "$RUN/recv.json")
bravo_got=$(jq '.by_source["10.199.2.2"] // 0' "$RUN/recv.json")
printf '%-44s %8d %10d %8d  %s\n' "bravo floods udp/698 (quota 1000 pps)" "$flood" "$bravo_got" $((flood - bravo_got)) "$(why "$before" "$after")"
printf '%-44s %8d %10d %8d  %s\n' "  ... meanwhile alpha -> udp/698" "$alpha_sent" "$alpha_got" $((alpha_sent - alpha_got)) "-"

echo
echo "== audit events the agent logged (sampled in the kernel: at most 20/s per CPU)"
grep -c "audit rule=" "$RUN/agent.log" | sed 's/^/   audit events logged: /'
grep "audit rule=" "$RUN/agent.log" | head -3 | sed 's/^/   /'

echo
echo "== wwctl status"
"${CTL[@]}" status | sed 's/^/   /'

echo
echo "== bpftool sees the same state, typed by BTF (bpftool map dump pinned $PINS/ww_config, first lines)"
bpftool map dump pinned "$PINS/ww_config" | head -12 | sed 's/^/   /'
bpftool prog show id "$("${CTL[@]}" status --json | jq .programs.xdp_id)" | sed 's/^/   /'

echo
echo "== cleaning up: wwctl detach, namespaces removed"
cleanup
trap - EXIT

echo
echo "######## the charter: only whitelisted telemetry leaves (scripts/charter.sh) ########"
NO_BUILD=1 scripts/charter.sh

echo
echo "######## the mesh: five routers, one shared state in etcd (scripts/mesh.sh) ########"
NO_BUILD=1 scripts/mesh.sh

echo
echo "######## governance: votes, canary waves, automatic rollback (scripts/governance.sh) ########"
NO_BUILD=1 scripts/governance.sh

echo
echo "######## the Cradle: a policy tried in a twin before the vote (scripts/cradle.sh) ########"
NO_BUILD=1 scripts/cradle.sh
