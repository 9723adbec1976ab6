#include "packet_builder.h"

#include <arpa/inet.h>

#include <cstdio>
#include <span>
#include <stdexcept>
#include <string>

namespace westworld::test {
namespace {

using namespace detail;

constexpr uint16_t kEthertypeIpv4 = 0x0800;
constexpr uint16_t kEthertypeArp = 0x0806;
constexpr uint16_t kEthertypeIpv6 = 0x86dd;
constexpr uint16_t kEthertypeLocalExperimental = 0x88b5;

constexpr uint8_t kProtoHopByHop = 0;
constexpr uint8_t kProtoIcmp = 1;
constexpr uint8_t kProtoIpv4 = 4;
constexpr uint8_t kProtoTcp = 6;
constexpr uint8_t kProtoUdp = 17;
constexpr uint8_t kProtoIpv6 = 41;
constexpr uint8_t kProtoRouting = 43;
constexpr uint8_t kProtoFragment = 44;
constexpr uint8_t kProtoAuthentication = 51;
constexpr uint8_t kProtoIcmpv6 = 58;
constexpr uint8_t kProtoNoNextHeader = 59;
constexpr uint8_t kProtoDestinationOptions = 60;
constexpr uint8_t kProtoMobility = 135;

constexpr size_t kMaxIpv4OptionBytes = 40;  // IHL is 4 bits: at most 15 words of header

template <typename... Fs>
struct Overloaded : Fs... {
  using Fs::operator()...;
};

MacAddress parse_mac(std::string_view text) {
  const std::string mac_text(text);
  MacAddress mac;
  char trailing;
  if (std::sscanf(mac_text.c_str(), "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx%c", &mac[0], &mac[1], &mac[2],
                  &mac[3], &mac[4], &mac[5], &trailing) != 6) {
    throw std::invalid_argument("not a MAC address: " + mac_text);
  }
  return mac;
}

template <typename Address>
Address parse_ip(int family, std::string_view text) {
  const std::string ip_text(text);
  Address address;
  if (inet_pton(family, ip_text.c_str(), &address) != 1) {
    throw std::invalid_argument("not an IPv" + std::string(family == AF_INET ? "4" : "6") +
                                " address: " + ip_text);
  }
  return address;
}

uint16_t checked_u16(size_t value, const char* field) {
  if (value > 0xffff) {
    throw std::length_error(std::string(field) + " does not fit in 16 bits");
  }
  return static_cast<uint16_t>(value);
}

uint32_t add_words(std::span<const uint8_t> bytes, uint32_t sum) {
  for (size_t i = 0; i < bytes.size(); i += 2) {
    const uint8_t low = i + 1 < bytes.size() ? bytes[i + 1] : 0;  // odd tail is zero-padded
    sum += (bytes[i] << 8) | low;
  }
  return sum;
}

uint16_t fold_and_complement(uint32_t sum) {
  while (sum >> 16) {
    sum = (sum & 0xffff) + (sum >> 16);
  }
  return static_cast<uint16_t>(~sum);
}

size_t wire_size(const Layer& layer) {
  return std::visit(Overloaded{
                        [](const EthernetLayer&) -> size_t { return 14; },
                        [](const VlanLayer&) -> size_t { return 4; },
                        [](const ArpLayer&) -> size_t { return 28; },
                        [](const Ipv4Layer& ip) { return 20 + ip.options.size(); },
                        [](const Ipv6Layer&) -> size_t { return 40; },
                        [](const Ipv6OptionsLayer&) -> size_t { return 8; },
                        [](const Ipv6RoutingLayer&) -> size_t { return 8; },
                        [](const Ipv6FragmentLayer&) -> size_t { return 8; },
                        [](const Ipv6AuthLayer& ah) -> size_t { return 12 + ah.icv_bytes; },
                        [](const Ipv6MobilityLayer& mh) { return mh.length; },
                        [](const UdpLayer&) -> size_t { return 8; },
                        [](const TcpLayer&) -> size_t { return 20; },
                        [](const IcmpLayer&) -> size_t { return 8; },
                        [](const Icmpv6Layer&) -> size_t { return 8; },
                        [](const PayloadLayer& payload) { return payload.bytes.size(); },
                    },
                    layer);
}

// How the header before `layer` announces it in an ethertype field, if it can.
std::optional<uint16_t> ethertype_of(const Layer& layer) {
  return std::visit(Overloaded{
                        [](const VlanLayer& vlan) -> std::optional<uint16_t> { return vlan.tpid; },
                        [](const ArpLayer&) -> std::optional<uint16_t> { return kEthertypeArp; },
                        [](const Ipv4Layer&) -> std::optional<uint16_t> { return kEthertypeIpv4; },
                        [](const Ipv6Layer&) -> std::optional<uint16_t> { return kEthertypeIpv6; },
                        [](const auto&) -> std::optional<uint16_t> { return std::nullopt; },
                    },
                    layer);
}

// How the header before `layer` announces it in an IP protocol / next-header field, if it can.
std::optional<uint8_t> ip_protocol_of(const Layer& layer) {
  using Result = std::optional<uint8_t>;
  return std::visit(Overloaded{
                        [](const Ipv4Layer&) -> Result { return kProtoIpv4; },
                        [](const Ipv6Layer&) -> Result { return kProtoIpv6; },
                        [](const Ipv6OptionsLayer& options) -> Result { return options.protocol; },
                        [](const Ipv6RoutingLayer&) -> Result { return kProtoRouting; },
                        [](const Ipv6FragmentLayer&) -> Result { return kProtoFragment; },
                        [](const Ipv6AuthLayer&) -> Result { return kProtoAuthentication; },
                        [](const Ipv6MobilityLayer&) -> Result { return kProtoMobility; },
                        [](const UdpLayer&) -> Result { return kProtoUdp; },
                        [](const TcpLayer&) -> Result { return kProtoTcp; },
                        [](const IcmpLayer&) -> Result { return kProtoIcmp; },
                        [](const Icmpv6Layer&) -> Result { return kProtoIcmpv6; },
                        [](const auto&) -> Result { return std::nullopt; },
                    },
                    layer);
}

// Source and destination of the IP header that encloses an L4 header (4 or 16 bytes each).
struct PseudoHeaderAddresses {
  std::vector<uint8_t> src;
  std::vector<uint8_t> dst;
};

// L4 checksums cover everything behind the header, so they are filled in once the frame is
// complete.
struct PendingChecksum {
  size_t l4_offset;
  size_t field_offset;
  uint8_t protocol;
  std::optional<PseudoHeaderAddresses> pseudo_header;
};

class FrameWriter {
 public:
  explicit FrameWriter(const std::vector<Layer>& layers)
      : layers_(layers), bytes_from_(layers.size() + 1, 0) {
    for (size_t i = layers.size(); i-- > 0;) {
      bytes_from_[i] = bytes_from_[i + 1] + wire_size(layers[i]);
    }
  }

