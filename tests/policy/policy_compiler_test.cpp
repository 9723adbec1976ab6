#include <gtest/gtest.h>

#include <cstring>

#include "policy_test_util.h"
#include "westworld/policy/compiled_policy.h"

namespace westworld::policy {
namespace {

using testing::cidr;
using testing::load_clean;
using Indices = std::vector<uint32_t>;

constexpr const char* kSmallPolicy = R"(version: 1
charter:
  default: deny
  fragments: l3-only
  flows:
    - name: web
      action: allow
      direction: ingress
      proto: tcp
      src: [10.0.0.0/8]
      dst_ports: [80, 443]
    - name: dns
      action: audit
      proto: udp
      src: [10.1.0.0/16, 2001:db8::/32]
      dst_ports: [53]
    - name: rest
      action: deny
      direction: egress
anti_meave:
  identity: {ipv4_prefix: 24, ipv6_prefix: 48}
  quota: {pps: 1000, burst: 100}
  classes:
    - name: big
      src: [10.0.0.0/8]
      quota: unlimited
  max_share: 0.25
  share_floor_pps: 2000
  share_window_ms: 50
  on_exceed: count
  reverse_path: strict
  max_sources: 4096
)";

struct Entry {
  std::string prefix;
  Indices rules;
  friend bool operator==(const Entry&, const Entry&) = default;
  friend std::ostream& operator<<(std::ostream& out, const Entry& e) {
    out << e.prefix << " {";
    for (uint32_t r : e.rules) out << " " << r;
    return out << " }";
  }
};

std::vector<Entry> entries(const std::vector<PrefixEntry>& table) {
  std::vector<Entry> result;
  for (const PrefixEntry& entry : table) {
    result.push_back({entry.prefix.to_string(), entry.rules.indices()});
  }
  return result;
}

std::vector<Indices> interval_rules(const PortTable& table) {
  std::vector<Indices> result;
  for (const RuleSet& rules : table.rules) result.push_back(rules.indices());
  return result;
}

class PolicyCompiler : public ::testing::Test {
 protected:
  CompiledPolicy compiled = compile(load_clean(kSmallPolicy));
};

TEST_F(PolicyCompiler, KeepsRulesInFileOrder) {
  ASSERT_EQ(compiled.rules.size(), 3u);
  EXPECT_EQ(compiled.rules[0].name, "web");
  EXPECT_EQ(compiled.rules[1].action, Action::audit);
  EXPECT_EQ(compiled.rules[2].where.line, 17);
}

TEST_F(PolicyCompiler, BuildsPrefixTables) {
  EXPECT_EQ(entries(compiled.src), (std::vector<Entry>{
                                       {"0.0.0.0/0", {2}},
                                       {"10.0.0.0/8", {0, 2}},
                                       {"10.1.0.0/16", {0, 1, 2}},
                                       {"::/0", {2}},
                                       {"2001:db8::/32", {1, 2}},
                                   }));
  EXPECT_EQ(entries(compiled.dst), (std::vector<Entry>{
                                       {"0.0.0.0/0", {0, 1, 2}},
                                       {"::/0", {0, 1, 2}},
                                   }));
}

TEST_F(PolicyCompiler, BuildsPortTables) {
  const PortTable& dst = compiled.dst_ports;
  EXPECT_EQ(dst.starts, (std::vector<uint16_t>{0, 53, 54, 80, 81, 443, 444}));
  EXPECT_EQ(interval_rules(dst),
            (std::vector<Indices>{{2}, {1, 2}, {2}, {0, 2}, {2}, {0, 2}, {2}}));
  EXPECT_EQ(dst.no_ports.indices(), Indices{2});
  EXPECT_EQ(dst.interval_of(0), 0u);
  EXPECT_EQ(dst.interval_of(52), 0u);
  EXPECT_EQ(dst.interval_of(53), 1u);
  EXPECT_EQ(dst.interval_of(54), 2u);
  EXPECT_EQ(dst.interval_of(443), 5u);
  EXPECT_EQ(dst.interval_of(65535), 6u);

  const PortTable& src = compiled.src_ports;
  EXPECT_EQ(src.starts, std::vector<uint16_t>{0});
  EXPECT_EQ(interval_rules(src), (std::vector<Indices>{{0, 1, 2}}));
  EXPECT_EQ(src.no_ports.indices(), (Indices{0, 1, 2}));
}

TEST_F(PolicyCompiler, MergesNeighbouringIntervalsWithEqualRules) {
  CompiledPolicy merged = compile(load_clean(R"(version: 1
charter:
  flows:
    - {name: a, action: allow, proto: tcp, dst_ports: [10-20, 21-30, 25, 65535]}
    - {name: b, action: allow, proto: tcp, dst_ports: [0-9]}
)"));
  EXPECT_EQ(merged.dst_ports.starts, (std::vector<uint16_t>{0, 10, 31, 65535}));
  EXPECT_EQ(interval_rules(merged.dst_ports), (std::vector<Indices>{{1}, {0}, {}, {0}}));
}

TEST_F(PolicyCompiler, BuildsProtocolTables) {
  const auto& ingress = compiled.protocols[WW_DIR_INGRESS];
  const auto& egress = compiled.protocols[WW_DIR_EGRESS];
  EXPECT_EQ(ingress[6].indices(), Indices{0});
  EXPECT_EQ(ingress[17].indices(), Indices{1});
  EXPECT_EQ(ingress[1].indices(), Indices{});
  EXPECT_EQ(egress[6].indices(), Indices{2});
  EXPECT_EQ(egress[17].indices(), (Indices{1, 2}));
  EXPECT_EQ(egress[58].indices(), Indices{2});
  EXPECT_EQ(egress[0].indices(), Indices{2});
}

TEST_F(PolicyCompiler, FillsTheConfig) {
  const ww_policy_config& config = compiled.config;
  EXPECT_EQ(config.abi_version, WW_ABI_VERSION);
  EXPECT_EQ(config.n_rules, 3u);
  EXPECT_EQ(config.n_words, 1u);
  EXPECT_EQ(config.n_summary_words, 1u);
  EXPECT_EQ(config.default_action, WW_ACTION_DENY);
  EXPECT_EQ(config.fragments, WW_FRAGMENTS_L3_ONLY);
  EXPECT_EQ(config.on_exceed, WW_EXCEED_COUNT);
  EXPECT_EQ(config.ipv4_prefix, 24);
  EXPECT_EQ(config.ipv6_prefix, 48);
  EXPECT_EQ(config.has_classes, 1);
  EXPECT_EQ(config.reverse_path, WW_REVERSE_PATH_STRICT);
  EXPECT_EQ(config.max_share_ppm, 250000u);
  EXPECT_EQ(config.audit_events_per_sec, 100u);
  EXPECT_EQ(config.share_window_ns, 50'000'000u);
  EXPECT_EQ(config.share_floor_packets, 100u);
  EXPECT_EQ(config.generation, 0u);
  EXPECT_EQ(config.applied_at_unix_ns, 0u);
  EXPECT_EQ(compiled.max_sources, 4096u);
}

TEST_F(PolicyCompiler, PutsTheDefaultQuotaFirst) {
  ASSERT_EQ(compiled.classes.size(), 2u);
  EXPECT_EQ(compiled.classes[0].name, "default");
  EXPECT_TRUE(compiled.classes[0].src.empty());
  EXPECT_EQ(compiled.classes[0].quota.packet_interval_ns, 1'000'000u);
  EXPECT_EQ(compiled.classes[1].name, "big");
  EXPECT_EQ(compiled.classes[1].src, std::vector<Cidr>{cidr("10.0.0.0/8")});
  EXPECT_EQ(compiled.classes[1].quota.unlimited, 1);
}

TEST_F(PolicyCompiler, CountsWordsForLargerPolicies) {
  Policy policy;
  policy.flows.resize(4097);
  ww_policy_config config = compile(policy).config;
  EXPECT_EQ(config.n_words, 65u);
  EXPECT_EQ(config.n_summary_words, 2u);
  EXPECT_EQ(config.has_classes, 0);
  EXPECT_EQ(config.max_share_ppm, 0u);
}

TEST(PolicyCompilerEmpty, CompilesAPolicyWithoutRules) {
  CompiledPolicy compiled = compile(load_clean("version: 1\n"));
  EXPECT_EQ(compiled.config.n_rules, 0u);
  EXPECT_EQ(compiled.config.n_words, 0u);
  EXPECT_EQ(compiled.config.n_summary_words, 0u);
  EXPECT_EQ(compiled.src.size(), 2u);
  EXPECT_EQ(compiled.dst_ports.starts, std::vector<uint16_t>{0});
  EXPECT_EQ(compiled.classes.size(), 1u);
  EXPECT_EQ(compiled.classes[0].quota.unlimited, 1);
}

TEST(PolicyCompilerDigest, IsStableAndDistinguishesPolicies) {
  Policy policy = load_clean(kSmallPolicy);
  CompiledPolicy first = compile(policy);
  CompiledPolicy second = compile(policy);
  EXPECT_EQ(to_json(first).dump(), to_json(second).dump());
  EXPECT_EQ(first.digest_hex, second.digest_hex);
  ASSERT_EQ(first.digest_hex.size(), 64u);
  EXPECT_EQ(first.digest_hex.find_first_not_of("0123456789abcdef"), std::string::npos);

  policy.flows[1].dst_ports[0].last = 54;
  EXPECT_NE(compile(policy).digest_hex, first.digest_hex);
  policy = load_clean(kSmallPolicy);
  policy.quota.burst = 101;
  EXPECT_NE(compile(policy).digest_hex, first.digest_hex);
  policy = load_clean(kSmallPolicy);
  policy.reverse_path = ReversePath::loose;
  EXPECT_NE(compile(policy).digest_hex, first.digest_hex);
}

TEST(PolicyCompilerDigest, AnUncheckedPathKeepsTheDigestOfAPolicyWithoutTheField) {
  // Policies written before reverse_path existed keep their digests (and so their approvals).
  Policy policy = load_clean(kSmallPolicy);
  policy.reverse_path = ReversePath::off;
  const CompiledPolicy off = compile(policy);
  EXPECT_EQ(to_json(off).dump().find("reverse_path"), std::string::npos);
  EXPECT_EQ(off.config.reverse_path, WW_REVERSE_PATH_OFF);
  policy.reverse_path = ReversePath::strict;
  EXPECT_NE(to_json(compile(policy)).dump().find("\"reverse_path\":\"strict\""), std::string::npos);
}

TEST(PolicyCompilerDigest, ConfigHoldsTheSameDigest) {
  CompiledPolicy compiled = compile(load_clean(kSmallPolicy));
  std::string hex;
  for (uint8_t byte : compiled.config.digest) {
    static const char* kDigits = "0123456789abcdef";
    hex += kDigits[byte >> 4];
    hex += kDigits[byte & 15];
  }
  EXPECT_EQ(hex, compiled.digest_hex);
}

}  // namespace
}  // namespace westworld::policy
