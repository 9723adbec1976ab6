#include "westworld/dataplane/attach.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <net/if.h>
#include <xdp/libxdp.h>

#include <linux/if_link.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <string>

#include "westworld/abi.h"
#include "westworld/dataplane/error.h"
#include "westworld/dataplane/library_log.h"

namespace westworld::dataplane {
namespace {

// Our tc filter's identity on clsact egress: fixed, so a restarted agent
// and `wwctl detach` find exactly the filter the guard installed.
constexpr uint32_t kTcHandle = 0x5757;  // "WW"
constexpr uint32_t kTcPriority = 0x5757;
constexpr const char* kXdpProgramName = "ww_guard_xdp";
constexpr const char* kXdpDispatcherName = "xdp_dispatcher";  // libxdp's multi-program root

struct MultiprogDeleter {
  void operator()(xdp_multiprog* mp) const { xdp_multiprog__close(mp); }
};
using Multiprog = std::unique_ptr<xdp_multiprog, MultiprogDeleter>;

struct ProgramDeleter {
  void operator()(xdp_program* p) const { xdp_program__close(p); }
};
using Program = std::unique_ptr<xdp_program, ProgramDeleter>;

Multiprog attached_xdp(uint32_t ifindex) {
  xdp_multiprog* mp = xdp_multiprog__get_from_ifindex(static_cast<int>(ifindex));
  if (!mp || libxdp_get_error(mp)) return nullptr;
  return Multiprog(mp);
}

// The guard's program among those attached, in legacy or dispatcher mode.
xdp_program* find_guard(const xdp_multiprog* mp) {
  if (!mp) return nullptr;
  if (xdp_multiprog__is_legacy(mp)) {
    xdp_program* main = xdp_multiprog__main_prog(mp);
    return main && std::strcmp(xdp_program__name(main), kXdpProgramName) == 0 ? main : nullptr;
  }
  for (xdp_program* p = xdp_multiprog__next_prog(nullptr, mp); p;
       p = xdp_multiprog__next_prog(p, mp)) {
    if (std::strcmp(xdp_program__name(p), kXdpProgramName) == 0) return p;
  }
  return nullptr;
}

// The loaded program's name (as the kernel keeps it, at most 15 characters), or "" when the
// program is gone.
std::string program_name(uint32_t id) {
  UniqueFd fd(bpf_prog_get_fd_by_id(id));
  if (!fd) return {};
  bpf_prog_info info{};
  uint32_t length = sizeof info;
  if (bpf_obj_get_info_by_fd(fd.get(), &info, &length) != 0) return {};
  return info.name;
}

const char* mode_name(enum xdp_attach_mode mode) {
  switch (mode) {
    case XDP_MODE_NATIVE:
      return "native";
    case XDP_MODE_SKB:
      return "generic";
    case XDP_MODE_HW:
      return "offload";
    default:
      return "unknown";
  }
}

enum xdp_attach_mode to_libxdp(XdpMode mode) {
  switch (mode) {
    case XdpMode::native:
      return XDP_MODE_NATIVE;
    case XdpMode::generic:
      return XDP_MODE_SKB;
    default:
      return XDP_MODE_UNSPEC;
  }
}

uint32_t mode_number(const std::string& mode) {
  if (mode == "native") return 1;
  if (mode == "generic") return 2;
  if (mode == "offload") return 3;
  return 0;
}

// A guard from an earlier load whose pins are gone (a fresh bpffs, a manual
// unpin) still runs here. Swap it for ours in one step, so the interface is
// never left unguarded; libxdp cannot replace a legacy program, libbpf can.
void replace_stale_guard(const Guard& guard, const Attachment& a, uint32_t stale_id,
                         enum xdp_attach_mode mode) {
  UniqueFd stale(bpf_prog_get_fd_by_id(stale_id));
  if (!stale) throw Error(describe_errno("cannot open the stale guard program on " + a.iface, errno));
  LIBBPF_OPTS(bpf_xdp_attach_opts, opts, .old_prog_fd = stale.get());
  uint32_t flags = XDP_FLAGS_REPLACE | (mode == XDP_MODE_SKB ? XDP_FLAGS_SKB_MODE : XDP_FLAGS_DRV_MODE);
  int err = bpf_xdp_attach(static_cast<int>(a.ifindex), guard.programs().xdp.get(), flags, &opts);
  if (err) throw Error(describe_errno("cannot replace the stale guard on " + a.iface, err));
}

void attach_xdp(const Guard& guard, Attachment& a, XdpMode mode) {
  const uint32_t our_id = guard.xdp_program_id();
  Multiprog existing = attached_xdp(a.ifindex);
  xdp_program* found = find_guard(existing.get());
  if (found && (xdp_program__id(found) == our_id || !xdp_multiprog__is_legacy(existing.get()))) {
    a.adopted = true;
  } else if (found) {
    replace_stale_guard(guard, a, xdp_program__id(found), xdp_multiprog__attach_mode(existing.get()));
    existing = attached_xdp(a.ifindex);
  } else {
    Program prog(xdp_program__from_fd(guard.programs().xdp.get()));
    if (!prog || libxdp_get_error(prog.get()))
      throw Error(describe_errno("libxdp cannot use the guard program", errno));
    int err = xdp_program__attach(prog.get(), static_cast<int>(a.ifindex), to_libxdp(mode), 0);
    if (err) {
      std::string hint;
      if (-err == EEXIST || -err == EBUSY)
        hint = " (another XDP program is attached; detach it or use a kernel with the libxdp "
               "dispatcher)";
      else if (-err == EOPNOTSUPP)
        hint = std::string(" (the driver does not support ") + to_string(mode) + " XDP)";
      throw Error(describe_errno("cannot attach XDP to " + a.iface, err) + hint);
    }
    existing = attached_xdp(a.ifindex);
  }
  if (!existing) throw Error("XDP attach to " + a.iface + " did not take effect");
  a.xdp_mode = mode_name(xdp_multiprog__attach_mode(existing.get()));
  found = find_guard(existing.get());
  a.xdp_prog_id = found ? xdp_program__id(found) : 0;
}

void attach_tc(const Guard& guard, Attachment& a) {
  LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = static_cast<int>(a.ifindex),
              .attach_point = BPF_TC_EGRESS);
  int err = bpf_tc_hook_create(&hook);
  if (err && err != -EEXIST) throw Error(describe_errno("cannot create clsact on " + a.iface, err));

