// classify() over the compiled tables must agree with the plain linear scan
// of reference_match() for every policy and packet. Policies draw their
// prefixes from a small pool of nested networks and their port ranges from a
// few edges, so rules overlap a lot; packets land on and next to the edges.
#include <gtest/gtest.h>

#include <random>
#include <sstream>

#include "westworld/policy/compiled_policy.h"
#include "westworld/policy/matcher.h"

namespace westworld::policy {
namespace {

constexpr int kSeeds = 200;
constexpr int kPacketsPerPolicy = 400;

const std::vector<Cidr>& prefix_pool() {
  static const std::vector<Cidr> pool = [] {
    std::vector<Cidr> cidrs;
    for (const char* text :
         {"0.0.0.0/0", "10.0.0.0/8", "10.1.0.0/16", "10.1.2.0/24", "10.1.2.128/25", "10.1.2.3/32",
          "10.2.0.0/15", "192.168.0.0/16", "192.168.1.0/24", "::/0", "2001:db8::/32",
          "2001:db8:1::/48", "2001:db8:1:2::/64", "2001:db8:1:2::1/128", "fd00::/8", "fd00:1::/32",
          "fe80::/10"}) {
      cidrs.push_back(*parse_cidr(text));
    }
    return cidrs;
  }();
  return pool;
}

constexpr uint16_t kPortEdges[] = {0, 1, 22, 53, 80, 443, 1023, 1024, 8080, 65534, 65535};

class Generator {
 public:
  explicit Generator(uint32_t seed) : random_(seed) {}

  Policy policy() {
    Policy policy;
    int rules = uniform(1, 60);
    for (int i = 0; i < rules; ++i) policy.flows.push_back(rule(i));
    return policy;
  }

  PacketFields packet() {
    PacketFields packet;
    packet.direction = static_cast<uint8_t>(uniform(0, 1));
    const Cidr& near = pick(prefix_pool());
    packet.family = near.family;
    packet.src = address_near(near);
    packet.dst = address_near(pick_of_family(near.family));
    static constexpr uint8_t kProtocols[] = {6, 17, 1, 58, 0, 47};
    packet.protocol = kProtocols[uniform(0, 5)];
    bool l4 = packet.protocol == 6 || packet.protocol == 17;
    packet.has_ports = l4 ? uniform(0, 4) > 0 : uniform(0, 9) == 0;
    if (packet.has_ports) {
      packet.src_port = port_near_edge();
      packet.dst_port = port_near_edge();
    }
    return packet;
  }

 private:
  int uniform(int low, int high) { return std::uniform_int_distribution<int>(low, high)(random_); }

  template <typename T>
  const T& pick(const std::vector<T>& items) {
    return items[uniform(0, static_cast<int>(items.size()) - 1)];
  }

  const Cidr& pick_of_family(Family family) {
    while (true) {
      const Cidr& cidr = pick(prefix_pool());
      if (cidr.family == family) return cidr;
    }
  }

  std::vector<Cidr> addresses() {
    std::vector<Cidr> cidrs;
    if (uniform(0, 9) < 4) return cidrs;  // any address
    int count = uniform(1, 3);
    for (int i = 0; i < count; ++i) cidrs.push_back(pick(prefix_pool()));
    return cidrs;
  }

  std::vector<PortRange> ports() {
    std::vector<PortRange> ranges;
    if (uniform(0, 1) == 0) return ranges;  // any port
    int count = uniform(1, 3);
    for (int i = 0; i < count; ++i) {
      uint16_t a = kPortEdges[uniform(0, std::size(kPortEdges) - 1)];
      uint16_t b = kPortEdges[uniform(0, std::size(kPortEdges) - 1)];
      ranges.push_back({std::min(a, b), std::max(a, b)});
    }
    return ranges;
  }

  FlowRule rule(int index) {
    FlowRule rule;
    rule.name = "r" + std::to_string(index);
    rule.action = static_cast<Action>(uniform(0, 2));
    static constexpr Directions kDirections[] = {{true, false}, {false, true}, {true, true}};
    rule.directions = kDirections[uniform(0, 2)];
    rule.protocol = static_cast<Protocol>(uniform(0, 4));
    rule.src = addresses();
    rule.dst = addresses();
    if (rule.protocol == Protocol::tcp || rule.protocol == Protocol::udp) {
      rule.src_ports = ports();
      rule.dst_ports = ports();
    }
    return rule;
  }

  // The prefix's network address with some bits flipped near or past the
  // prefix boundary, so packets fall just inside and just outside it.
  std::array<uint8_t, 16> address_near(const Cidr& prefix) {
    std::array<uint8_t, 16> address = prefix.addr;
    int bits = prefix.family == Family::ipv4 ? 32 : 128;
    int flips = uniform(0, 3);
    for (int i = 0; i < flips; ++i) {
      int bit = uniform(std::max(0, prefix.length - 2), bits - 1);
      address[bit / 8] ^= static_cast<uint8_t>(0x80 >> (bit % 8));
    }
    return address;
  }

  uint16_t port_near_edge() {
    int port = kPortEdges[uniform(0, std::size(kPortEdges) - 1)] + uniform(-1, 1);
    return static_cast<uint16_t>(std::clamp(port, 0, 65535));
  }

  std::mt19937 random_;
};

std::string describe(const PacketFields& packet) {
  std::ostringstream out;
  Cidr src{packet.family, packet.src,
           static_cast<uint8_t>(packet.family == Family::ipv4 ? 32 : 128)};
  Cidr dst{packet.family, packet.dst, src.length};
  out << "dir=" << int{packet.direction} << " " << src.to_string() << " -> " << dst.to_string()
      << " proto=" << int{packet.protocol};
  if (packet.has_ports) out << " ports " << packet.src_port << " -> " << packet.dst_port;
  return out.str();
}

TEST(PolicyMatcherProperty, CompiledTablesAgreeWithTheLinearScan) {
  int matched = 0;
  int unmatched = 0;
  for (uint32_t seed = 1; seed <= kSeeds; ++seed) {
    Generator generate(seed);
    Policy policy = generate.policy();
    CompiledPolicy compiled = compile(policy);
    for (int i = 0; i < kPacketsPerPolicy; ++i) {
      PacketFields packet = generate.packet();
      std::optional<uint32_t> expected = reference_match(policy, packet);
      std::optional<uint32_t> actual = classify(compiled, packet);
      ASSERT_EQ(actual, expected) << "seed " << seed << ", packet " << i << ": "
                                  << describe(packet);
      ++(expected ? matched : unmatched);
    }
  }
  // Both outcomes must be common, or the test proves little.
  EXPECT_GT(matched, kSeeds * kPacketsPerPolicy / 10);
  EXPECT_GT(unmatched, kSeeds * kPacketsPerPolicy / 10);
}

}  // namespace
}  // namespace westworld::policy
