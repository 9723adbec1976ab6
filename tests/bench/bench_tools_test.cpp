// The bench's pure parts, without root: the benchmark policy decides the bench
// traffic with its last rules, the nft translation says the same thing in
// nft's words, and the traffic pattern owes the drops the harness expects.
#include <arpa/inet.h>
#include <gtest/gtest.h>

#include <stdexcept>

#include "bench_policy.h"
#include "frames.h"
#include "nft_translator.h"
#include "westworld/policy/loader.h"
#include "westworld/policy/matcher.h"

namespace westworld::bench {
namespace {

using policy::Family;

policy::PacketFields bench_packet(Family family, uint32_t source, uint16_t dport) {
  policy::PacketFields p;
  p.family = family;
  const int af = family == Family::ipv4 ? AF_INET : AF_INET6;
  inet_pton(af, source_address(family, source).c_str(), p.src.data());
  inet_pton(af, family == Family::ipv4 ? kServiceIpv4 : kServiceIpv6, p.dst.data());
  p.protocol = 17;
  p.has_ports = true;
  p.src_port = kSourcePort;
  p.dst_port = dport;
  return p;
}

class BenchPolicyTest : public ::testing::TestWithParam<uint32_t> {};

TEST_P(BenchPolicyTest, TheLastRulesDecideTheTraffic) {
  const uint32_t rules = GetParam();
  const std::string yaml = to_yaml(make_bench_policy({.rules = rules}));
  policy::LoadResult loaded = policy::load_policy_text(yaml, "bench.yaml");
  for (const auto& d : loaded.diagnostics)
    EXPECT_NE(d.severity, policy::Severity::error) << d.format();
  ASSERT_TRUE(loaded.policy);
  ASSERT_EQ(loaded.policy->flows.size(), rules);
  const policy::CompiledPolicy compiled = policy::compile(*loaded.policy);

  for (Family family : {Family::ipv4, Family::ipv6}) {
    for (uint32_t source : {0u, 4u, 999999u}) {
      const struct {
        uint16_t port;
        uint32_t rule;
      } cases[] = {{kAuditPort, rules - 3}, {kDropPort, rules - 2}, {kPassPort, rules - 1}};
      for (const auto& c : cases) {
        const policy::PacketFields packet = bench_packet(family, source, c.port);
        EXPECT_EQ(policy::classify(compiled, packet), c.rule) << "port " << c.port;
        EXPECT_EQ(policy::reference_match(*loaded.policy, packet), c.rule) << "port " << c.port;
      }
      // Any other port falls through every rule to the default, deny.
      EXPECT_EQ(policy::classify(compiled, bench_packet(family, source, 5301)), std::nullopt);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(RuleCounts, BenchPolicyTest, ::testing::Values(10u, 1000u, 10000u));

TEST(BenchPolicy, ParseOnlyHasNoRulesAndNoQuota) {
  policy::LoadResult loaded =
      policy::load_policy_text(to_yaml(make_parse_only_policy(1048576)), "parse-only.yaml");
  ASSERT_TRUE(loaded.policy);
  EXPECT_TRUE(loaded.policy->flows.empty());
  EXPECT_EQ(loaded.policy->default_action, policy::Action::allow);
  EXPECT_TRUE(loaded.policy->quota.unlimited);
}

policy::Policy small_policy() {
  const std::string yaml = R"(version: 1
charter:
  default: deny
  flows:
    - {name: egress-only, action: deny, direction: egress, proto: udp, dst_ports: [53]}
    - {name: mixed, action: allow, direction: ingress, proto: tcp,
       src: [10.0.0.0/8, 2001:db8::/32], dst_ports: [22, 8000-8080]}
    - {name: host, action: audit, direction: both, proto: udp,
       src: [192.0.2.7/32], dst_ports: [4318]}
    - {name: pings, action: allow, direction: ingress, proto: icmp}
anti_meave:
  identity: {ipv4_prefix: 24, ipv6_prefix: 64}
  quota: {pps: 100, burst: 10}
  max_sources: 4096
)";
  policy::LoadResult loaded = policy::load_policy_text(yaml, "small.yaml");
  if (!loaded.policy) throw std::runtime_error("small policy rejected");
  return *loaded.policy;
}

TEST(NftTranslator, SaysWhatTheGuardDoesAtIngress) {
  const std::string nft = translate_to_nft(small_policy(), {.device = "wwb-rx"});
  auto has = [&](const std::string& line) {
    EXPECT_NE(nft.find(line), std::string::npos) << "missing: " << line << "\nin:\n" << nft;
  };
  has("table netdev westworld_bench {");
  has("type filter hook ingress device \"wwb-rx\" priority 0; policy accept;");
  has("meta protocol != { ip, ip6 } counter name ww_delivered accept");
  has("ip frag-off & 0x1fff != 0 counter name ww_dropped drop");
  // One rule per address family, ports as one anonymous set.
  has("ip saddr 10.0.0.0/8 meta l4proto tcp tcp dport { 22, 8000-8080 } goto ww_quota");
  has("ip6 saddr 2001:db8::/32 meta l4proto tcp tcp dport { 22, 8000-8080 } goto ww_quota");
  has("ip saddr 192.0.2.7 meta l4proto udp udp dport 4318 counter name ww_audited goto ww_quota");
  has("meta protocol ip meta l4proto icmp goto ww_quota");
  // The quota is a meter over the identity prefix, after the rule decision.
  has("update @ww_src4 { ip saddr & 255.255.255.0 limit rate over 100/second burst 10 packets }");
  has("update @ww_src6 { ip6 saddr & ffff:ffff:ffff:ffff:: limit rate over 100/second");
  has("size 4096;");
  EXPECT_EQ(nft.find("egress-only\n    "), std::string::npos)
      << "egress rules have no ingress meaning";
  // The charter default closes the chain.
  const size_t default_at =
      nft.find("# charter default: deny\n    counter name ww_dropped drop\n  }");
  EXPECT_NE(default_at, std::string::npos);
}

TEST(NftTranslator, RefusesWhatItCannotExpressAlike) {
  policy::Policy p = small_policy();
  p.max_share = 0.1;
  EXPECT_THROW(translate_to_nft(p, {.device = "x"}), std::invalid_argument);
  p = small_policy();
  p.quota.bytes_per_second = 1000;
  EXPECT_THROW(translate_to_nft(p, {.device = "x"}), std::invalid_argument);
}

TEST(Frames, TheMixOwesAKnownNumberOfDrops) {
  EXPECT_EQ(intended_drops(TrafficMix::pass_heavy, 0), 0u);
  EXPECT_EQ(intended_drops(TrafficMix::pass_heavy, 1), 1u);  // packet 0 is drop-intended
  EXPECT_EQ(intended_drops(TrafficMix::pass_heavy, 25), 3u);
  EXPECT_EQ(intended_drops(TrafficMix::drop_heavy, 25), 9u + 9u + 5u);
  for (TrafficMix mix : {TrafficMix::pass_heavy, TrafficMix::drop_heavy}) {
    const auto frames = frame_set(TrafficFamily::vlan, mix, 1000000, 10);
    uint32_t drops = 0, ipv6 = 0;
    for (const BenchFrame& f : frames) {
      drops += f.drop_intended;
      ipv6 += f.family == Family::ipv6;
      EXPECT_LT(f.source, 500000u) << "vlan splits its sources between the families";
    }
    EXPECT_EQ(drops, drops_per_period(mix));
    EXPECT_EQ(ipv6, 5u);
  }
}

TEST(Frames, SourceKeysAreTheIdentityPrefix) {
  const ww_source_key v4 = source_key(Family::ipv4, 0x010203);
  EXPECT_EQ(source_address(Family::ipv4, 0x010203), "10.1.2.4");
  EXPECT_EQ(v4.addr[0], 10);
  EXPECT_EQ(v4.addr[3], 4);
  EXPECT_EQ(v4.addr[4], 0);
  EXPECT_EQ(source_address(Family::ipv6, 0x10002), "fd00:0:1:2::1");
  const ww_source_key v6 = source_key(Family::ipv6, 0x10002);
  EXPECT_EQ(v6.addr[5], 1);
  EXPECT_EQ(v6.addr[7], 2);
  EXPECT_EQ(v6.addr[15], 0) << "the host part is masked off";
}

}  // namespace
}  // namespace westworld::bench
