#!/usr/bin/env bash
# The charter demo: a router whose exporter offers whitelisted, unknown and forbidden
# metrics, and a collector that may only see what the charter allows. It scrapes the
# exporter on the router (everything), then the telemetry gate from the collector (only the
# whitelist), tries the exporter directly from the collector (dropped in XDP), sends to the
# collector from a process on the router (dropped on tc egress and named), and shows the
# violations; then two of three operators lift a flow rule for 8 s (an emergency override)
# and it comes back by itself. Everything it starts is stopped by PID and removed at the
# end, also on failure. Run by scripts/demo.sh, or alone:
#
#   sudo scripts/charter.sh        (NO_BUILD=1 skips setup and build)
#
#   router ns  lan 10.254.0.1/24  <-- veth -->  collector ns  eth0 10.254.0.2/24
#   (agent, gate on :9101, exporter on :9100)   (the policy's collector)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
prepare_demo

BIN=build/bin
ROUTER=ww-charter-router
COLLECTOR=ww-charter-collector
RUN=/run/westworld-charter
PINS=/sys/fs/bpf/westworld-charter
declare -A PIDS=() # name -> PID of everything this script started

ctl() { "$BIN/wwctl" --netns "$ROUTER" --control "$RUN/agent.sock" --state-dir "$RUN/state" \
  --data-dir "$RUN/data" --pin-root "$PINS" "$@"; }
in_router() { ip netns exec "$ROUTER" "$@"; }
in_collector() { ip netns exec "$COLLECTOR" "$@"; }

cleanup() {
  set +e
  for name in "${!PIDS[@]}"; do kill -9 "${PIDS[$name]}" 2>/dev/null; done
  for name in "${!PIDS[@]}"; do wait "${PIDS[$name]}" 2>/dev/null; done
  [[ -d $PINS ]] && ctl detach >/dev/null 2>&1
  rm -rf "$PINS"
  ip netns del "$ROUTER" 2>/dev/null
  ip netns del "$COLLECTOR" 2>/dev/null
  rm -rf "$RUN"
}
trap cleanup EXIT
cleanup

families() { grep '^# TYPE' | awk '{print "   " $3}'; }

echo "== a router and a collector, one veth between them"
mkdir -p "$RUN/data" && chmod 700 "$RUN" "$RUN/data"
ip netns add "$ROUTER"
ip netns add "$COLLECTOR"
ip -n "$ROUTER" link set lo up
ip -n "$COLLECTOR" link set lo up
ip link add lan netns "$ROUTER" type veth peer name eth0 netns "$COLLECTOR"
ip -n "$ROUTER" addr add 10.254.0.1/24 dev lan
ip -n "$COLLECTOR" addr add 10.254.0.2/24 dev eth0
ip -n "$ROUTER" link set lan up
ip -n "$COLLECTOR" link set eth0 up

cat >"$RUN/exposition.txt" <<'TEXT'
# HELP latency_p50 Median link latency in seconds.
# TYPE latency_p50 gauge
latency_p50{link="wan"} 0.012
# TYPE cpu_usage_percent gauge
cpu_usage_percent 41
# TYPE node_boot_time_seconds gauge
node_boot_time_seconds 1.7e+09
# HELP user_location Where the user is.
# TYPE user_location gauge
user_location{city="somewhere"} 1
TEXT
cat >"$RUN/router.yaml" <<'YAML'
version: 1
charter:
  default: allow
  flows:
    - {name: no-lan-console, action: deny, proto: tcp, dst: [10.254.0.1/32], dst_ports: [2323]}
  telemetry:
    whitelist:
      - {name: latency_p50, access: public, retention_days: 30}
      - {name: cpu_usage_percent, access: operator, retention_days: 30}
    forbidden:
      - {name: user_location, severity: critical, reason: "where a person is"}
    collectors:
      - {address: [10.254.0.2/32]}   # no ports: only the gate may send it anything
    exporters: [http://127.0.0.1:9100/metrics]
YAML

echo "== an exporter on the router, listening on every address (as many do)"
in_router "$BIN/ww-fake-exporter" --listen 0.0.0.0:9100 --file "$RUN/exposition.txt" \
  >"$RUN/exporter.log" 2>&1 &
PIDS[exporter]=$!
wait_for 10 "the exporter" in_router curl -sf http://127.0.0.1:9100/metrics

echo "== three operators' keys (wwctl peer keygen); any two may sign an emergency override"
for op in alice bob carol; do
  ctl peer keygen "$RUN/$op.key" --peer "$op" >>"$RUN/operators"
done
sed 's/^/   /' "$RUN/operators"

echo "== westworld-agent with the telemetry gate on 10.254.0.1:9101"
"$BIN/westworld-agent" --netns "$ROUTER" --iface lan --policy "$RUN/router.yaml" \
  --control "$RUN/agent.sock" --state-dir "$RUN/state" --data-dir "$RUN/data" \
  --pin-root "$PINS" --telemetry-gate 10.254.0.1:9101 --node-id router \
  --operators "$RUN/operators" >"$RUN/agent.log" 2>&1 &
PIDS[agent]=$!
wait_for 30 "the agent" ctl status

echo
echo "== on the router, the exporter offers four families:"
in_router curl -sf http://127.0.0.1:9100/metrics | families
echo "== from the collector, through the gate, one arrives:"
in_collector curl -sf http://10.254.0.1:9101/metrics | sed 's/^/   /'

echo
echo "== the collector tries the exporter directly: dropped in XDP"
if in_collector curl -sf --max-time 2 http://10.254.0.1:9100/metrics >/dev/null; then
  echo "charter.sh: the direct scrape got through" >&2
  exit 1
fi
echo "   no answer (curl gave up after 2 s)"
echo "== a process on the router (uid nobody) sends to the collector itself: dropped on tc egress"
in_router setpriv --reuid=65534 --regid=65534 --clear-groups \
  "$BIN/ww-traffic" send --dst 10.254.0.2 --dport 9090 --count 3 --proto udp | sed 's/^/   /'
bypass_recorded() { ctl charter violations --json | grep -q gate_bypass; }
wait_for 10 "the gate_bypass violation" bypass_recorded

echo
echo "== drops by reason (westworld_dropped_packets_total)"
in_router curl -sf http://127.0.0.1:9477/metrics |
  grep -E 'westworld_dropped_packets_total\{.*telemetry' | sed 's/^/   /'
echo
echo "== wwctl charter violations"
ctl charter violations | sed 's/^/   /'
echo
echo "== wwctl charter report"
ctl charter report | sed 's/^/   /'

echo
echo "== emergency override: one operator is not enough"
ctl charter override --rules no-lan-console --reason "relief team console" --affected router \
  --for 8s --key "$RUN/alice.key" 2>&1 | sed 's/^/   /' || true
echo "== alice and carol lift no-lan-console for 8 s"
ctl charter override --rules no-lan-console --reason "relief team console" --affected router \
  --for 8s --key "$RUN/alice.key" --key "$RUN/carol.key" | sed 's/^/   /'
ctl status | grep LIFTED | sed 's/^/   /'
rule_back() { ! ctl status | grep -q LIFTED; }
wait_for 30 "the override's expiry" rule_back
echo "== 8 s later the rule is back by itself"
ctl charter overrides | sed 's/^/   /'
echo "== both ends are in the audit log"
"$BIN/wwctl" audit log --log "$RUN/data/audit.db" | grep emergency_override | cut -c1-150 |
  sed 's/^/   /'

echo
echo "== cleaning up"
cleanup
trap - EXIT
