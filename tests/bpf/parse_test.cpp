// Parsing: what the guard extracts from well-formed frames (proved by rules that match on
// exactly those fields), and how it refuses frames it cannot read.
#include <optional>
#include <string>
#include <vector>

#include "guard_fixture.h"

namespace westworld::bpf_test {
namespace {

constexpr uint8_t kIcmpEchoRequest = 8;
constexpr uint8_t kIcmpv6EchoRequest = 128;
constexpr uint16_t kTpid8021Q = 0x8100;
constexpr uint16_t kTpid8021AD = 0x88a8;
constexpr size_t kEthernetBytes = 14;
constexpr size_t kIpv4Bytes = 20;
constexpr size_t kIpv6Bytes = 40;

// Every rule denies one exact flow, so a frame is dropped by "its" rule only if the parser
// found the right protocol, both addresses and both ports behind whatever precedes them.
constexpr const char* kExactFlowsPolicy = R"(
version: 1
charter:
  default: allow
  flows:
    - name: udp4-flow
      action: deny
      proto: udp
      src: [192.0.2.10]
      dst: [198.51.100.20]
      src_ports: [5353]
      dst_ports: [53]
    - name: tcp4-flow
      action: deny
      proto: tcp
      src: [192.0.2.10]
      dst: [198.51.100.20]
      src_ports: [40000]
      dst_ports: [443]
    - name: icmp4-flow
      action: deny
      proto: icmp
      src: [192.0.2.10]
      dst: [198.51.100.20]
    - name: tcp6-flow
      action: deny
      proto: tcp
      src: [2001:db8::10]
      dst: [2001:db8:1::20]
      src_ports: [40000]
      dst_ports: [443]
    - name: icmp6-flow
      action: deny
      proto: icmpv6
      src: [2001:db8::10]
      dst: [2001:db8:1::20]
    - name: udp6-flow
      action: deny
      proto: udp
      src: [2001:db8::10]
      dst: [2001:db8:1::20]
      src_ports: [5353]
      dst_ports: [53]
)";

enum ExactFlowRule : uint32_t { kUdp4, kTcp4, kIcmp4, kTcp6, kIcmp6, kUdp6 };

constexpr const char* kAllowAll = R"(
version: 1
charter: {default: allow}
)";

struct NamedFrame {
  std::string name;
  Frame frame;
};

struct FrameForRule {
  std::string name;
  Frame frame;
  uint32_t rule;
};

PacketBuilder v4() { return PacketBuilder().ethernet().ipv4("192.0.2.10", "198.51.100.20"); }
PacketBuilder v6() { return PacketBuilder().ethernet().ipv6("2001:db8::10", "2001:db8:1::20"); }

class ParseTest : public GuardTest {};

TEST_F(ParseTest, WellFormedFramesAreClassifiedOnTheirRealFields) {
  apply(kExactFlowsPolicy);
  const std::vector<uint8_t> router_alert = {0x94, 0x04, 0x00, 0x00};
  const std::vector<uint8_t> forty_option_bytes(40, 0x01);  // NOPs: the largest IHL, 15
  const std::vector<FrameForRule> cases = {
      {"ipv4 udp", v4().udp(5353, 53).payload(20).build(), kUdp4},
      {"ipv4 tcp", v4().tcp(40000, 443).build(), kTcp4},
      {"ipv4 icmp", v4().icmp(kIcmpEchoRequest, 0).build(), kIcmp4},
      {"ipv4 options udp", v4().ipv4_options(router_alert).udp(5353, 53).build(), kUdp4},
      {"ipv4 40 option bytes tcp", v4().ipv4_options(forty_option_bytes).tcp(40000, 443).build(),
       kTcp4},
      {"802.1Q udp",
       PacketBuilder()
           .ethernet()
           .vlan(kTpid8021Q, 100)
           .ipv4("192.0.2.10", "198.51.100.20")
           .udp(5353, 53)
           .build(),
       kUdp4},
      {"QinQ tcp",
       PacketBuilder()
           .ethernet()
           .vlan(kTpid8021AD, 10)
           .vlan(kTpid8021Q, 20)
           .ipv4("192.0.2.10", "198.51.100.20")
           .tcp(40000, 443)
           .build(),
       kTcp4},
      {"QinQ ipv6 udp",
       PacketBuilder()
           .ethernet()
           .vlan(kTpid8021AD, 10)
           .vlan(kTpid8021Q, 20)
           .ipv6("2001:db8::10", "2001:db8:1::20")
           .udp(5353, 53)
           .build(),
       kUdp6},
      {"ipv6 tcp", v6().tcp(40000, 443).build(), kTcp6},
      {"ipv6 udp", v6().udp(5353, 53).build(), kUdp6},
      {"ipv6 icmpv6", v6().icmpv6(kIcmpv6EchoRequest, 0).build(), kIcmp6},
      {"ipv6 hop-by-hop routing destination-options tcp",
       v6().hop_by_hop().routing().destination_options().tcp(40000, 443).build(), kTcp6},
      {"ipv6 hop-by-hop icmpv6", v6().hop_by_hop().icmpv6(kIcmpv6EchoRequest, 0).build(), kIcmp6},
  };
  for (const auto& [name, frame, rule] : cases) {
    SCOPED_TRACE(name);
    expect_decision(kIngress, frame, Verdict::drop, rule);
  }
}

