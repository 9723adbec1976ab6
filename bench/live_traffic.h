// Packets per second through a veth pair between two network namespaces:
// the generator (traffic_generator.h) sends from the sender's veth, and the
// receiver's veth runs, interleaved within every repetition, the empty XDP
// program, the guard and nftables (receivers.h) on the same traffic.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "profile.h"

namespace westworld::bench {

struct LiveInputs {
  std::string tx_netns, rx_netns, tx_iface, rx_iface;
  std::string pin_root;     // the guard's own, unpinned on return
  std::string policy_path;  // the bench policy both the guard and nft enforce
  std::string nft_path;     // its translation (nft_translator.h)
};

nlohmann::json measure_live_traffic(const Profile& profile, const LiveInputs& inputs);

}  // namespace westworld::bench
