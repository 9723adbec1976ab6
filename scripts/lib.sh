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
