// The bench's traffic: UDP frames from N sources to one service, either to the
// port the bench policy allows or to the one it denies (bench_policy.h), in a
// fixed pattern of 10 packets so every run knows how many drops it owes.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "westworld/abi.h"
#include "westworld/policy/model.h"

namespace westworld::bench {

// vlan: 802.1Q-tagged frames, IPv4 and IPv6 alternating.
enum class TrafficFamily { ipv4, ipv6, vlan };
// pass_heavy: 9 of every 10 packets to the allowed port; drop_heavy: 9 of 10 denied.
enum class TrafficMix { pass_heavy, drop_heavy };

const char* to_string(TrafficFamily family);
const char* to_string(TrafficMix mix);

inline constexpr uint32_t kMixPeriod = 10;
inline constexpr uint16_t kVlanId = 100;
inline constexpr size_t kPayloadBytes = 18;  // a 60-byte IPv4 frame, the Ethernet minimum
inline constexpr const char* kServiceIpv4 = "192.0.2.1";
inline constexpr const char* kServiceIpv6 = "2001:db8::1";

// Packet n of a run is drop-intended when n % kMixPeriod < drops_per_period(mix).
uint32_t drops_per_period(TrafficMix mix);
uint64_t intended_drops(TrafficMix mix, uint64_t packets);

// Source i: 10.0.0.1 + i, or fd00:0:(i >> 16):(i & 0xffff)::1 (one /64 each),
// as the traffic generator writes them (trafficgen.h).
std::string source_address(policy::Family family, uint32_t index);
// The source's key in ww_sources: the address masked to the /32 or /64 identity.
ww_source_key source_key(policy::Family family, uint32_t index);

struct MacPair {
  std::string src = "02:00:00:00:00:01";
  std::string dst = "02:00:00:00:00:02";
};

std::vector<uint8_t> build_frame(policy::Family family, bool vlan, uint32_t source, uint16_t dport,
                                 const MacPair& macs = {});

struct BenchFrame {
  std::vector<uint8_t> bytes;
  policy::Family family = policy::Family::ipv4;
  uint32_t source = 0;
  bool drop_intended = false;
};

// `count` frames (a multiple of kMixPeriod) spread evenly over the sources,
// with the mix's pattern of drop-intended frames.
std::vector<BenchFrame> frame_set(TrafficFamily family, TrafficMix mix, uint32_t n_sources,
                                  uint32_t count);

// The sources a frame set draws from: (address family, how many from index 0).
// vlan traffic splits its N sources evenly between IPv4 and IPv6.
std::vector<std::pair<policy::Family, uint32_t>> source_population(TrafficFamily family,
                                                                   uint32_t n_sources);

}  // namespace westworld::bench