  std::vector<uint8_t> write() && {
    for (index_ = 0; index_ < layers_.size(); ++index_) {
      std::visit([this](const auto& layer) { write_layer(layer); }, layers_[index_]);
    }
    // Inner L4 headers come later in the frame; finishing them first means an outer
    // checksum (e.g. of a UDP tunnel) covers the inner checksum's final value.
    for (auto it = pending_.rbegin(); it != pending_.rend(); ++it) {
      finish_checksum(*it);
    }
    return std::move(frame_);
  }

 private:
  void write_layer(const EthernetLayer& ethernet) {
    put_bytes(ethernet.dst.data(), ethernet.dst.size());
    put_bytes(ethernet.src.data(), ethernet.src.size());
    put16(next_ethertype());
    sender_mac_ = ethernet.src;
  }

  void write_layer(const VlanLayer& vlan) {
    put16(vlan.tci);
    put16(next_ethertype());
  }

  void write_layer(const ArpLayer& arp) {
    put16(1);  // hardware type: Ethernet
    put16(kEthertypeIpv4);
    put8(6);  // hardware address length
    put8(4);  // protocol address length
    put16(arp.opcode);
    put_bytes(sender_mac_.data(), sender_mac_.size());
    put_bytes(&arp.sender_ip, 4);
    const MacAddress unknown_target{};
    put_bytes(unknown_target.data(), unknown_target.size());
    put_bytes(&arp.target_ip, 4);
  }

