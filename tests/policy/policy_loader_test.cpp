#include <gtest/gtest.h>

#include "policy_test_util.h"
#include "westworld/policy/loader.h"

namespace westworld::policy {
namespace {

using testing::cidr;
using testing::diagnostics_of;
using testing::load_clean;

constexpr const char* kFullPolicy = R"(version: 1
charter:
  default: deny
  fragments: l3-only
  audit_events_per_sec: 250
  flows:
    - name: no-telemetry-export
      action: deny
      direction: egress
      proto: udp
      src: [10.20.0.0/16, 2001:db8:20::/48]
      dst: [198.51.100.0/24, 2001:db8:ff::/48]
      src_ports: [1024-65535]
      dst_ports: [4317, "9000-9100"]
    - name: ping
      action: audit
      direction: ingress
      proto: icmp
    - name: rest
      action: allow
anti_meave:
  identity: {ipv4_prefix: 24, ipv6_prefix: 56}
  quota: {pps: 20000, burst: 5000, bps: 200Mbit, burst_bytes: 4MB}
  classes:
    - name: backbone
      src: [fd00:1::/48]
      quota: {pps: 500000, burst: 100000}
    - name: monitoring
      src: [10.0.0.5/32, 10.0.0.6]
      quota: unlimited
  max_share: 0.10
  share_floor_pps: 50000
  share_window_ms: 250
  on_exceed: count
  max_sources: 65536
)";

TEST(PolicyLoader, LoadsEveryField) {
  Policy policy = load_clean(kFullPolicy);
  EXPECT_EQ(policy.default_action, Action::deny);
  EXPECT_EQ(policy.fragments, FragmentMode::l3_only);
  EXPECT_EQ(policy.audit_events_per_second, 250u);
  ASSERT_EQ(policy.flows.size(), 3u);

  const FlowRule& export_rule = policy.flows[0];
  EXPECT_EQ(export_rule.name, "no-telemetry-export");
  EXPECT_EQ(export_rule.action, Action::deny);
  EXPECT_EQ(export_rule.directions, (Directions{.ingress = false, .egress = true}));
  EXPECT_EQ(export_rule.protocol, Protocol::udp);
  EXPECT_EQ(export_rule.src, (std::vector<Cidr>{cidr("10.20.0.0/16"), cidr("2001:db8:20::/48")}));
  EXPECT_EQ(export_rule.dst,
            (std::vector<Cidr>{cidr("198.51.100.0/24"), cidr("2001:db8:ff::/48")}));
  EXPECT_EQ(export_rule.src_ports, (std::vector<PortRange>{{1024, 65535}}));
  EXPECT_EQ(export_rule.dst_ports, (std::vector<PortRange>{{4317, 4317}, {9000, 9100}}));
  EXPECT_EQ(export_rule.where.line, 7);
  EXPECT_EQ(export_rule.where.column, 7);

  EXPECT_EQ(policy.flows[1].directions, (Directions{.ingress = true, .egress = false}));
  EXPECT_EQ(policy.flows[1].action, Action::audit);
  EXPECT_EQ(policy.flows[1].protocol, Protocol::icmp);
  const FlowRule& rest = policy.flows[2];
  EXPECT_EQ(rest.directions, (Directions{.ingress = true, .egress = true}));
  EXPECT_EQ(rest.protocol, Protocol::any);
  EXPECT_TRUE(rest.src.empty() && rest.dst.empty() && rest.src_ports.empty());

  EXPECT_EQ(policy.identity_ipv4_prefix, 24);
  EXPECT_EQ(policy.identity_ipv6_prefix, 56);
  EXPECT_FALSE(policy.quota.unlimited);
  EXPECT_EQ(policy.quota.pps, 20000u);
  EXPECT_EQ(policy.quota.burst, 5000u);
  EXPECT_EQ(policy.quota.bytes_per_second, 25'000'000u);
  EXPECT_EQ(policy.quota.burst_bytes, 4u * 1024 * 1024);
  ASSERT_EQ(policy.classes.size(), 2u);
  EXPECT_EQ(policy.classes[0].name, "backbone");
  EXPECT_EQ(policy.classes[0].src, std::vector<Cidr>{cidr("fd00:1::/48")});
  EXPECT_EQ(policy.classes[0].quota.pps, 500000u);
  EXPECT_EQ(policy.classes[0].quota.bytes_per_second, 0u);
  EXPECT_EQ(policy.classes[0].where.line, 25);
  EXPECT_EQ(policy.classes[1].src, (std::vector<Cidr>{cidr("10.0.0.5/32"), cidr("10.0.0.6/32")}));
  EXPECT_TRUE(policy.classes[1].quota.unlimited);
  EXPECT_DOUBLE_EQ(policy.max_share, 0.10);
  EXPECT_EQ(policy.share_floor_pps, 50000u);
  EXPECT_EQ(policy.share_window_ms, 250u);
  EXPECT_EQ(policy.on_exceed, OnExceed::count);
  EXPECT_EQ(policy.max_sources, 65536u);
}

TEST(PolicyLoader, FillsDefaults) {
  Policy policy = load_clean("version: 1\n");
  EXPECT_EQ(policy.default_action, Action::allow);
  EXPECT_EQ(policy.fragments, FragmentMode::deny);
  EXPECT_TRUE(policy.flows.empty());
  EXPECT_EQ(policy.audit_events_per_second, 100u);
  EXPECT_EQ(policy.identity_ipv4_prefix, 32);
  EXPECT_EQ(policy.identity_ipv6_prefix, 64);
  EXPECT_TRUE(policy.quota.unlimited);
  EXPECT_TRUE(policy.classes.empty());
  EXPECT_EQ(policy.max_share, 0.0);
  EXPECT_EQ(policy.share_floor_pps, 0u);
  EXPECT_EQ(policy.share_window_ms, 100u);
  EXPECT_EQ(policy.on_exceed, OnExceed::drop);
  EXPECT_EQ(policy.max_sources, 1048576u);

  EXPECT_TRUE(load_clean("version: 1\nanti_meave: {max_share: 0.5}\n").quota.unlimited);
}

TEST(PolicyLoader, ReadsRatesAndSizesWithUnits) {
  auto quota_of = [](const std::string& quota) {
    return load_clean("version: 1\nanti_meave:\n  quota: " + quota + "\n").quota;
  };
  EXPECT_EQ(quota_of("{pps: 1, burst: 1, bps: 8000}").bytes_per_second, 1000u);
  EXPECT_EQ(quota_of("{pps: 1, burst: 1, bps: 64Kbit}").bytes_per_second, 8000u);
  EXPECT_EQ(quota_of("{pps: 1, burst: 1, bps: 1.5Gbit}").bytes_per_second, 187'500'000u);
  EXPECT_EQ(quota_of("{pps: 1, burst: 1, bps: 100mbit}").bytes_per_second, 12'500'000u);
  EXPECT_EQ(quota_of("{pps: 1, burst: 1, bps: 8bit, burst_bytes: 1500}").burst_bytes, 1500u);
  EXPECT_EQ(quota_of("{pps: 1, burst: 1, bps: 8bit, burst_bytes: 2KB}").burst_bytes, 2048u);
  EXPECT_EQ(quota_of("{pps: 1, burst: 1, bps: 8bit, burst_bytes: 2KiB}").burst_bytes, 2048u);
  EXPECT_EQ(quota_of("{pps: 1, burst: 1, bps: 8bit, burst_bytes: 1GiB}").burst_bytes,
            1024u * 1024 * 1024);
  EXPECT_EQ(quota_of("{pps: 1, burst: 1, bps: 8bit, burst_bytes: 1.5MB}").burst_bytes,
            1536u * 1024);
}

TEST(PolicyLoader, DefaultsTheByteBurstTo100Milliseconds) {
  auto burst_bytes = [](const std::string& bps) {
    return load_clean("version: 1\nanti_meave:\n  quota: {pps: 1, burst: 1, bps: " + bps + "}\n")
        .quota.burst_bytes;
  };
  EXPECT_EQ(burst_bytes("800Mbit"), 10'000'000u);
  EXPECT_EQ(burst_bytes("64Kbit"), 9216u);  // never below a jumbo frame
}

TEST(PolicyLoader, LoadsTheShippedPolicies) {
  for (const char* name : {"demo.yaml", "example.yaml"}) {
    LoadResult result = load_policy_file(std::string(WW_POLICIES_DIR) + "/" + name);
    for (const Diagnostic& d : result.diagnostics) ADD_FAILURE() << d.format();
    EXPECT_TRUE(result.policy.has_value()) << name;
  }
}

TEST(PolicyLoader, ReportsAMissingFileWithoutALine) {
  LoadResult result = load_policy_file("/nonexistent/policy.yaml");
  EXPECT_FALSE(result.policy);
  ASSERT_EQ(result.diagnostics.size(), 1u);
  EXPECT_EQ(result.diagnostics[0].format(),
            "/nonexistent/policy.yaml: error: cannot read /nonexistent/policy.yaml: No such file "
            "or directory");
}

TEST(PolicyLoader, ReportsADirectoryAsUnreadable) {
  LoadResult result = load_policy_file("/");
  EXPECT_FALSE(result.policy);
  ASSERT_EQ(result.diagnostics.size(), 1u);
  EXPECT_EQ(result.diagnostics[0].format(), "/: error: cannot read /: Is a directory");
}

TEST(PolicyLoader, ReturnsNoPolicyWhenThereIsAnError) {
  LoadResult result = load_policy_text("version: 1\ncharter: {default: maybe}\n", "p.yaml");
  EXPECT_FALSE(result.policy.has_value());
  EXPECT_TRUE(has_errors(result.diagnostics));
}

TEST(PolicyLoader, ReturnsThePolicyDespiteWarnings) {
  LoadResult result = load_policy_text(R"(version: 1
charter:
  flows:
    - {name: a, action: deny}
    - {name: b, action: allow, proto: tcp}
)",
                                       "p.yaml");
  EXPECT_TRUE(result.policy.has_value());
  EXPECT_FALSE(has_errors(result.diagnostics));
  EXPECT_EQ(result.diagnostics.size(), 1u);
}

TEST(PolicyDiagnostic, FormatsWithAndWithoutLocation) {
  Diagnostic located{Severity::warning, "f.yaml", {3, 9}, "careful"};
  EXPECT_EQ(located.format(), "f.yaml:3:9: warning: careful");
  Diagnostic unlocated{Severity::error, "f.yaml", {}, "gone"};
  EXPECT_EQ(unlocated.format(), "f.yaml: error: gone");
}

}  // namespace
}  // namespace westworld::policy
