// Faults on the twin's links, all upstream of the receiving router's XDP guard:
//   loss and silent partition  link_fault.bpf.c at tc egress of both ends of the link
//   rate limit                 a TBF root qdisc on both ends (tc)
//   link down                  both ends set down, so each side loses its carrier
// What this kernel cannot do (delay: no netem) is not here; the run lists it as unmodelled.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace westworld::cradle {

// One interface in one namespace.
struct InterfaceRef {
  std::string netns;
  std::string iface;
};

// The BPF fault program on both ends of one link, attached for the object's lifetime (the
// hook goes with it). Loss and partition can change while traffic flows.
class LinkFault {
 public:
  // Throws std::runtime_error naming the interface if the program cannot be loaded or
  // attached.
  explicit LinkFault(const std::vector<InterfaceRef>& ends);
  ~LinkFault();
  LinkFault(const LinkFault&) = delete;
  LinkFault& operator=(const LinkFault&) = delete;

  void set_loss_ppm(uint32_t ppm);
  void set_partitioned(bool partitioned);
  uint64_t dropped() const;  // by every end, so far

 private:
  struct End;
  std::vector<std::unique_ptr<End>> ends_;
};

// TBF at `bits_per_second` as the root qdisc of each end, or back to the default qdisc.
void limit_rate(const std::vector<InterfaceRef>& ends, uint64_t bits_per_second);
void remove_rate_limit(const std::vector<InterfaceRef>& ends);

// `ip link set ... down|up` on each end.
void set_link_up(const std::vector<InterfaceRef>& ends, bool up);

}  // namespace westworld::cradle