// The mirror image: one field off and the exact rule must not match, so the matches above
// were not an accident of a rule that matches everything.
TEST_F(ParseTest, NearMissFramesFallToTheDefault) {
  apply(kExactFlowsPolicy);
  const std::vector<NamedFrame> cases = {
      {"ipv4 udp, other dst port", v4().udp(5353, 54).build()},
      {"ipv4 udp, other src port", v4().udp(5354, 53).build()},
      {"ipv4 tcp behind QinQ, other src address", PacketBuilder()
                                                      .ethernet()
                                                      .vlan(kTpid8021AD, 10)
                                                      .vlan(kTpid8021Q, 20)
                                                      .ipv4("192.0.2.11", "198.51.100.20")
                                                      .tcp(40000, 443)
                                                      .build()},
      {"ipv6 tcp behind extension headers, other dst port",
       v6().hop_by_hop().routing().destination_options().tcp(40000, 444).build()},
      {"ipv6 udp, other dst address",
       PacketBuilder().ethernet().ipv6("2001:db8::10", "2001:db8:1::21").udp(5353, 53).build()},
  };
  for (const auto& [name, frame] : cases) {
    SCOPED_TRACE(name);
    expect_decision(kIngress, frame, Verdict::pass, std::nullopt);
  }
}

// AH counts its length in 4-byte units minus 2, a mobility header in 8-byte units minus 1 (as
// hop-by-hop does): the walk steps over both, so ports behind them reach port rules.
TEST_F(ParseTest, PortsBehindAuthenticationAndMobilityHeadersAreVisible) {
  apply(kExactFlowsPolicy);
  const std::vector<FrameForRule> cases = {
      {"ipv6 AH (12-byte ICV) tcp", v6().authentication_header(12).tcp(40000, 443).build(), kTcp6},
      {"ipv6 AH (16-byte ICV, 28 bytes) udp", v6().authentication_header(16).udp(5353, 53).build(),
       kUdp6},
      {"ipv6 mobility (16 bytes) udp", v6().mobility(16).udp(5353, 53).build(), kUdp6},
      {"ipv6 mobility (8 bytes) icmpv6", v6().mobility(8).icmpv6(kIcmpv6EchoRequest, 0).build(),
       kIcmp6},
      {"ipv6 hop-by-hop AH destination-options mobility tcp",
       v6().hop_by_hop()
           .authentication_header()
           .destination_options()
           .mobility()
           .tcp(40000, 443)
           .build(),
       kTcp6},
  };
  for (const auto& [name, frame, rule] : cases) {
    SCOPED_TRACE(name);
    expect_decision(kIngress, frame, Verdict::drop, rule);
  }
  // One port off behind the same headers: the matches above read the real ports.
  expect_decision(kIngress, v6().authentication_header(16).udp(5353, 54).build(), Verdict::pass,
                  std::nullopt);
  expect_decision(kIngress, v6().mobility(16).tcp(40000, 444).build(), Verdict::pass, std::nullopt);
}

// The walk covers WW_IPV6_MAX_EXT_HEADERS (8) extension headers; a ninth is too many.
TEST_F(ParseTest, UpToEightIpv6ExtensionHeadersAreWalked) {
  apply(kExactFlowsPolicy);
  for (int headers : {1, WW_IPV6_MAX_EXT_HEADERS - 1, WW_IPV6_MAX_EXT_HEADERS}) {
    SCOPED_TRACE(std::to_string(headers) + " extension headers");
    PacketBuilder builder = v6();
    for (int i = 0; i < headers; ++i) builder.destination_options();
    expect_decision(kIngress, builder.tcp(40000, 443).build(), Verdict::drop, kTcp6);
  }
}

