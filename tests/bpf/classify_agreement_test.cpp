// The kernel agrees with the compiler: random policies (fixed seeds) of 20-50 rules over a
// small address and port universe, so that prefixes nest and ranges overlap, and random
// packets from the same universe. For every packet and both hooks, the verdict must be what
// policy::classify() and the default predict, and exactly the predicted rule (or the default)
// must count it. policy::reference_match() is checked too, so a wrong prediction is caught
// instead of being confirmed.
#include <arpa/inet.h>

#include <array>
#include <cstdio>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "guard_fixture.h"
#include "westworld/policy/loader.h"
#include "westworld/policy/matcher.h"

namespace westworld::bpf_test {
namespace {

using policy::Family;
using Address = std::array<uint8_t, 16>;

constexpr int kPolicies = 40;
constexpr int kPacketsPerPolicy = 50;  // each through XDP and tc: 4000 runs in all
constexpr int kFirstSeed = 1000;

class RandomPolicyWorld {
 public:
  explicit RandomPolicyWorld(uint64_t seed) : rng_(seed) {}

  std::string policy_yaml() {
    std::ostringstream yaml;
    yaml << "version: 1\ncharter:\n";
    yaml << "  default: " << (chance(0.5) ? "allow" : "deny") << "\n";
    yaml << "  fragments: " << (chance(0.5) ? "deny" : "l3-only") << "\n";
    yaml << "  flows:\n";
    const int n_rules = uniform(20, 50);
    for (int i = 0; i < n_rules; ++i) write_rule(yaml, i);
    return yaml.str();
  }

  struct Packet {
    policy::PacketFields fields;  // direction is set per run
    bool non_first_fragment = false;
    Frame frame;
    std::string description;
  };

  Packet packet() {
    Packet p;
    const bool v6 = chance(0.5);
    p.fields.family = v6 ? Family::ipv6 : Family::ipv4;
    p.fields.src = packet_address(v6);
    p.fields.dst = packet_address(v6);
    const int kind = uniform(0, 99);
    const uint8_t protocols[] = {IPPROTO_TCP, IPPROTO_UDP, IPPROTO_ICMP, IPPROTO_ICMPV6,
                                 IPPROTO_NONE};  // none: raw payload, "no next header"
    p.fields.protocol = protocols[kind < 35   ? 0
                                  : kind < 70 ? 1
                                  : kind < 80 ? 2
                                  : kind < 90 ? 3
                                              : 4];
    const bool carries_ports = p.fields.protocol == IPPROTO_TCP || p.fields.protocol == IPPROTO_UDP;
    const uint16_t sport = packet_port();
    const uint16_t dport = packet_port();
    const int fragment_kind = uniform(0, 99);
    p.non_first_fragment = fragment_kind < 15;
    const bool first_fragment = fragment_kind >= 15 && fragment_kind < 20;
    p.fields.has_ports = carries_ports && !p.non_first_fragment;
    if (p.fields.has_ports) {
      p.fields.src_port = sport;
      p.fields.dst_port = dport;
    }

    const std::string src = text_of(v6, p.fields.src);
    const std::string dst = text_of(v6, p.fields.dst);
    PacketBuilder builder;
    builder.ethernet();
    const bool tagged = chance(0.1);
    if (tagged) builder.vlan(0x8100, static_cast<uint16_t>(uniform(1, 4094)));
    const uint16_t offset = p.non_first_fragment ? static_cast<uint16_t>(8 * uniform(1, 180)) : 0;
    const bool more_fragments = first_fragment || (p.non_first_fragment && chance(0.5));
    if (v6) {
      builder.ipv6(src, dst);
      if (p.non_first_fragment || first_fragment) builder.ipv6_fragment(offset, more_fragments);
    } else {
      builder.ipv4(src, dst);
      if (p.non_first_fragment || first_fragment) builder.fragment(offset, more_fragments);
    }
    switch (p.fields.protocol) {
      case IPPROTO_TCP:
        builder.tcp(sport, dport);
        break;
      case IPPROTO_UDP:
        builder.udp(sport, dport);
        break;
      case IPPROTO_ICMP:
        builder.icmp(8, 0);
        break;
      case IPPROTO_ICMPV6:
        builder.icmpv6(128, 0);
        break;
      default:
        break;
    }
    builder.payload(static_cast<size_t>(uniform(0, 64)));
    p.frame = builder.build();

    std::ostringstream out;
    out << (tagged ? "802.1Q " : "") << "proto " << int(p.fields.protocol) << " " << src << ":"
        << sport << " -> " << dst << ":" << dport
        << (p.non_first_fragment ? " non-first fragment"
            : first_fragment     ? " first fragment"
                                 : "")
        << ", " << p.frame.size() << " bytes";
    p.description = out.str();
    return p;
  }

