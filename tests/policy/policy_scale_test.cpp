// A policy near the data plane's size compiles, through the loader too.
#include <gtest/gtest.h>

#include <random>

#include "westworld/policy/compiled_policy.h"
#include "westworld/policy/loader.h"
#include "westworld/policy/matcher.h"

namespace westworld::policy {
namespace {

constexpr int kRules = 10000;

// Rule i: tcp from its own /24 in 10.0.0.0/8 (IPv4) or its own /64 in
// fd00::/16 (IPv6), to port 1000 + i.
std::string big_policy_yaml() {
  std::string yaml = "version: 1\ncharter:\n  default: deny\n  flows:\n";
  for (int i = 0; i < kRules; ++i) {
    std::string src =
        i % 2 == 0 ? "10." + std::to_string(i / 256) + "." + std::to_string(i % 256) + ".0/24"
                   : "fd00:0:0:" + std::to_string(i) + "::/64";
    yaml += "    - {name: rule-" + std::to_string(i) + ", action: allow, proto: tcp, src: [" + src +
            "], dst_ports: [" + std::to_string(1000 + i) + "]}\n";
  }
  return yaml;
}

TEST(PolicyScale, TenThousandRulesLoadAndCompile) {
  LoadResult loaded = load_policy_text(big_policy_yaml(), "big.yaml");
  ASSERT_TRUE(loaded.policy) << (loaded.diagnostics.empty() ? "" : loaded.diagnostics[0].format());
  EXPECT_TRUE(loaded.diagnostics.empty());
  const Policy& policy = *loaded.policy;
  CompiledPolicy compiled = compile(policy);

  EXPECT_EQ(compiled.config.n_rules, uint32_t{kRules});
  EXPECT_EQ(compiled.config.n_words, 157u);
  EXPECT_EQ(compiled.config.n_summary_words, 3u);
  EXPECT_EQ(compiled.src.size(), size_t{kRules} + 2);
  EXPECT_EQ(compiled.dst.size(), 2u);
  // [0, 999], one interval per rule's port, then [11000, 65535].
  EXPECT_EQ(compiled.dst_ports.starts.size(), size_t{kRules} + 2);
  EXPECT_EQ(compiled.src_ports.starts.size(), 1u);
  EXPECT_EQ(compiled.protocols[WW_DIR_INGRESS][6].indices().size(), size_t{kRules});
  EXPECT_EQ(compiled.digest_hex.size(), 64u);

  std::mt19937 random(7);
  for (int probe = 0; probe < 200; ++probe) {
    int rule = std::uniform_int_distribution<int>(0, kRules - 1)(random);
    PacketFields packet;
    packet.protocol = 6;
    packet.has_ports = true;
    packet.dst_port = static_cast<uint16_t>(1000 + rule);
    packet.family = policy.flows[rule].src[0].family;
    packet.src = policy.flows[rule].src[0].addr;
    packet.src[packet.family == Family::ipv4 ? 3 : 15] = 9;
    EXPECT_EQ(classify(compiled, packet), uint32_t(rule));
    EXPECT_EQ(reference_match(policy, packet), uint32_t(rule));
  }
}

}  // namespace
}  // namespace westworld::policy