  void write_layer(const Ipv4Layer& ip) {
    const size_t start = frame_.size();
    const size_t header_length = wire_size(ip);
    const IpOverrides& raw = ip.overrides;
    const uint8_t version = raw.version.value_or(4);
    const uint8_t ihl = raw.ihl.value_or(header_length / 4);
    put8(static_cast<uint8_t>((version << 4) | (ihl & 0x0f)));
    put8(0);  // DSCP / ECN
    put16(raw.length ? *raw.length : checked_u16(bytes_from_[index_], "IPv4 total length"));
    put16(ip.identification);
    put16((ip.more_fragments ? 0x2000 : 0) | ip.fragment_offset_units);
    put8(ip.ttl);
    put8(raw.protocol ? *raw.protocol : next_ip_protocol());
    put16(0);  // checksum, computed below over the finished header
    put_bytes(&ip.src, sizeof ip.src);
    put_bytes(&ip.dst, sizeof ip.dst);
    frame_.insert(frame_.end(), ip.options.begin(), ip.options.end());
    store16(start + 10,
            fold_and_complement(add_words(std::span(frame_).subspan(start, header_length), 0)));
    enclosing_ip_ = PseudoHeaderAddresses{bytes_of(ip.src), bytes_of(ip.dst)};
  }

  void write_layer(const Ipv6Layer& ip) {
    const IpOverrides& raw = ip.overrides;
    put32(static_cast<uint32_t>(raw.version.value_or(6)) << 28);  // traffic class, flow: 0
    put16(raw.length ? *raw.length : checked_u16(bytes_after(), "IPv6 payload length"));
    put8(raw.protocol ? *raw.protocol : next_ip_protocol());
    put8(ip.hop_limit);
    put_bytes(&ip.src, sizeof ip.src);
    put_bytes(&ip.dst, sizeof ip.dst);
    enclosing_ip_ = PseudoHeaderAddresses{bytes_of(ip.src), bytes_of(ip.dst)};
  }

  void write_layer(const Ipv6OptionsLayer&) {
    put8(next_ip_protocol());
    put8(0);  // header extension length: 8 bytes in total
    put8(1);  // PadN option filling the remaining 6 bytes
    put8(4);
    put32(0);
  }

  void write_layer(const Ipv6RoutingLayer& routing) {
    put8(next_ip_protocol());
    put8(0);  // header extension length: 8 bytes in total
    put8(routing.routing_type);
    put8(routing.segments_left);
    put32(0);
  }

  void write_layer(const Ipv6FragmentLayer& fragment) {
    put8(next_ip_protocol());
    put8(0);
    put16(static_cast<uint16_t>((fragment.offset_units << 3) | (fragment.more_fragments ? 1 : 0)));
    put32(fragment.identification);
  }

  void write_layer(const Ipv6AuthLayer& ah) {
    put8(next_ip_protocol());
    put8(static_cast<uint8_t>(wire_size(ah) / 4 - 2));  // RFC 4302: 4-byte units, minus 2
    put16(0);                                           // reserved
    put32(0x1000);                                      // security parameters index
    put32(1);                                           // sequence number
    frame_.insert(frame_.end(), ah.icv_bytes, 0);       // integrity check value
  }

  void write_layer(const Ipv6MobilityLayer& mh) {
    put8(next_ip_protocol());  // payload proto
    put8(static_cast<uint8_t>(mh.length / 8 - 1));
    put8(mh.mh_type);
    put8(0);                                        // reserved
    put16(0);                                       // checksum, which the guard does not read
    frame_.insert(frame_.end(), mh.length - 6, 0);  // message data and padding
  }

  void write_layer(const UdpLayer& udp) {
    const size_t start = frame_.size();
    put16(udp.sport);
    put16(udp.dport);
    put16(checked_u16(bytes_from_[index_], "UDP length"));
    put16(0);
    defer_checksum(start, 6, kProtoUdp, enclosing_ip_);
  }

  void write_layer(const TcpLayer& tcp) {
    const size_t start = frame_.size();
    put16(tcp.sport);
    put16(tcp.dport);
    put32(1);      // sequence number
    put32(0);      // acknowledgment number
    put8(5 << 4);  // data offset: 5 words, no options
    put8(tcp.flags);
    put16(0xffff);  // window
    put16(0);
    put16(0);  // urgent pointer
    defer_checksum(start, 16, kProtoTcp, enclosing_ip_);
  }