  const uint32_t our_id = guard.tc_program_id();
  LIBBPF_OPTS(bpf_tc_opts, query, .handle = kTcHandle, .priority = kTcPriority);
  if (bpf_tc_query(&hook, &query) == 0 && query.prog_id == our_id) {
    a.tc_prog_id = our_id;
    return;
  }
  LIBBPF_OPTS(bpf_tc_opts, opts, .prog_fd = guard.programs().tc.get(), .flags = BPF_TC_F_REPLACE,
              .handle = kTcHandle, .priority = kTcPriority);
  err = bpf_tc_attach(&hook, &opts);
  if (err) throw Error(describe_errno("cannot attach tc egress to " + a.iface, err));
  a.tc_prog_id = opts.prog_id;
}

void record(const Guard& guard, const Attachment& a) {
  ww_iface_info info{};
  std::strncpy(info.name, a.iface.c_str(), sizeof info.name - 1);
  info.xdp_mode = mode_number(a.xdp_mode);
  info.xdp_prog_id = a.xdp_prog_id;
  info.tc_prog_id = a.tc_prog_id;
  if (bpf_map_update_elem(guard.maps().ifaces.get(), &a.ifindex, &info, BPF_ANY) != 0)
    throw Error(describe_errno("cannot record the attachment in ww_ifaces", errno));
}

}  // namespace

XdpMode parse_xdp_mode(const std::string& text) {
  if (text == "auto") return XdpMode::automatic;
  if (text == "native") return XdpMode::native;
  if (text == "generic") return XdpMode::generic;
  throw Error("unknown XDP mode '" + text + "' (expected auto, native or generic)");
}

const char* to_string(XdpMode mode) {
  switch (mode) {
    case XdpMode::native:
      return "native";
    case XdpMode::generic:
      return "generic";
    default:
      return "auto";
  }
}

uint32_t ifindex_of(const std::string& iface) {
  uint32_t ifindex = if_nametoindex(iface.c_str());
  if (ifindex == 0) throw Error("unknown interface " + iface);
  return ifindex;
}

Attachment attach(const Guard& guard, const std::string& iface, XdpMode mode) {
  install_library_log();
  Attachment a;
  a.iface = iface;
  a.ifindex = ifindex_of(iface);
  attach_xdp(guard, a, mode);
  attach_tc(guard, a);
  record(guard, a);
  return a;
}

uint32_t attached_guard_id(uint32_t ifindex) {
  install_library_log();
  // Asked of the kernel through libbpf first: libxdp 1.3.1 keeps the program fd of a legacy
  // attachment open after xdp_multiprog__close(), one leaked fd per status read.
  LIBBPF_OPTS(bpf_xdp_query_opts, query);
  if (bpf_xdp_query(static_cast<int>(ifindex), 0, &query) != 0) return 0;
  bool dispatcher = false;
  for (const uint32_t id : {query.skb_prog_id, query.drv_prog_id, query.hw_prog_id}) {
    if (id == 0) continue;
    const std::string name = program_name(id);
    if (name == kXdpProgramName) return id;
    dispatcher = dispatcher || name == kXdpDispatcherName;
  }
  if (!dispatcher) return 0;
  // Under the dispatcher the guard is one of its components, which only libxdp lists.
  Multiprog existing = attached_xdp(ifindex);
  const xdp_program* found = find_guard(existing.get());
  return found ? xdp_program__id(found) : 0;
}

bool is_same_interface(uint32_t ifindex, const char* name) {
  char actual[IF_NAMESIZE] = {};
  return if_indextoname(ifindex, actual) && std::strncmp(actual, name, IF_NAMESIZE) == 0;
}

void detach(const Guard& guard, uint32_t ifindex) {
  install_library_log();
  Multiprog existing = attached_xdp(ifindex);
  if (xdp_program* found = find_guard(existing.get())) {
    int err = xdp_multiprog__is_legacy(existing.get())
                  ? xdp_multiprog__detach(existing.get())
                  : xdp_program__detach(found, static_cast<int>(ifindex),
                                        xdp_multiprog__attach_mode(existing.get()), 0);
    if (err) throw Error(describe_errno("cannot detach XDP from ifindex " + std::to_string(ifindex), err));
  }

  LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = static_cast<int>(ifindex),
              .attach_point = BPF_TC_EGRESS);
  LIBBPF_OPTS(bpf_tc_opts, opts, .handle = kTcHandle, .priority = kTcPriority);
  int err = bpf_tc_detach(&hook, &opts);
  if (err && err != -ENOENT && err != -EINVAL && err != -ENODEV)
    throw Error(describe_errno("cannot detach tc egress from ifindex " + std::to_string(ifindex), err));

  bpf_map_delete_elem(guard.maps().ifaces.get(), &ifindex);
}

}  // namespace westworld::dataplane
