// Builds raw Ethernet frames for BPF_PROG_TEST_RUN tests of the XDP program.
//
// Layers are recorded in call order and serialized only by build(), so every length field,
// next-protocol field and checksum describes what actually follows it. The raw overrides
// (ipv4_ihl, ip_version, ...) exist to break exactly one field for malformed-packet tests;
// checksums are still computed over the bytes really written, so nothing else is wrong.
#pragma once

#include <netinet/in.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <variant>
#include <vector>

namespace westworld::test {

namespace tcp_flags {
inline constexpr uint8_t kFin = 0x01;
inline constexpr uint8_t kSyn = 0x02;
inline constexpr uint8_t kRst = 0x04;
inline constexpr uint8_t kPsh = 0x08;
inline constexpr uint8_t kAck = 0x10;
}  // namespace tcp_flags

inline constexpr uint16_t kArpRequest = 1;
inline constexpr uint16_t kArpReply = 2;

namespace detail {

using MacAddress = std::array<uint8_t, 6>;

// Raw values written instead of the computed ones; unset means "compute it".
struct IpOverrides {
  std::optional<uint8_t> version;
  std::optional<uint8_t> protocol;  // IPv4 protocol / IPv6 next header
  std::optional<uint8_t> ihl;       // IPv4 only
  std::optional<uint16_t> length;   // IPv4 total length / IPv6 payload length
};

struct EthernetLayer {
  MacAddress src;
  MacAddress dst;
};
struct VlanLayer {
  uint16_t tpid;
  uint16_t tci;
};
struct ArpLayer {
  uint16_t opcode;
  in_addr sender_ip;
  in_addr target_ip;
};
struct Ipv4Layer {
  in_addr src;
  in_addr dst;
  uint8_t ttl;
  std::vector<uint8_t> options{};  // already padded to a multiple of 4 bytes
  uint16_t identification = 1;
  uint16_t fragment_offset_units = 0;  // 8-byte units, as on the wire
  bool more_fragments = false;
  IpOverrides overrides{};
};
struct Ipv6Layer {
  in6_addr src;
  in6_addr dst;
  uint8_t hop_limit;
  IpOverrides overrides{};
};
// Hop-by-hop and destination options share one layout; `protocol` tells them apart.
struct Ipv6OptionsLayer {
  uint8_t protocol;
};
struct Ipv6RoutingLayer {
  uint8_t routing_type;
  uint8_t segments_left;
};
struct Ipv6FragmentLayer {
  uint16_t offset_units;
  bool more_fragments;
  uint32_t identification;
};
// IPsec authentication header (RFC 4302): fixed 12 bytes plus the integrity check value.
struct Ipv6AuthLayer {
  uint8_t icv_bytes;
};
// Mobility header (RFC 6275), padded to `length` bytes.
struct Ipv6MobilityLayer {
  uint8_t mh_type;
  size_t length;
};
struct UdpLayer {
  uint16_t sport;
  uint16_t dport;
};
struct TcpLayer {
  uint16_t sport;
  uint16_t dport;
  uint8_t flags;
};
struct IcmpLayer {
  uint8_t type;
  uint8_t code;
};
struct Icmpv6Layer {
  uint8_t type;
  uint8_t code;
};
struct PayloadLayer {
  std::vector<uint8_t> bytes;
};

using Layer =
    std::variant<EthernetLayer, VlanLayer, ArpLayer, Ipv4Layer, Ipv6Layer, Ipv6OptionsLayer,
                 Ipv6RoutingLayer, Ipv6FragmentLayer, Ipv6AuthLayer, Ipv6MobilityLayer, UdpLayer,
                 TcpLayer, IcmpLayer, Icmpv6Layer, PayloadLayer>;

}  // namespace detail

// Methods throw std::invalid_argument for unparsable addresses or impossible values, and
// std::logic_error when a modifier has no header to modify or build() meets a layer that
// cannot follow the previous one (e.g. UDP directly after Ethernet).
class PacketBuilder {
 public:
  // Locally administered, so they can never collide with a real NIC.
  static constexpr std::string_view kDefaultSrcMac = "02:00:00:00:00:01";
  static constexpr std::string_view kDefaultDstMac = "02:00:00:00:00:02";

