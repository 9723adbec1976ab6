#include "packet_builder.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>

#include <stdexcept>

namespace westworld::test {
namespace {

constexpr size_t kEthernetLength = 14;
constexpr size_t kIpv4Length = 20;
constexpr size_t kIpv6Length = 40;
constexpr size_t kL3 = kEthernetLength;  // start of the IP header in untagged frames

uint16_t read16(const std::vector<uint8_t>& frame, size_t offset) {
  return static_cast<uint16_t>((frame.at(offset) << 8) | frame.at(offset + 1));
}

// One's-complement sum of big-endian words; a correct checksum makes its range sum to 0xffff.
uint16_t folded_sum(const std::vector<uint8_t>& bytes, size_t offset, size_t length,
                    uint32_t sum = 0) {
  for (size_t i = 0; i < length; i += 2) {
    const uint8_t low = i + 1 < length ? bytes.at(offset + i + 1) : 0;
    sum += (bytes.at(offset + i) << 8) | low;
  }
  while (sum >> 16) {
    sum = (sum & 0xffff) + (sum >> 16);
  }
  return static_cast<uint16_t>(sum);
}

// Verifies an L4 checksum independently of the builder: pseudo-header words plus segment.
uint16_t l4_sum(const std::vector<uint8_t>& frame, size_t addresses_offset, size_t address_size,
                uint8_t protocol, size_t l4_offset) {
  const size_t l4_length = frame.size() - l4_offset;
  const uint32_t pseudo = folded_sum(frame, addresses_offset, 2 * address_size) + protocol +
                          static_cast<uint32_t>(l4_length);
  return folded_sum(frame, l4_offset, l4_length, pseudo);
}

TEST(PacketBuilder, EthernetUsesDefaultOrGivenMacs) {
  const auto frame = PacketBuilder().ethernet().ipv4("10.0.0.1", "192.0.2.1").build();
  EXPECT_EQ(std::vector<uint8_t>(frame.begin(), frame.begin() + 12),
            (std::vector<uint8_t>{2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1}));
  EXPECT_EQ(read16(frame, 12), 0x0800);

  const auto custom =
      PacketBuilder().ethernet("aa:bb:cc:dd:ee:01", "AA:BB:CC:DD:EE:02").ipv6("::1", "::2").build();
  EXPECT_EQ(custom[5], 0x02);  // destination comes first on the wire
  EXPECT_EQ(custom[11], 0x01);
  EXPECT_EQ(read16(custom, 12), 0x86dd);
}

TEST(PacketBuilder, DoubleVlanTagsChainEthertypes) {
  const auto frame = PacketBuilder()
                         .ethernet()
                         .vlan(0x88a8, 100)
                         .vlan(0x8100, 200, 5)
                         .ipv4("10.0.0.1", "192.0.2.1")
                         .udp(1234, 53)
                         .build();
  EXPECT_EQ(read16(frame, 12), 0x88a8);
  EXPECT_EQ(read16(frame, 14), 100);
  EXPECT_EQ(read16(frame, 16), 0x8100);
  EXPECT_EQ(read16(frame, 18), (5 << 13) | 200);
  EXPECT_EQ(read16(frame, 20), 0x0800);
  EXPECT_EQ(frame[22], 0x45);
  EXPECT_EQ(frame.size(), 22 + kIpv4Length + 8);
}

TEST(PacketBuilder, Ipv4HeaderFieldsAndChecksum) {
  const auto frame = PacketBuilder()
                         .ethernet()
                         .ipv4("10.0.0.1", "192.0.2.1", 17)
                         .udp(1234, 53)
                         .payload(64)
                         .build();
  ASSERT_EQ(frame.size(), kL3 + kIpv4Length + 8 + 64);
  EXPECT_EQ(frame[kL3], 0x45);
  EXPECT_EQ(read16(frame, kL3 + 2), kIpv4Length + 8 + 64);
  EXPECT_EQ(read16(frame, kL3 + 6), 0);  // not a fragment
  EXPECT_EQ(frame[kL3 + 8], 17);         // TTL
  EXPECT_EQ(frame[kL3 + 9], 17);         // UDP
  EXPECT_EQ(read16(frame, kL3 + 12), 0x0a00);
  EXPECT_EQ(read16(frame, kL3 + 18), 0x0201);
  EXPECT_NE(read16(frame, kL3 + 10), 0);
  EXPECT_EQ(folded_sum(frame, kL3, kIpv4Length), 0xffff);
}

TEST(PacketBuilder, Ipv4OptionsArePaddedAndGrowIhl) {
  const auto frame = PacketBuilder()
                         .ethernet()
                         .ipv4("10.0.0.1", "192.0.2.1")
                         .ipv4_options({0x94, 0x04, 0x00})  // router alert, one byte short
                         .tcp(1000, 80)
                         .build();
  constexpr size_t kHeaderLength = kIpv4Length + 4;
  EXPECT_EQ(frame[kL3], 0x46);
  EXPECT_EQ(frame[kL3 + 20], 0x94);
  EXPECT_EQ(frame[kL3 + 23], 0x00);
  EXPECT_EQ(read16(frame, kL3 + 2), kHeaderLength + 20);
  EXPECT_EQ(folded_sum(frame, kL3, kHeaderLength), 0xffff);
  EXPECT_EQ(read16(frame, kL3 + kHeaderLength + 2), 80);  // TCP starts after the options
  EXPECT_THROW(PacketBuilder().ipv4("10.0.0.1", "10.0.0.2").ipv4_options(std::vector<uint8_t>(41)),
               std::invalid_argument);
}

TEST(PacketBuilder, Ipv4FragmentOffsetIsInEightByteUnits) {
  const auto first = PacketBuilder()
                         .ethernet()
                         .ipv4("10.0.0.1", "192.0.2.1")
                         .fragment(0, true, 0x4242)
                         .udp(1, 2)
                         .build();
  EXPECT_EQ(read16(first, kL3 + 4), 0x4242);
  EXPECT_EQ(read16(first, kL3 + 6), 0x2000);

  const auto last = PacketBuilder()
                        .ethernet()
                        .ipv4("10.0.0.1", "192.0.2.1")
                        .fragment(1480, false)
                        .payload(8)
                        .build();
  EXPECT_EQ(read16(last, kL3 + 6), 185);
  EXPECT_EQ(folded_sum(last, kL3, kIpv4Length), 0xffff);

  EXPECT_THROW(PacketBuilder().ipv4("10.0.0.1", "10.0.0.2").fragment(12, true),
               std::invalid_argument);
}

TEST(PacketBuilder, UdpLengthAndChecksum) {
  const auto frame =
      PacketBuilder().ethernet().ipv4("10.0.0.1", "192.0.2.1").udp(1234, 53).payload(13).build();
  constexpr size_t kUdp = kL3 + kIpv4Length;
  EXPECT_EQ(read16(frame, kUdp), 1234);
  EXPECT_EQ(read16(frame, kUdp + 2), 53);
  EXPECT_EQ(read16(frame, kUdp + 4), 8 + 13);
  EXPECT_EQ(frame[kUdp + 8 + 12], 12);  // payload counts up from 0
  EXPECT_EQ(l4_sum(frame, kL3 + 12, 4, 17, kUdp), 0xffff);
}

TEST(PacketBuilder, TcpHeaderAndChecksumOverIpv6) {
  const auto frame = PacketBuilder()
                         .ethernet()
                         .ipv6("2001:db8::1", "2001:db8::2")
                         .tcp(1000, 443, tcp_flags::kSyn | tcp_flags::kAck)
                         .payload(5)
                         .build();
  constexpr size_t kTcp = kL3 + kIpv6Length;
  EXPECT_EQ(frame[kL3 + 6], 6);
  EXPECT_EQ(read16(frame, kL3 + 4), 20 + 5);
  EXPECT_EQ(read16(frame, kTcp), 1000);
  EXPECT_EQ(read16(frame, kTcp + 2), 443);
  EXPECT_EQ(frame[kTcp + 12], 0x50);
  EXPECT_EQ(frame[kTcp + 13], 0x12);
  EXPECT_EQ(l4_sum(frame, kL3 + 8, 16, 6, kTcp), 0xffff);
}

TEST(PacketBuilder, IcmpAndIcmpv6) {
  const auto v4 = PacketBuilder().ethernet().ipv4("10.0.0.1", "192.0.2.1").icmp(8, 0).build();
  EXPECT_EQ(v4[kL3 + 9], 1);
  EXPECT_EQ(v4[kL3 + kIpv4Length], 8);
  EXPECT_EQ(folded_sum(v4, kL3 + kIpv4Length, 8), 0xffff);

  const auto v6 =
      PacketBuilder().ethernet().ipv6("2001:db8::1", "2001:db8::2").icmpv6(128, 0).build();
  EXPECT_EQ(v6[kL3 + 6], 58);
  EXPECT_EQ(v6[kL3 + kIpv6Length], 128);
  EXPECT_EQ(l4_sum(v6, kL3 + 8, 16, 58, kL3 + kIpv6Length), 0xffff);
}

TEST(PacketBuilder, Ipv6ExtensionHeadersChainInCallOrder) {
  const auto frame = PacketBuilder()
                         .ethernet()
                         .ipv6("2001:db8::1", "2001:db8::2")
                         .hop_by_hop()
                         .routing(4, 0)
                         .destination_options()
                         .ipv6_fragment(2048, true, 0xdeadbeef)
                         .tcp(1000, 443)
                         .build();
  constexpr size_t kExt = kL3 + kIpv6Length;
  EXPECT_EQ(read16(frame, 12), 0x86dd);
  EXPECT_EQ(frame[kL3] >> 4, 6);
  EXPECT_EQ(read16(frame, kL3 + 4), 4 * 8 + 20);
  EXPECT_EQ(frame[kL3 + 6], 0);     // -> hop-by-hop
  EXPECT_EQ(frame[kExt], 43);       // hop-by-hop -> routing
  EXPECT_EQ(frame[kExt + 1], 0);    // 8 bytes long
  EXPECT_EQ(frame[kExt + 8], 60);   // routing -> destination options
  EXPECT_EQ(frame[kExt + 10], 4);   // routing type
  EXPECT_EQ(frame[kExt + 16], 44);  // destination options -> fragment
  EXPECT_EQ(frame[kExt + 24], 6);   // fragment -> TCP
  EXPECT_EQ(read16(frame, kExt + 26), (256 << 3) | 1);
  EXPECT_EQ(read16(frame, kExt + 28), 0xdead);
  EXPECT_EQ(read16(frame, kExt + 32 + 2), 443);
}

TEST(PacketBuilder, AuthenticationAndMobilityHeadersCountTheirOwnUnits) {
  const auto frame = PacketBuilder()
                         .ethernet()
                         .ipv6("2001:db8::1", "2001:db8::2")
                         .authentication_header(16)
                         .mobility(24, 5)
                         .udp(1000, 53)
                         .build();
  constexpr size_t kAh = kL3 + kIpv6Length;
  constexpr size_t kMh = kAh + 28;
  EXPECT_EQ(frame[kL3 + 6], 51);          // -> AH
  EXPECT_EQ(frame[kAh], 135);             // AH -> mobility
  EXPECT_EQ(frame[kAh + 1], 28 / 4 - 2);  // 4-byte units, minus 2
  EXPECT_EQ(frame[kMh], 17);              // mobility -> UDP
  EXPECT_EQ(frame[kMh + 1], 24 / 8 - 1);  // 8-byte units, minus 1
  EXPECT_EQ(frame[kMh + 2], 5);           // MH type
  EXPECT_EQ(read16(frame, kMh + 24 + 2), 53);
  EXPECT_EQ(read16(frame, kL3 + 4), 28 + 24 + 8);
  EXPECT_THROW(PacketBuilder().authentication_header(10), std::invalid_argument);
  EXPECT_THROW(PacketBuilder().mobility(12), std::invalid_argument);
}

TEST(PacketBuilder, ArpRequest) {
  const auto frame = PacketBuilder().ethernet("02:aa:00:00:00:07").arp().build();
  ASSERT_EQ(frame.size(), kEthernetLength + 28);
  EXPECT_EQ(read16(frame, 12), 0x0806);
  EXPECT_EQ(read16(frame, kL3 + 2), 0x0800);
  EXPECT_EQ(read16(frame, kL3 + 6), kArpRequest);
  EXPECT_EQ(frame[kL3 + 8 + 1], 0xaa);  // sender MAC is the Ethernet source
  EXPECT_EQ(read16(frame, kL3 + 14), 0xc000);
  EXPECT_EQ(frame[kL3 + 27], 2);  // target 192.0.2.2
}

TEST(PacketBuilder, RawBytesAfterAHeaderGetNeutralProtocolNumbers) {
  const auto l2_only = PacketBuilder().ethernet().payload(10).build();
  EXPECT_EQ(read16(l2_only, 12), 0x88b5);
  const auto ip_only = PacketBuilder().ethernet().ipv4("10.0.0.1", "10.0.0.2").payload(4).build();
  EXPECT_EQ(ip_only[kL3 + 9], 59);
  const auto tunnel =
      PacketBuilder().ethernet().ipv4("10.0.0.1", "10.0.0.2").ipv6("::1", "::2").udp(1, 2).build();
  EXPECT_EQ(tunnel[kL3 + 9], 41);
  EXPECT_EQ(tunnel[kL3 + kIpv4Length + 6], 17);
}

TEST(PacketBuilder, TruncationKeepsFieldsOfTheFullPacket) {
  const PacketBuilder builder =
      PacketBuilder().ethernet().ipv4("10.0.0.1", "192.0.2.1").tcp(1000, 80);
  const auto full = builder.build();
  const auto cut = builder.build_truncated(kL3 + kIpv4Length + 4);
  ASSERT_EQ(cut.size(), kL3 + kIpv4Length + 4);
  EXPECT_TRUE(std::equal(cut.begin(), cut.end(), full.begin()));
  EXPECT_EQ(read16(cut, kL3 + 2), kIpv4Length + 20);
  EXPECT_EQ(builder.build_truncated(1000), full);
}

TEST(PacketBuilder, MalformedIpv4Overrides) {
  const auto frame = PacketBuilder()
                         .ethernet()
                         .ipv4("10.0.0.1", "192.0.2.1")
                         .ipv4_ihl(4)
                         .ipv4_total_length(9999)
                         .ip_protocol(132)
                         .udp(1, 2)
                         .build();
  EXPECT_EQ(frame[kL3], 0x44);
  EXPECT_EQ(read16(frame, kL3 + 2), 9999);
  EXPECT_EQ(frame[kL3 + 9], 132);
  EXPECT_EQ(folded_sum(frame, kL3, kIpv4Length), 0xffff);  // only the overridden fields are bad
  EXPECT_EQ(frame.size(), kL3 + kIpv4Length + 8);

  const auto bad_version =
      PacketBuilder().ethernet().ipv4("10.0.0.1", "192.0.2.1").ip_version(7).build();
  EXPECT_EQ(bad_version[kL3], 0x75);
}

TEST(PacketBuilder, MalformedIpv6Overrides) {
  const auto frame = PacketBuilder()
                         .ethernet()
                         .ipv6("2001:db8::1", "2001:db8::2")
                         .ip_version(4)
                         .ipv6_payload_length(1)
                         .ip_protocol(200)
                         .udp(1, 2)
                         .build();
  EXPECT_EQ(frame[kL3] >> 4, 4);
  EXPECT_EQ(read16(frame, kL3 + 4), 1);
  EXPECT_EQ(frame[kL3 + 6], 200);
}

TEST(PacketBuilder, RejectsMisuse) {
  EXPECT_THROW(PacketBuilder().ethernet().udp(1, 2).build(), std::logic_error);
  EXPECT_THROW(PacketBuilder().ethernet().ipv4("10.0.0.1", "10.0.0.2").arp().build(),
               std::logic_error);
  EXPECT_THROW(PacketBuilder().ethernet().ipv4_ihl(4), std::logic_error);
  EXPECT_THROW(PacketBuilder().ethernet().ipv4("10.0.0.1", "10.0.0.2").ipv6_payload_length(1),
               std::logic_error);
  EXPECT_THROW(PacketBuilder().ipv4("10.0.0.256", "10.0.0.2"), std::invalid_argument);
  EXPECT_THROW(PacketBuilder().ipv6("10.0.0.1", "::1"), std::invalid_argument);
  EXPECT_THROW(PacketBuilder().ethernet("02:00:00:00:00"), std::invalid_argument);
  EXPECT_THROW(PacketBuilder().vlan(0x8100, 4096), std::invalid_argument);
  EXPECT_THROW(PacketBuilder().ethernet().ipv4("10.0.0.1", "10.0.0.2").payload(70000).build(),
               std::length_error);
}

}  // namespace
}  // namespace westworld::test
