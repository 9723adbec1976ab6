#!/usr/bin/env bash
# Westworld's performance bench. Sets up and builds (like scripts/test.sh),
# joins two private network namespaces with a veth pair, runs ww-bench
# (program cost, live veth traffic against the empty XDP program and
# nftables, control plane), draws the plots with gnuplot and prints the
# results table. Everything it creates is removed again, also on failure.
#
#   sudo scripts/bench.sh           full run, under 30 minutes
#   sudo scripts/bench.sh --quick   under 5 minutes
#   sudo scripts/bench.sh --smoke   seconds: a self-check of the harness (ctest runs this)
#
# Results: bench/results/<date>-<host>/ with results.json, results.md, the
# PNG plots, the benchmark policy and its nftables translation.
# More options: --no-setup (skip setup.sh and build.sh), --bin-dir DIR (where
# ww-bench, westworld-agent and wwctl are), --out DIR; anything else goes to
# `ww-bench run`, e.g. --sections program or --live-seconds 5.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

mode=full
setup=1
bin_dir=build/bin
out=
run_args=()
while (($#)); do
  case $1 in
    --quick) mode=quick ;;
    --smoke) mode=smoke ;;
    --no-setup) setup=0 ;;
    --bin-dir) bin_dir=$2; shift ;;
    --out) out=$2; shift ;;
    -h | --help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) run_args+=("$1") ;;
  esac
  shift
done

need_root
if ((setup)); then
  scripts/setup.sh
  scripts/build.sh >/dev/null
fi
ensure_bpffs
if ! command -v gnuplot >/dev/null; then
  echo "bench.sh: gnuplot is missing (Debian package gnuplot-nox)" >&2
  exit 1
fi
if [[ ! -x $bin_dir/ww-bench ]]; then
  echo "bench.sh: $bin_dir/ww-bench is missing; build it (scripts/build.sh)" >&2
  exit 1
fi

out=${out:-bench/results/$(date +%Y-%m-%d-%H%M%S)-$(hostname -s)}
mkdir -p "$out"

# Private names per run: parallel runs (and ctest) never meet.
tag=$$
tx_ns=wwb-tx-$tag
rx_ns=wwb-rx-$tag
pins=/sys/fs/bpf/ww-bench-$tag

cleanup() {
  set +e
  ip netns del "$tx_ns" 2>/dev/null
  ip netns del "$rx_ns" 2>/dev/null
  # ww-bench unpins what it pinned; this is for a run that was killed.
  for dir in "$pins"-*; do
    [[ -d $dir ]] && rm -rf "$dir"
  done
}
trap cleanup EXIT

# The sender's veth (wwb-tx) and the receiver's (wwb-rx), nothing else in
# either namespace: no addresses, no routes, so no traffic can leave them.
ip netns add "$tx_ns"
ip netns add "$rx_ns"
ip -n "$tx_ns" link add wwb-tx address 02:77:62:00:00:01 type veth \
  peer name wwb-rx netns "$rx_ns" address 02:77:62:00:00:02
for ns in "$tx_ns" "$rx_ns"; do ip -n "$ns" link set lo up; done
ip -n "$tx_ns" link set wwb-tx up
ip -n "$rx_ns" link set wwb-rx up

echo "bench.sh: $mode run, results in $out" >&2
mode_flag=()
[[ $mode == full ]] || mode_flag=("--$mode")
rc=0
"$bin_dir/ww-bench" run "${mode_flag[@]}" --out "$out" --bin-dir "$bin_dir" \
  --tx-netns "$tx_ns" --rx-netns "$rx_ns" --tx-iface wwb-tx --rx-iface wwb-rx \
  --pin-root "$pins" "${run_args[@]}" || rc=$?
if [[ ! -f $out/results.json ]]; then
  echo "bench.sh: ww-bench wrote no results (exit $rc)" >&2
  exit 1
fi

gnuplot -e "datadir='$out'" bench/plots.gp
echo
cat "$out/results.md"
echo
echo "results: $out/results.json; plots: $(cd "$out" && ls ./*.png 2>/dev/null | tr '\n' ' ')"
exit "$rc"