  // Layer 2. An L2 header followed by nothing or by raw payload gets the local
  // experimental ethertype 0x88b5.
  PacketBuilder& ethernet(std::string_view src_mac = kDefaultSrcMac,
                          std::string_view dst_mac = kDefaultDstMac);
  // tpid is 0x8100 (802.1Q) or 0x88a8 (802.1ad); the previous header's ethertype becomes it.
  PacketBuilder& vlan(uint16_t tpid, uint16_t vlan_id, uint8_t priority = 0);
  // Sender MAC is the source MAC of the nearest preceding ethernet().
  PacketBuilder& arp(uint16_t opcode = kArpRequest, std::string_view sender_ip = "192.0.2.1",
                     std::string_view target_ip = "192.0.2.2");

  // IPv4. An IP header followed by nothing or by raw payload gets protocol 59 (no next
  // header). The modifiers below apply to the most recent ipv4().
  PacketBuilder& ipv4(std::string_view src, std::string_view dst, uint8_t ttl = 64);
  // Padded with zero (end-of-options) bytes to a multiple of 4; IHL grows to match.
  PacketBuilder& ipv4_options(std::vector<uint8_t> options);
  // offset_bytes must be a multiple of 8 (it is stored in 8-byte units).
  PacketBuilder& fragment(uint16_t offset_bytes, bool more_fragments, uint16_t identification = 1);

  // IPv6 and its extension headers, chained through next-header in call order. Options
  // headers are 8 bytes of padding, the routing header has no addresses.
  PacketBuilder& ipv6(std::string_view src, std::string_view dst, uint8_t hop_limit = 64);
  PacketBuilder& hop_by_hop();
  PacketBuilder& routing(uint8_t routing_type = 0, uint8_t segments_left = 0);
  PacketBuilder& destination_options();
  PacketBuilder& ipv6_fragment(uint16_t offset_bytes, bool more_fragments,
                               uint32_t identification = 1);
  // AH with an integrity check value of `icv_bytes` (a multiple of 4; 12 is HMAC-SHA1-96).
  // Its length field counts 4-byte units minus 2, unlike every other extension header.
  PacketBuilder& authentication_header(uint8_t icv_bytes = 12);
  // A mobility header of `length` bytes (a multiple of 8, at least 8), of MH type `mh_type`
  // (5, binding update, by default), its next header naming what follows.
  PacketBuilder& mobility(size_t length = 16, uint8_t mh_type = 5);

  // Layer 4. Checksums cover everything up to the end of the frame and, for UDP, TCP and
  // ICMPv6, the pseudo-header of the nearest preceding IP header.
  PacketBuilder& udp(uint16_t sport, uint16_t dport);
  PacketBuilder& tcp(uint16_t sport, uint16_t dport, uint8_t flags = tcp_flags::kSyn);
  PacketBuilder& icmp(uint8_t type, uint8_t code);
  PacketBuilder& icmpv6(uint8_t type, uint8_t code);

  // `length` bytes counting up from 0 (mod 256), so offsets are easy to spot in a dump.
  PacketBuilder& payload(size_t length);
  PacketBuilder& payload_bytes(std::vector<uint8_t> bytes);

  // Raw overrides for malformed-packet tests.
  PacketBuilder& ipv4_ihl(uint8_t ihl);                         // most recent ipv4()
  PacketBuilder& ipv4_total_length(uint16_t total_length);      // most recent ipv4()
  PacketBuilder& ipv6_payload_length(uint16_t payload_length);  // most recent ipv6()
  PacketBuilder& ip_version(uint8_t version);                   // most recent ipv4() or ipv6()
  PacketBuilder& ip_protocol(uint8_t protocol);                 // most recent ipv4() or ipv6()

  std::vector<uint8_t> build() const;
  // The full frame cut to its first `length` bytes (or whole, if shorter): every field
  // still describes the untruncated packet, as on a capture with a small snaplen.
  std::vector<uint8_t> build_truncated(size_t length) const;

 private:
  template <typename LayerType>
  LayerType& last_layer(const char* caller);
  detail::IpOverrides& last_ip_overrides(const char* caller);

  std::vector<detail::Layer> layers_;
};

}  // namespace westworld::test
