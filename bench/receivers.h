// The three receivers of the live run, each on the receiver's veth:
//   empty     ww_empty_xdp attached natively: the limit of this path
//   guard     ww_guard_xdp attached natively with the bench policy
//   nftables  no XDP program; the translated policy in a netdev ingress table
// Each reports cumulative counts; the live run subtracts snapshots.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "guard_counters.h"
#include "westworld/dataplane/guard_maps.h"

namespace westworld::bench {

struct ReceiverCounts {
  uint64_t processed = 0;                     // frames the receiver's hook handled
  uint64_t delivered = 0;                     // passed on to the stack
  uint64_t dropped = 0;                       // dropped by the receiver's decision
  std::map<std::string, uint64_t> interface;  // ethtool -S of both veths
  GuardVerdicts guard;                        // guard only
};

ReceiverCounts operator-(const ReceiverCounts& after, const ReceiverCounts& before);

struct LiveTopology {
  std::string tx_netns, rx_netns, tx_iface, rx_iface;
  uint32_t rx_ifindex = 0;
};

class Receiver {
 public:
  virtual ~Receiver() = default;
  virtual const char* name() const = 0;
  virtual void attach() = 0;
  virtual void detach() = 0;
  virtual ReceiverCounts counts() const = 0;
};

std::unique_ptr<Receiver> make_empty_receiver(const LiveTopology& topology, int empty_prog_fd);
std::unique_ptr<Receiver> make_guard_receiver(const LiveTopology& topology,
                                              const dataplane::Guard& guard);
std::unique_ptr<Receiver> make_nft_receiver(const LiveTopology& topology,
                                            const std::string& ruleset_path);

// Validates a ruleset with `nft -c -f` in the receiver's namespace (the
// device must exist); throws std::runtime_error with nft's complaint.
void check_nft_ruleset(const LiveTopology& topology, const std::string& ruleset_path);

// Removes the bench's nft table and XDP program from the receiver, if present.
void clear_receiver(const LiveTopology& topology);

}  // namespace westworld::bench
