#!/usr/bin/env bash
# Installs the Debian 12 packages Westworld builds, tests and runs with.
# Idempotent: packages already present are left alone, and apt is only
# consulted when something is missing.
set -euo pipefail

packages=(
  build-essential cmake pkg-config ninja-build
  clang llvm libelf-dev zlib1g-dev
  libclang-rt-14-dev
  libbpf-dev libxdp-dev bpftool linux-libc-dev
  libyaml-cpp-dev libspdlog-dev libfmt-dev libboost-dev
  libsodium-dev nlohmann-json3-dev libcli11-dev libsqlite3-dev
  python3 python3-pymacaroons
  libgtest-dev libgmock-dev
  iproute2 nftables ethtool jq gnuplot-nox curl util-linux
  prometheus-cpp-dev prometheus
  libssl-dev openssl
  etcd-server etcd-client
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if ((${#missing[@]})); then
  if [[ $EUID -ne 0 ]]; then
    echo "setup.sh: missing packages (${missing[*]}); run as root to install them" >&2
    exit 1
  fi
  echo "setup.sh: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
  # Westworld needs only the prometheus and promtool binaries (its tests run their own
  # server inside a namespace); the package's system service would listen on every
  # address, so a service this script just installed is switched off again.
  if [[ " ${missing[*]} " == *" prometheus "* ]] && [[ -d /run/systemd/system ]]; then
    systemctl disable --now prometheus.service >/dev/null 2>&1 || true
  fi
fi

# etcd-server's postinst starts a system etcd on 2379/2380 and enables it at boot. The
# mesh runs its own members on ports it chooses (tests and the demo alike), and an etcd
# nobody configured, without auth, listening for whoever asks, is not a safe default:
# stop and disable it every time (idempotent; a no-op when it does not run).
if [[ $EUID -eq 0 ]] && dpkg-query -W -f='${Status}' etcd-server 2>/dev/null | grep -q 'ok installed'; then
  if [[ -d /run/systemd/system ]]; then
    systemctl disable --now etcd.service >/dev/null 2>&1 || true
  else
    invoke-rc.d etcd stop >/dev/null 2>&1 || true
    update-rc.d etcd disable >/dev/null 2>&1 || true
  fi
  # Whatever still runs as the packaged service (its data dir tells it apart from ours).
  pkill -f -- '--data-dir[= ]/var/lib/etcd' 2>/dev/null || true
  pkill -u etcd -x etcd 2>/dev/null || true
fi