  void write_layer(const IcmpLayer& icmp) {
    const size_t start = frame_.size();
    put8(icmp.type);
    put8(icmp.code);
    put16(0);
    put32(0);  // rest of header (identifier / sequence for echo)
    defer_checksum(start, 2, kProtoIcmp, std::nullopt);  // ICMPv4 has no pseudo-header
  }

  void write_layer(const Icmpv6Layer& icmp) {
    const size_t start = frame_.size();
    put8(icmp.type);
    put8(icmp.code);
    put16(0);
    put32(0);
    defer_checksum(start, 2, kProtoIcmpv6, enclosing_ip_);
  }

  void write_layer(const PayloadLayer& payload) {
    frame_.insert(frame_.end(), payload.bytes.begin(), payload.bytes.end());
  }

  const Layer* next_layer() const {
    return index_ + 1 < layers_.size() ? &layers_[index_ + 1] : nullptr;
  }
  size_t bytes_after() const { return bytes_from_[index_ + 1]; }
  bool followed_by_raw_bytes() const {
    return next_layer() == nullptr || std::holds_alternative<PayloadLayer>(*next_layer());
  }

  uint16_t next_ethertype() const {
    if (followed_by_raw_bytes()) {
      return kEthertypeLocalExperimental;
    }
    if (const auto ethertype = ethertype_of(*next_layer())) {
      return *ethertype;
    }
    throw std::logic_error("layer " + std::to_string(index_ + 2) +
                           " cannot follow an Ethernet or VLAN header");
  }

  uint8_t next_ip_protocol() const {
    if (followed_by_raw_bytes()) {
      return kProtoNoNextHeader;
    }
    if (const auto protocol = ip_protocol_of(*next_layer())) {
      return *protocol;
    }
    throw std::logic_error("layer " + std::to_string(index_ + 2) +
                           " cannot follow an IP or IPv6 extension header");
  }

  void defer_checksum(size_t l4_offset, size_t field_in_header, uint8_t protocol,
                      std::optional<PseudoHeaderAddresses> pseudo_header) {
    pending_.push_back(
        {l4_offset, l4_offset + field_in_header, protocol, std::move(pseudo_header)});
  }

  void finish_checksum(const PendingChecksum& pending) {
    const size_t l4_length = frame_.size() - pending.l4_offset;
    uint32_t sum = 0;
    if (pending.pseudo_header) {
      // The IPv4 (16-bit length) and IPv6 (32-bit length) pseudo-headers sum to the same
      // words: addresses, upper-layer length, protocol.
      sum = add_words(pending.pseudo_header->src, sum);
      sum = add_words(pending.pseudo_header->dst, sum);
      sum += (l4_length >> 16) + (l4_length & 0xffff) + pending.protocol;
    }
    sum = add_words(std::span(frame_).subspan(pending.l4_offset), sum);
    uint16_t checksum = fold_and_complement(sum);
    if (pending.protocol == kProtoUdp && checksum == 0) {
      checksum = 0xffff;  // a zero UDP checksum means "not computed"
    }
    store16(pending.field_offset, checksum);
  }

  template <typename Address>
  static std::vector<uint8_t> bytes_of(const Address& address) {
    const auto* first = reinterpret_cast<const uint8_t*>(&address);
    return {first, first + sizeof address};
  }

  void put8(uint8_t value) { frame_.push_back(value); }
  void put16(uint16_t value) {
    put8(value >> 8);
    put8(value & 0xff);
  }
  void put32(uint32_t value) {
    put16(value >> 16);
    put16(value & 0xffff);
  }
  void put_bytes(const void* data, size_t length) {
    const auto* first = static_cast<const uint8_t*>(data);
    frame_.insert(frame_.end(), first, first + length);
  }
  void store16(size_t offset, uint16_t value) {
    frame_[offset] = value >> 8;
    frame_[offset + 1] = value & 0xff;
  }

