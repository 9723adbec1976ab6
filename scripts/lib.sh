# Shared by the scripts: root check and bpffs.
need_root() {
  if [[ $EUID -ne 0 ]]; then
    echo "$(basename "$0"): needs root (XDP, BPF maps and network namespaces); run with sudo" >&2
    exit 1
  fi
}

ensure_bpffs() {
  if ! mountpoint -q /sys/fs/bpf; then
    mount -t bpf bpf /sys/fs/bpf
  fi
}

# What a demo script does first: root, the packages and the build (unless NO_BUILD=1, when
# demo.sh has done them already), bpffs.
prepare_demo() {
  need_root
  if [[ -z ${NO_BUILD:-} ]]; then
    scripts/setup.sh
    scripts/build.sh >/dev/null
  fi
  ensure_bpffs
}

# wait_for SECONDS WHAT COMMAND...: polls COMMAND until it succeeds, or fails the script,
# showing the tail of every log in $RUN (the calling script's run directory).
wait_for() {
  local deadline=$((SECONDS + $1)) what=$2
  shift 2
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then
      echo "$(basename "$0"): timed out waiting for $what" >&2
      for f in "$RUN"/*.log; do echo "--- $f" >&2 && tail -20 "$f" >&2; done
      exit 1
    fi
    sleep 0.1
  done
}
