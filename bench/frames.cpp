#include "frames.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "bench_policy.h"
#include "packet_builder.h"
#include "trafficgen.h"

namespace westworld::bench {
namespace {

using policy::Family;

std::array<uint8_t, 16> address_bytes(Family family, uint32_t index) {
  std::array<uint8_t, 16> addr{};
  if (family == Family::ipv4) {
    const uint32_t host = WW_GEN_IPV4_SOURCE_BASE + index;
    for (int b = 0; b < 4; ++b) addr[b] = static_cast<uint8_t>(host >> (24 - 8 * b));
  } else {
    addr[0] = 0xfd;
    addr[4] = static_cast<uint8_t>(index >> 24);
    addr[5] = static_cast<uint8_t>(index >> 16);
    addr[6] = static_cast<uint8_t>(index >> 8);
    addr[7] = static_cast<uint8_t>(index);
    addr[15] = 1;
  }
  return addr;
}

}  // namespace

const char* to_string(TrafficFamily family) {
  switch (family) {
    case TrafficFamily::ipv6:
      return "ipv6";
    case TrafficFamily::vlan:
      return "vlan";
    case TrafficFamily::ipv4:
      break;
  }
  return "ipv4";
}

const char* to_string(TrafficMix mix) {
  return mix == TrafficMix::drop_heavy ? "drop-heavy" : "pass-heavy";
}

uint32_t drops_per_period(TrafficMix mix) { return mix == TrafficMix::drop_heavy ? 9 : 1; }

uint64_t intended_drops(TrafficMix mix, uint64_t packets) {
  const uint64_t per_period = drops_per_period(mix);
  return packets / kMixPeriod * per_period + std::min<uint64_t>(packets % kMixPeriod, per_period);
}

std::string source_address(Family family, uint32_t index) {
  const std::array<uint8_t, 16> addr = address_bytes(family, index);
  char text[INET6_ADDRSTRLEN] = {};
  inet_ntop(family == Family::ipv4 ? AF_INET : AF_INET6, addr.data(), text, sizeof text);
  return text;
}

ww_source_key source_key(Family family, uint32_t index) {
  ww_source_key key{};
  key.family = static_cast<uint8_t>(family);
  const std::array<uint8_t, 16> addr = address_bytes(family, index);
  // Identity prefixes of the bench policy: /32 and /64.
  std::memcpy(key.addr, addr.data(), family == Family::ipv4 ? 4 : 8);
  return key;
}

std::vector<uint8_t> build_frame(Family family, bool vlan, uint32_t source, uint16_t dport,
                                 const MacPair& macs) {
  test::PacketBuilder builder;
  builder.ethernet(macs.src, macs.dst);
  if (vlan) builder.vlan(0x8100, kVlanId);
  if (family == Family::ipv4) {
    builder.ipv4(source_address(family, source), kServiceIpv4);
  } else {
    builder.ipv6(source_address(family, source), kServiceIpv6);
  }
  return builder.udp(kSourcePort, dport).payload(kPayloadBytes).build();
}

std::vector<BenchFrame> frame_set(TrafficFamily family, TrafficMix mix, uint32_t n_sources,
                                  uint32_t count) {
  if (count == 0 || count % kMixPeriod != 0)
    throw std::invalid_argument("a frame set holds a multiple of 10 frames");
  const bool vlan = family == TrafficFamily::vlan;
  const uint32_t families = vlan ? 2 : 1;
  const uint32_t per_family = std::max<uint32_t>(1, n_sources / families);
  const uint32_t frames_per_family = count / families;
  std::vector<BenchFrame> frames;
  for (uint32_t j = 0; j < count; ++j) {
    BenchFrame frame;
    frame.family =
        family == TrafficFamily::ipv6 || (vlan && j % 2 == 1) ? Family::ipv6 : Family::ipv4;
    const uint64_t slot = j / families;
    frame.source = static_cast<uint32_t>(slot * per_family / frames_per_family);
    frame.drop_intended = j % kMixPeriod < drops_per_period(mix);
    frame.bytes =
        build_frame(frame.family, vlan, frame.source, frame.drop_intended ? kDropPort : kPassPort);
    frames.push_back(std::move(frame));
  }
  return frames;
}

std::vector<std::pair<Family, uint32_t>> source_population(TrafficFamily family,
                                                           uint32_t n_sources) {
  switch (family) {
    case TrafficFamily::ipv4:
      return {{Family::ipv4, n_sources}};
    case TrafficFamily::ipv6:
      return {{Family::ipv6, n_sources}};
    case TrafficFamily::vlan:
      break;
  }
  const uint32_t half = std::max<uint32_t>(1, n_sources / 2);
  return {{Family::ipv4, half}, {Family::ipv6, half}};
}

}  // namespace westworld::bench