  const std::vector<Layer>& layers_;
  std::vector<size_t> bytes_from_;  // bytes_from_[i]: wire size of layers i..end
  size_t index_ = 0;
  std::vector<uint8_t> frame_;
  MacAddress sender_mac_ = parse_mac(PacketBuilder::kDefaultSrcMac);
  std::optional<PseudoHeaderAddresses> enclosing_ip_;
  std::vector<PendingChecksum> pending_;
};

}  // namespace

PacketBuilder& PacketBuilder::ethernet(std::string_view src_mac, std::string_view dst_mac) {
  layers_.push_back(EthernetLayer{.src = parse_mac(src_mac), .dst = parse_mac(dst_mac)});
  return *this;
}

PacketBuilder& PacketBuilder::vlan(uint16_t tpid, uint16_t vlan_id, uint8_t priority) {
  if (vlan_id > 0x0fff || priority > 7) {
    throw std::invalid_argument("VLAN id must fit 12 bits and priority 3 bits");
  }
  layers_.push_back(
      VlanLayer{.tpid = tpid, .tci = static_cast<uint16_t>((priority << 13) | vlan_id)});
  return *this;
}

PacketBuilder& PacketBuilder::arp(uint16_t opcode, std::string_view sender_ip,
                                  std::string_view target_ip) {
  layers_.push_back(ArpLayer{.opcode = opcode,
                             .sender_ip = parse_ip<in_addr>(AF_INET, sender_ip),
                             .target_ip = parse_ip<in_addr>(AF_INET, target_ip)});
  return *this;
}

PacketBuilder& PacketBuilder::ipv4(std::string_view src, std::string_view dst, uint8_t ttl) {
  layers_.push_back(Ipv4Layer{
      .src = parse_ip<in_addr>(AF_INET, src), .dst = parse_ip<in_addr>(AF_INET, dst), .ttl = ttl});
  return *this;
}

PacketBuilder& PacketBuilder::ipv4_options(std::vector<uint8_t> options) {
  if (options.size() > kMaxIpv4OptionBytes) {
    throw std::invalid_argument("IPv4 options are limited to 40 bytes");
  }
  options.resize((options.size() + 3) / 4 * 4, 0);
  last_layer<Ipv4Layer>("ipv4_options").options = std::move(options);
  return *this;
}

PacketBuilder& PacketBuilder::fragment(uint16_t offset_bytes, bool more_fragments,
                                       uint16_t identification) {
  if (offset_bytes % 8 != 0) {
    throw std::invalid_argument("fragment offsets are multiples of 8 bytes");
  }
  Ipv4Layer& ip = last_layer<Ipv4Layer>("fragment");
  ip.fragment_offset_units = offset_bytes / 8;
  ip.more_fragments = more_fragments;
  ip.identification = identification;
  return *this;
}

PacketBuilder& PacketBuilder::ipv6(std::string_view src, std::string_view dst, uint8_t hop_limit) {
  layers_.push_back(Ipv6Layer{.src = parse_ip<in6_addr>(AF_INET6, src),
                              .dst = parse_ip<in6_addr>(AF_INET6, dst),
                              .hop_limit = hop_limit});
  return *this;
}

PacketBuilder& PacketBuilder::hop_by_hop() {
  layers_.push_back(Ipv6OptionsLayer{.protocol = kProtoHopByHop});
  return *this;
}

PacketBuilder& PacketBuilder::routing(uint8_t routing_type, uint8_t segments_left) {
  layers_.push_back(Ipv6RoutingLayer{.routing_type = routing_type, .segments_left = segments_left});
  return *this;
}

PacketBuilder& PacketBuilder::destination_options() {
  layers_.push_back(Ipv6OptionsLayer{.protocol = kProtoDestinationOptions});
  return *this;
}

PacketBuilder& PacketBuilder::ipv6_fragment(uint16_t offset_bytes, bool more_fragments,
                                            uint32_t identification) {
  if (offset_bytes % 8 != 0) {
    throw std::invalid_argument("fragment offsets are multiples of 8 bytes");
  }
  layers_.push_back(Ipv6FragmentLayer{.offset_units = static_cast<uint16_t>(offset_bytes / 8),
                                      .more_fragments = more_fragments,
                                      .identification = identification});
  return *this;
}

PacketBuilder& PacketBuilder::authentication_header(uint8_t icv_bytes) {
  if (icv_bytes % 4 != 0 || icv_bytes > 4 * (255 + 2) - 12) {
    throw std::invalid_argument("the AH integrity check value is a multiple of 4 bytes");
  }
  layers_.push_back(Ipv6AuthLayer{.icv_bytes = icv_bytes});
  return *this;
}

PacketBuilder& PacketBuilder::mobility(size_t length, uint8_t mh_type) {
  if (length < 8 || length % 8 != 0 || length > 8 * 256) {
    throw std::invalid_argument("a mobility header is 8 to 2048 bytes, in steps of 8");
  }
  layers_.push_back(Ipv6MobilityLayer{.mh_type = mh_type, .length = length});
  return *this;
}

PacketBuilder& PacketBuilder::udp(uint16_t sport, uint16_t dport) {
  layers_.push_back(UdpLayer{.sport = sport, .dport = dport});
  return *this;
}

PacketBuilder& PacketBuilder::tcp(uint16_t sport, uint16_t dport, uint8_t flags) {
  layers_.push_back(TcpLayer{.sport = sport, .dport = dport, .flags = flags});
  return *this;
}

PacketBuilder& PacketBuilder::icmp(uint8_t type, uint8_t code) {
  layers_.push_back(IcmpLayer{.type = type, .code = code});
  return *this;
}

PacketBuilder& PacketBuilder::icmpv6(uint8_t type, uint8_t code) {
  layers_.push_back(Icmpv6Layer{.type = type, .code = code});
  return *this;
}

PacketBuilder& PacketBuilder::payload(size_t length) {
  std::vector<uint8_t> bytes(length);
  for (size_t i = 0; i < length; ++i) {
    bytes[i] = static_cast<uint8_t>(i);
  }
  return payload_bytes(std::move(bytes));
}

PacketBuilder& PacketBuilder::payload_bytes(std::vector<uint8_t> bytes) {
  layers_.push_back(PayloadLayer{.bytes = std::move(bytes)});
  return *this;
}

PacketBuilder& PacketBuilder::ipv4_ihl(uint8_t ihl) {
  last_layer<Ipv4Layer>("ipv4_ihl").overrides.ihl = ihl;
  return *this;
}

PacketBuilder& PacketBuilder::ipv4_total_length(uint16_t total_length) {
  last_layer<Ipv4Layer>("ipv4_total_length").overrides.length = total_length;
  return *this;
}

PacketBuilder& PacketBuilder::ipv6_payload_length(uint16_t payload_length) {
  last_layer<Ipv6Layer>("ipv6_payload_length").overrides.length = payload_length;
  return *this;
}

PacketBuilder& PacketBuilder::ip_version(uint8_t version) {
  last_ip_overrides("ip_version").version = version;
  return *this;
}

PacketBuilder& PacketBuilder::ip_protocol(uint8_t protocol) {
  last_ip_overrides("ip_protocol").protocol = protocol;
  return *this;
}

std::vector<uint8_t> PacketBuilder::build() const { return FrameWriter(layers_).write(); }

std::vector<uint8_t> PacketBuilder::build_truncated(size_t length) const {
  std::vector<uint8_t> frame = build();
  if (frame.size() > length) {
    frame.resize(length);
  }
  return frame;
}

template <typename LayerType>
LayerType& PacketBuilder::last_layer(const char* caller) {
  for (auto it = layers_.rbegin(); it != layers_.rend(); ++it) {
    if (auto* layer = std::get_if<LayerType>(&*it)) {
      return *layer;
    }
  }
  throw std::logic_error(std::string(caller) + "() has no header of its kind to modify");
}

IpOverrides& PacketBuilder::last_ip_overrides(const char* caller) {
  for (auto it = layers_.rbegin(); it != layers_.rend(); ++it) {
    if (auto* ip = std::get_if<Ipv4Layer>(&*it)) {
      return ip->overrides;
    }
    if (auto* ip = std::get_if<Ipv6Layer>(&*it)) {
      return ip->overrides;
    }
  }
  throw std::logic_error(std::string(caller) + "() needs an ipv4() or ipv6() before it");
}

}  // namespace westworld::test