TEST_F(ParseTest, MoreThanEightIpv6ExtensionHeadersDropAsExtHeaders) {
  apply(kAllowAll);
  for (int headers : {WW_IPV6_MAX_EXT_HEADERS + 1, WW_IPV6_MAX_EXT_HEADERS + 4}) {
    SCOPED_TRACE(std::to_string(headers) + " extension headers");
    PacketBuilder builder = v6().hop_by_hop().authentication_header().mobility();
    for (int i = 3; i < headers; ++i) builder.destination_options();
    const Frame frame = builder.tcp(40000, 443).build();

    const CounterSnapshot before = counters();
    EXPECT_EQ(run_xdp(frame), Verdict::drop);
    const CounterDelta delta = since(before);
    EXPECT_EQ(delta.drops(WW_DROP_EXT_HEADERS), 1u);
    EXPECT_EQ(delta.drop_bytes(WW_DROP_EXT_HEADERS), frame.size());
    EXPECT_EQ(delta.all_drops(), 1u);
  }
}

// A frame cut short anywhere inside a header the guard must read is dropped as truncated,
// never read past its end. (BPF_PROG_TEST_RUN refuses frames under 14 bytes, so the shortest
// cut is inside the first VLAN tag.)
TEST_F(ParseTest, TruncatedFramesDropAsTruncated) {
  apply(kAllowAll);
  const Frame vlan_udp = PacketBuilder()
                             .ethernet()
                             .vlan(kTpid8021Q, 7)
                             .ipv4("192.0.2.10", "198.51.100.20")
                             .udp(1, 2)
                             .build();
  const Frame qinq_udp = PacketBuilder()
                             .ethernet()
                             .vlan(kTpid8021AD, 7)
                             .vlan(kTpid8021Q, 8)
                             .ipv4("192.0.2.10", "198.51.100.20")
                             .udp(1, 2)
                             .build();
  const Frame options_udp =
      v4().ipv4_options({0x94, 0x04, 0x00, 0x00, 0x01, 0x01, 0x01, 0x01}).udp(1, 2).build();
  const Frame tcp = v4().tcp(40000, 443).build();
  const Frame udp = v4().udp(5353, 53).build();
  const Frame icmp = v4().icmp(kIcmpEchoRequest, 0).build();
  const Frame ipv6_chain = v6().hop_by_hop().routing().destination_options().tcp(1, 2).build();
  const Frame ipv6_fragment = v6().ipv6_fragment(0, true).udp(1, 2).build();
  const Frame icmpv6 = v6().icmpv6(kIcmpv6EchoRequest, 0).build();
  const Frame ah_tcp = v6().authentication_header(12).tcp(1, 2).build();  // AH: 24 bytes
  const Frame mobility_udp = v6().mobility(16).udp(1, 2).build();

  struct Cut {
    std::string where;
    const Frame& frame;
    size_t length;
  };
  const std::vector<Cut> cuts = {
      {"inside the 802.1Q tag", vlan_udp, kEthernetBytes + 2},
      {"inside the second tag of QinQ", qinq_udp, kEthernetBytes + 4 + 2},
      {"right after the Ethernet header", udp, kEthernetBytes},
      {"mid IPv4 header", udp, kEthernetBytes + 10},
      {"inside IPv4 options", options_udp, kEthernetBytes + kIpv4Bytes + 4},
      {"mid TCP header", tcp, kEthernetBytes + kIpv4Bytes + 10},
      {"mid UDP header", udp, kEthernetBytes + kIpv4Bytes + 6},
      {"mid ICMP header", icmp, kEthernetBytes + kIpv4Bytes + 2},
      {"mid IPv6 header", ipv6_chain, kEthernetBytes + 30},
      {"mid hop-by-hop header", ipv6_chain, kEthernetBytes + kIpv6Bytes + 4},
      {"mid routing header", ipv6_chain, kEthernetBytes + kIpv6Bytes + 8 + 3},
      {"mid TCP behind three extension headers", ipv6_chain, kEthernetBytes + kIpv6Bytes + 24 + 12},
      {"mid IPv6 fragment header", ipv6_fragment, kEthernetBytes + kIpv6Bytes + 5},
      {"mid ICMPv6 header", icmpv6, kEthernetBytes + kIpv6Bytes + 3},
      {"mid AH header", ah_tcp, kEthernetBytes + kIpv6Bytes + 5},
      {"mid TCP behind AH", ah_tcp, kEthernetBytes + kIpv6Bytes + 24 + 10},
      {"mid mobility header", mobility_udp, kEthernetBytes + kIpv6Bytes + 4},
      {"mid UDP behind a mobility header", mobility_udp, kEthernetBytes + kIpv6Bytes + 16 + 4},
  };
  for (const Cut& cut : cuts) {
    SCOPED_TRACE(cut.where);
    ASSERT_LT(cut.length, cut.frame.size());
    const Frame truncated(cut.frame.begin(), cut.frame.begin() + cut.length);

    const CounterSnapshot before = counters();
    EXPECT_EQ(run_xdp(truncated), Verdict::drop);
    const CounterDelta delta = since(before);
    EXPECT_EQ(delta.drops(WW_DROP_TRUNCATED), 1u);
    EXPECT_EQ(delta.drop_bytes(WW_DROP_TRUNCATED), cut.length);
    EXPECT_EQ(delta.all_drops(), 1u);
    EXPECT_EQ(delta.stat(WW_STAT_DROP), 1u);
    EXPECT_EQ(delta.stat(WW_STAT_SEEN), 1u);
  }
}

