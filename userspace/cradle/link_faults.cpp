#include "westworld/cradle/link_faults.h"

#include <bpf/libbpf.h>
#include <net/if.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "link_fault.skel.h"
#include "westworld/dataplane/library_log.h"
#include "westworld/harness/command.h"
#include "westworld/harness/netns.h"

namespace westworld::cradle {
namespace {

// Before the guard's own tc program (priority 0x5757): a direct-action program that says
// TC_ACT_OK ends the chain, so a fault placed after the guard would never see a packet.
constexpr uint32_t kFaultPriority = 1;
constexpr uint32_t kFaultHandle = 0xfa17;

}  // namespace

struct LinkFault::End {
  InterfaceRef where;
  link_fault* skel = nullptr;
  bpf_tc_hook hook{};
  bool hook_created = false;

  ~End() {
    if (hook_created) {
      // The namespace may already be gone, and the hook with it: nothing to undo then.
      try {
        harness::NetnsScope scope(where.netns);
        // Only our filter: the hook (clsact) is the guard's too.
        bpf_tc_opts opts{};
        opts.sz = sizeof(opts);
        opts.handle = kFaultHandle;
        opts.priority = kFaultPriority;
        bpf_tc_detach(&hook, &opts);
      } catch (const std::exception&) {
      }
    }
    link_fault__destroy(skel);
  }
};

namespace {

std::runtime_error attach_error(const InterfaceRef& where, const std::string& what, int error) {
  return std::runtime_error("cannot " + what + " on " + where.iface + " in " + where.netns + ": " +
                            std::strerror(error < 0 ? -error : error));
}

}  // namespace

LinkFault::LinkFault(const std::vector<InterfaceRef>& ends) {
  // libbpf would print the kernel's note that the clsact qdisc is already there (the guard
  // made it): kept for an error message, not written to the terminal.
  dataplane::install_library_log();
  for (const InterfaceRef& where : ends) {
    auto end = std::make_unique<End>();
    end->where = where;
    end->skel = link_fault__open_and_load();
    if (!end->skel) throw attach_error(where, "load the link fault program", errno);
    harness::NetnsScope scope(where.netns);
    const unsigned ifindex = if_nametoindex(where.iface.c_str());
    if (ifindex == 0) throw attach_error(where, "find the interface", errno);
    end->hook.sz = sizeof(end->hook);
    end->hook.ifindex = static_cast<int>(ifindex);
    end->hook.attach_point = BPF_TC_EGRESS;
    int err = bpf_tc_hook_create(&end->hook);
    if (err && err != -EEXIST) throw attach_error(where, "create the tc egress hook", err);
    end->hook_created = true;
    bpf_tc_opts opts{};
    opts.sz = sizeof(opts);
    opts.prog_fd = bpf_program__fd(end->skel->progs.link_fault);
    opts.handle = kFaultHandle;
    opts.priority = kFaultPriority;
    err = bpf_tc_attach(&end->hook, &opts);
    if (err) throw attach_error(where, "attach the link fault program", err);
    ends_.push_back(std::move(end));
  }
}

LinkFault::~LinkFault() = default;

void LinkFault::set_loss_ppm(uint32_t ppm) {
  for (auto& end : ends_) end->skel->bss->loss_ppm = ppm;
}

void LinkFault::set_partitioned(bool partitioned) {
  for (auto& end : ends_) end->skel->bss->partitioned = partitioned ? 1 : 0;
}

uint64_t LinkFault::dropped() const {
  uint64_t total = 0;
  for (const auto& end : ends_) total += end->skel->bss->dropped;
  return total;
}

void limit_rate(const std::vector<InterfaceRef>& ends, uint64_t bits_per_second) {
  for (const InterfaceRef& end : ends)
    harness::run_checked(harness::in_namespace(
        end.netns, {"tc", "qdisc", "replace", "dev", end.iface, "root", "tbf", "rate",
                    std::to_string(bits_per_second) + "bit", "burst", "32kb", "latency", "50ms"}));
}

void remove_rate_limit(const std::vector<InterfaceRef>& ends) {
  for (const InterfaceRef& end : ends)
    harness::run_command(
        harness::in_namespace(end.netns, {"tc", "qdisc", "del", "dev", end.iface, "root"}));
}

void set_link_up(const std::vector<InterfaceRef>& ends, bool up) {
  for (const InterfaceRef& end : ends)
    harness::run_checked(harness::in_namespace(
        end.netns, {"ip", "link", "set", "dev", end.iface, up ? "up" : "down"}));
}

}  // namespace westworld::cradle