 private:
  bool chance(double p) { return std::bernoulli_distribution(p)(rng_); }
  int uniform(int low, int high) { return std::uniform_int_distribution<int>(low, high)(rng_); }
  template <typename T>
  const T& pick(const std::vector<T>& items) {
    return items[static_cast<size_t>(uniform(0, static_cast<int>(items.size()) - 1))];
  }

  // A small universe: 3 x 3 x 4 IPv4 /24s and 2 x 2 x 4 IPv6 /64s, so random prefixes and
  // random packets meet often and prefixes nest at many lengths.
  Address universe_address(bool v6) {
    Address a{};
    if (!v6) {
      a[0] = static_cast<uint8_t>(pick(std::vector<int>{10, 172, 192}));
      a[1] = static_cast<uint8_t>(uniform(0, 2));
      a[2] = static_cast<uint8_t>(uniform(0, 3));
      a[3] = static_cast<uint8_t>(uniform(0, 255));
      return a;
    }
    const bool documentation = chance(0.5);
    a[0] = documentation ? 0x20 : 0xfd;
    a[1] = documentation ? 0x01 : 0x00;
    a[2] = documentation ? 0x0d : 0x00;
    a[3] = documentation ? 0xb8 : 0x00;
    a[5] = static_cast<uint8_t>(uniform(0, 1));
    a[7] = static_cast<uint8_t>(uniform(0, 3));
    a[14] = static_cast<uint8_t>(uniform(0, 1));
    a[15] = static_cast<uint8_t>(uniform(0, 255));
    return a;
  }

  Address packet_address(bool v6) {
    if (chance(0.9)) return universe_address(v6);
    Address a{};  // anywhere at all
    for (int i = 0; i < (v6 ? 16 : 4); ++i) a[i] = static_cast<uint8_t>(uniform(0, 255));
    return a;
  }

  static std::string text_of(bool v6, const Address& a) {
    char text[INET6_ADDRSTRLEN] = {};
    inet_ntop(v6 ? AF_INET6 : AF_INET, a.data(), text, sizeof text);
    return text;
  }

  std::string random_cidr() {
    const bool v6 = chance(0.5);
    const int length = v6 ? pick(std::vector<int>{0, 16, 32, 44, 48, 56, 64, 100, 120, 127, 128})
                          : pick(std::vector<int>{0, 8, 12, 16, 20, 23, 24, 28, 31, 32});
    Address a = universe_address(v6);
    for (int bit = length; bit < 128; ++bit)
      a[bit / 8] &= static_cast<uint8_t>(~(0x80 >> (bit % 8)));
    return "\"" + text_of(v6, a) + "/" + std::to_string(length) + "\"";
  }

  std::string random_port_entry() {
    const std::vector<int> interesting = {0, 1, 22, 53, 80, 443, 1000, 1024, 2000, 8080, 65535};
    int first = chance(0.5) ? pick(interesting) : uniform(0, 65535);
    if (chance(0.5)) {
      port_edges_.insert(first);
      return std::to_string(first);
    }
    int last = chance(0.5) ? pick(interesting) : uniform(0, 65535);
    if (first > last) std::swap(first, last);
    port_edges_.insert(first);
    port_edges_.insert(last);
    return std::to_string(first) + "-" + std::to_string(last);
  }

  template <typename Make>
  std::string list_of(int n, Make make) {
    std::string out = "[";
    for (int i = 0; i < n; ++i) out += (i ? ", " : "") + make();
    return out + "]";
  }

