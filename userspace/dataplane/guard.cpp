#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>

#include "westworld/abi.h"
#include "westworld/dataplane/bpffs.h"
#include "westworld/dataplane/error.h"
#include "westworld/dataplane/guard_maps.h"
#include "westworld/dataplane/library_log.h"
#include "ww_guard.skel.h"

namespace westworld::dataplane {
namespace {

constexpr const char* kXdpProgramPin = "ww_guard_xdp";
constexpr const char* kTcProgramPin = "ww_guard_tc";
constexpr const char* kAbiPin = "ww_abi";
constexpr const char* kIfacesPin = "ww_ifaces";
constexpr size_t kVerifierTailLines = 30;

// Map pins are named after the maps (LIBBPF_PIN_BY_NAME); this table is the
// one place that ties each name to its handle.
template <typename Fn>
void for_each_map(GuardMaps& maps, Fn&& fn) {
  fn("ww_active", maps.active);
  fn("ww_config", maps.config);
  fn("ww_rules", maps.rules);
  fn("ww_src_lpm", maps.src_lpm);
  fn("ww_dst_lpm", maps.dst_lpm);
  fn("ww_port_index", maps.port_index);
  fn("ww_port_vec", maps.port_vec);
  fn("ww_proto_vec", maps.proto_vec);
  fn("ww_class_lpm", maps.class_lpm);
  fn("ww_classes", maps.classes);
  fn("ww_sources", maps.sources);
  fn("ww_iface_win", maps.iface_win);
  fn(kIfacesPin, maps.ifaces);
  fn("ww_stats", maps.stats);
  fn("ww_drop_stats", maps.drop_stats);
  fn("ww_rule_stats", maps.rule_stats);
  fn("ww_events", maps.events);
  fn("ww_event_budget", maps.event_budget);
  fn("ww_quarantine", maps.quarantine);
  fn("ww_node", maps.node);
  fn("ww_bypass", maps.bypass);
}

UniqueFd open_pin(const std::string& path) {
  int fd = bpf_obj_get(path.c_str());
  if (fd < 0) throw Error(describe_errno("cannot open pinned object " + path, errno));
  return UniqueFd(fd);
}

uint32_t prog_id(int fd) {
  bpf_prog_info info{};
  uint32_t len = sizeof info;
  if (bpf_obj_get_info_by_fd(fd, &info, &len) != 0) return 0;
  return info.id;
}

std::string mismatch_remedy() { return ": run `wwctl detach`, then start the agent again"; }

// Stamps a freshly loaded guard with this binary's ABI before anything can adopt it (adopters
// look for the program pins, which come later), then freezes the stamp. A ww_abi reused from
// stale pins already carries a version: it must be ours.
void stamp_abi_version(int fd, const std::string& pin_root) {
  const uint32_t zero = 0;
  ww_abi abi{};
  if (bpf_map_lookup_elem(fd, &zero, &abi) != 0)
    throw Error(describe_errno("cannot read ww_abi under " + pin_root, errno));
  if (abi.version == WW_ABI_VERSION) return;
  if (abi.version != 0)
    throw Error("ww_* maps of map ABI " + std::to_string(abi.version) + " are pinned under " +
                pin_root + ", this binary speaks map ABI " + std::to_string(WW_ABI_VERSION) +
                mismatch_remedy());
  abi.version = WW_ABI_VERSION;
  if (bpf_map_update_elem(fd, &zero, &abi, BPF_ANY) != 0 || bpf_map_freeze(fd) != 0)
    throw Error(describe_errno("cannot record the map ABI in ww_abi under " + pin_root, errno));
}

// Adopting a guard of another map ABI would misread every map it shares with this binary.
void check_abi_version(const std::string& pin_root) {
  const std::string what = "the guard pinned under " + pin_root;
  const std::string path = pin_root + "/" + kAbiPin;
  if (!pin_exists(path))
    throw Error(what + " predates map ABI 3 (it has no ww_abi pin); this binary speaks map ABI " +
                std::to_string(WW_ABI_VERSION) + mismatch_remedy());
  UniqueFd fd = open_pin(path);
  const uint32_t zero = 0;
  ww_abi abi{};
  if (bpf_map_lookup_elem(fd.get(), &zero, &abi) != 0)
    throw Error(describe_errno("cannot read " + path, errno));
  if (abi.version != WW_ABI_VERSION)
    throw Error(what + " speaks map ABI " + std::to_string(abi.version) +
                ", this binary speaks map ABI " + std::to_string(WW_ABI_VERSION) +
                mismatch_remedy());
}

struct SkeletonDeleter {
  void operator()(ww_guard* skel) const { ww_guard__destroy(skel); }
};

}  // namespace

bool Guard::is_pinned(const std::string& pin_root) {
  return pin_exists(pin_root + "/" + kXdpProgramPin);
}

Guard Guard::load(const LoadOptions& options) {
  if (ensure_bpffs_mounted())
    std::fprintf(stderr,
                 "westworld: mounted a new bpffs at %s: its pins last only as long as this mount "
                 "namespace (under `ip netns exec`, prefer --netns NAME)\n",
                 kBpffsRoot);
  if (::mkdir(options.pin_root.c_str(), 0700) != 0 && errno != EEXIST) {
    const int err = errno;
    throw Error(describe_errno("cannot create the pin directory " + options.pin_root, err) +
                (err == EACCES || err == EPERM ? " (run as root)" : ""));
  }

  install_library_log();
  clear_recent_library_log();
  LIBBPF_OPTS(bpf_object_open_opts, open_opts, .pin_root_path = options.pin_root.c_str());
  std::unique_ptr<ww_guard, SkeletonDeleter> skel(ww_guard__open_opts(&open_opts));
  if (!skel) throw Error(describe_errno("cannot open the guard BPF object", errno));

  if (int err = bpf_map__set_max_entries(skel->maps.ww_sources, options.max_sources))
    throw Error(describe_errno("cannot size ww_sources", err));

  if (int err = ww_guard__load(skel.get())) {
    ::rmdir(options.pin_root.c_str());  // libbpf already unpinned the maps it pinned
    if (-err == EPERM || errno == EPERM)
      throw Error(
          "permission denied loading the guard's BPF programs: run as root (or with "
          "CAP_BPF, CAP_NET_ADMIN and CAP_PERFMON)");
    throw Error(describe_errno("the kernel rejected the guard BPF programs", err) +
                "\nverifier and libbpf said (last lines):\n" +
                recent_library_log(kVerifierTailLines) +
                "If ww_* maps from another Westworld version are pinned under " + options.pin_root +
                ", run `wwctl detach` first.");
  }

  stamp_abi_version(bpf_map__fd(skel->maps.ww_abi), options.pin_root);

  std::string xdp_pin = options.pin_root + "/" + kXdpProgramPin;
  std::string tc_pin = options.pin_root + "/" + kTcProgramPin;
  if (int err = bpf_program__pin(skel->progs.ww_guard_xdp, xdp_pin.c_str()))
    throw Error(describe_errno("cannot pin " + xdp_pin, err));
  if (int err = bpf_program__pin(skel->progs.ww_guard_tc, tc_pin.c_str()))
    throw Error(describe_errno("cannot pin " + tc_pin, err));

  // From here on, this process holds the guard exactly as a later one will:
  // through its pins.
  return adopt(options.pin_root);
}

Guard Guard::adopt(const std::string& pin_root) {
  ensure_bpffs_mounted();
  if (!is_pinned(pin_root))
    throw Error("no Westworld guard is pinned under " + pin_root + " (is the agent running?)");
  check_abi_version(pin_root);
  Guard guard;
  guard.pin_root_ = pin_root;
  for_each_map(guard.maps_,
               [&](const char* name, UniqueFd& fd) { fd = open_pin(pin_root + "/" + name); });
  guard.programs_.xdp = open_pin(pin_root + "/" + kXdpProgramPin);
  guard.programs_.tc = open_pin(pin_root + "/" + kTcProgramPin);
  return guard;
}

Guard Guard::adopt_to_remove(const std::string& pin_root) {
  ensure_bpffs_mounted();
  if (!is_pinned(pin_root))
    throw Error("no Westworld guard is pinned under " + pin_root + " (is the agent running?)");
  Guard guard;
  guard.pin_root_ = pin_root;
  guard.maps_.ifaces = open_pin(pin_root + "/" + kIfacesPin);
  guard.programs_.xdp = open_pin(pin_root + "/" + kXdpProgramPin);
  guard.programs_.tc = open_pin(pin_root + "/" + kTcProgramPin);
  return guard;
}

void Guard::unpin(const std::string& pin_root) {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(pin_root, ec)) {
    std::filesystem::remove(entry.path(), ec);
  }
  std::filesystem::remove(pin_root, ec);
}

uint32_t Guard::xdp_program_id() const { return prog_id(programs_.xdp.get()); }
uint32_t Guard::tc_program_id() const { return prog_id(programs_.tc.get()); }

uint32_t Guard::max_sources() const {
  bpf_map_info info{};
  uint32_t len = sizeof info;
  if (bpf_obj_get_info_by_fd(maps_.sources.get(), &info, &len) != 0) return 0;
  return info.max_entries;
}

}  // namespace westworld::dataplane