TEST_F(ParseTest, BrokenHeadersDropAsMalformed) {
  apply(kAllowAll);
  Frame tcp_offset_four = v4().tcp(40000, 443).build();
  tcp_offset_four[kEthernetBytes + kIpv4Bytes + 12] = 4 << 4;  // data offset below 5 words

  const std::vector<NamedFrame> cases = {
      {"IHL 4", v4().ipv4_ihl(4).udp(1, 2).build()},
      {"IHL 0", v4().ipv4_ihl(0).udp(1, 2).build()},
      {"version 5 behind the IPv4 ethertype", v4().ip_version(5).udp(1, 2).build()},
      {"version 6 behind the IPv4 ethertype", v4().ip_version(6).udp(1, 2).build()},
      {"total length shorter than the header", v4().ipv4_total_length(19).udp(1, 2).build()},
      {"version 4 behind the IPv6 ethertype", v6().ip_version(4).udp(1, 2).build()},
      {"TCP data offset 4", tcp_offset_four},
      {"a third VLAN tag", PacketBuilder()
                               .ethernet()
                               .vlan(kTpid8021AD, 1)
                               .vlan(kTpid8021Q, 2)
                               .vlan(kTpid8021Q, 3)
                               .ipv4("192.0.2.10", "198.51.100.20")
                               .udp(1, 2)
                               .build()},
  };
  for (const auto& [name, frame] : cases) {
    SCOPED_TRACE(name);
    const CounterSnapshot before = counters();
    EXPECT_EQ(run_xdp(frame), Verdict::drop);
    const CounterDelta delta = since(before);
    EXPECT_EQ(delta.drops(WW_DROP_MALFORMED), 1u);
    EXPECT_EQ(delta.all_drops(), 1u);
  }
}

TEST_F(ParseTest, NonIpFramesPassAndCountAsNonIpEvenUnderDefaultDeny) {
  apply("version: 1\ncharter: {default: deny}\n");
  const std::vector<NamedFrame> cases = {
      {"ARP request", PacketBuilder().ethernet().arp().build()},
      {"ARP reply", PacketBuilder().ethernet().arp(test::kArpReply).build()},
      {"ARP behind 802.1Q", PacketBuilder().ethernet().vlan(kTpid8021Q, 5).arp().build()},
      {"local experimental ethertype", PacketBuilder().ethernet().payload(46).build()},
  };
  for (const auto& [name, frame] : cases) {
    SCOPED_TRACE(name);
    const CounterSnapshot before = counters();
    EXPECT_EQ(run_xdp(frame), Verdict::pass);
    const CounterDelta delta = since(before);
    EXPECT_EQ(delta.stat(WW_STAT_NON_IP), 1u);
    EXPECT_EQ(delta.stat_bytes(WW_STAT_NON_IP), frame.size());
    EXPECT_EQ(delta.stat(WW_STAT_PASS), 1u);
    // Non-IP traffic never reaches the charter.
    EXPECT_EQ(delta.stat(WW_STAT_DEFAULT), 0u);
    EXPECT_EQ(delta.stat(WW_STAT_ACTION_DENY), 0u);
    EXPECT_EQ(delta.all_drops(), 0u);
  }
}

// Before the first policy the guard fails closed for IP, but still lets ARP through.
TEST_F(ParseTest, WithoutAPolicyIpDropsAndArpPasses) {
  const CounterSnapshot before = counters();
  EXPECT_EQ(run_xdp(v4().udp(5353, 53).build()), Verdict::drop);
  EXPECT_EQ(run_xdp(v6().tcp(1, 2).build()), Verdict::drop);
  EXPECT_EQ(run_xdp(PacketBuilder().ethernet().arp().build()), Verdict::pass);
  const CounterDelta delta = since(before);
  EXPECT_EQ(delta.drops(WW_DROP_NO_POLICY), 2u);
  EXPECT_EQ(delta.stat(WW_STAT_NON_IP), 1u);
  EXPECT_EQ(delta.stat(WW_STAT_SEEN), 3u);
}

}  // namespace
}  // namespace westworld::bpf_test