  void write_rule(std::ostringstream& yaml, int index) {
    const int action = uniform(0, 99);
    const std::string proto =
        pick(std::vector<std::string>{"any", "any", "tcp", "tcp", "udp", "udp", "icmp", "icmpv6"});
    yaml << "    - name: r" << index << "\n";
    yaml << "      action: " << (action < 40 ? "allow" : action < 85 ? "deny" : "audit") << "\n";
    const int direction = uniform(0, 3);
    if (direction < 3) {
      yaml << "      direction: "
           << (direction == 0   ? "ingress"
               : direction == 1 ? "egress"
                                : "both")
           << "\n";
    }
    yaml << "      proto: " << proto << "\n";
    // Rules that match nearly everything would leave the default nothing to decide.
    const bool has_src = chance(0.65);
    const bool has_dst = chance(0.65) || (proto == "any" && !has_src);
    if (has_src) {
      yaml << "      src: " << list_of(uniform(1, 3), [&] { return random_cidr(); }) << "\n";
    }
    if (has_dst) {
      yaml << "      dst: " << list_of(uniform(1, 3), [&] { return random_cidr(); }) << "\n";
    }
    if (proto == "tcp" || proto == "udp") {
      if (chance(0.4)) {
        yaml << "      src_ports: " << list_of(uniform(1, 3), [&] { return random_port_entry(); })
             << "\n";
      }
      if (chance(0.6)) {
        yaml << "      dst_ports: " << list_of(uniform(1, 3), [&] { return random_port_entry(); })
             << "\n";
      }
    }
  }

  // Ports at and next to the rules' range edges, where off-by-ones live.
  uint16_t packet_port() {
    if (!port_edges_.empty() && chance(0.6)) {
      std::vector<int> edges(port_edges_.begin(), port_edges_.end());
      const int port = pick(edges) + uniform(-1, 1);
      if (port >= 0 && port <= 65535) return static_cast<uint16_t>(port);
    }
    return static_cast<uint16_t>(uniform(0, 65535));
  }

  std::mt19937_64 rng_;
  std::set<int> port_edges_;
};

class ClassifyAgreementTest : public GuardTest {};

TEST_F(ClassifyAgreementTest, KernelVerdictsAndRuleCountersMatchTheCompiler) {
  int decided_by_rule = 0, decided_by_default = 0, fragment_drops = 0;
  for (int seed = kFirstSeed; seed < kFirstSeed + kPolicies; ++seed) {
    RandomPolicyWorld world(static_cast<uint64_t>(seed));
    const std::string yaml = world.policy_yaml();
    const policy::LoadResult loaded = policy::load_policy_text(yaml, "random.yaml");
    ASSERT_TRUE(loaded.policy) << "seed " << seed << " made an invalid policy:\n" << yaml;
    const policy::Policy& charter = *loaded.policy;
    const policy::CompiledPolicy& compiled = apply(yaml);

    for (int n = 0; n < kPacketsPerPolicy; ++n) {
      RandomPolicyWorld::Packet packet = world.packet();
      for (uint8_t dir : {kIngress, kEgress}) {
        SCOPED_TRACE("seed " + std::to_string(seed) + " packet " + std::to_string(n) + " " +
                     (dir == kIngress ? "ingress: " : "egress: ") + packet.description);
        packet.fields.direction = dir;
        if (packet.non_first_fragment && charter.fragments == policy::FragmentMode::deny) {
          const CounterSnapshot before = counters();
          EXPECT_EQ(run(dir, packet.frame), Verdict::drop);
          EXPECT_EQ(since(before).drops(WW_DROP_FRAGMENT, dir), 1u);
          ++fragment_drops;
        } else {
          const std::optional<uint32_t> rule = policy::classify(compiled, packet.fields);
          EXPECT_EQ(rule, policy::reference_match(charter, packet.fields))
              << "the compiled tables disagree with a plain scan of the rules";
          const policy::Action action =
              rule ? compiled.rules[*rule].action : charter.default_action;
          expect_decision(dir, packet.frame,
                          action == policy::Action::deny ? Verdict::drop : Verdict::pass, rule);
          ++(rule ? decided_by_rule : decided_by_default);
        }
        if (HasFailure()) {
          ADD_FAILURE() << "stopping at the first disagreement; the policy was:\n" << yaml;
          return;
        }
      }
    }
  }
  // The universe is small on purpose; make sure it really exercised the rules.
  EXPECT_GT(decided_by_rule, 1000);
  EXPECT_GT(decided_by_default, 200);
  EXPECT_GT(fragment_drops, 50);
  std::printf("  %d packets decided by a rule, %d by the default, %d fragment drops\n",
              decided_by_rule, decided_by_default, fragment_drops);
}

}  // namespace
}  // namespace westworld::bpf_test
