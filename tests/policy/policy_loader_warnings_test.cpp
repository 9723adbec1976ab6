#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "policy_test_util.h"

namespace westworld::policy {
namespace {

using testing::diagnostics_of;
using Lines = std::vector<std::string>;

std::string two_rules(const std::string& earlier, const std::string& later) {
  return "version: 1\ncharter:\n  flows:\n    - {name: earlier, action: allow" + earlier +
         "}\n    - {name: later, action: deny" + later + "}\n";
}

const Lines kShadowed = {
    "p.yaml:5:7: warning: rule 'later' is shadowed by rule 'earlier' (line 4), which matches "
    "every packet it would match"};

TEST(PolicyLoaderWarnings, ShadowedRule) {
  EXPECT_EQ(diagnostics_of(R"(version: 1
charter:
  flows:
    - name: web
      action: allow
      proto: tcp
      dst: [10.0.0.0/8]
      dst_ports: [80-90, 443]
    - name: web-narrow
      action: deny
      direction: ingress
      proto: tcp
      dst: [10.1.0.0/16]
      dst_ports: [85, 443]
)"),
            Lines{"p.yaml:9:7: warning: rule 'web-narrow' is shadowed by rule 'web' (line 4), "
                  "which matches every packet it would match"});
}

TEST(PolicyLoaderWarnings, ShadowNeedsEveryFieldCovered) {
  EXPECT_EQ(diagnostics_of(two_rules("", ", proto: udp, dst_ports: [53]")), kShadowed);
  EXPECT_EQ(diagnostics_of(two_rules(", direction: ingress", "")), Lines{});
  EXPECT_EQ(diagnostics_of(two_rules(", direction: both", ", direction: egress")), kShadowed);
  EXPECT_EQ(diagnostics_of(two_rules(", proto: tcp", "")), Lines{});
  EXPECT_EQ(diagnostics_of(two_rules(", proto: tcp", ", proto: udp")), Lines{});
  // Without ports the later rule also matches packets that carry none.
  EXPECT_EQ(diagnostics_of(two_rules(", proto: tcp, dst_ports: [0-65535]", ", proto: tcp")),
            Lines{});
  EXPECT_EQ(diagnostics_of(two_rules(", proto: tcp, src_ports: [1-10, 5-20]",
                                     ", proto: tcp, src_ports: [2-19]")),
            kShadowed);
  EXPECT_EQ(diagnostics_of(
                two_rules(", proto: tcp, src_ports: [1-10]", ", proto: tcp, src_ports: [2-11]")),
            Lines{});
  EXPECT_EQ(diagnostics_of(two_rules(", src: [10.0.0.0/8]", ", src: [10.9.0.0/16, 10.1.2.3]")),
            kShadowed);
  EXPECT_EQ(diagnostics_of(two_rules(", src: [10.0.0.0/8]", ", src: [10.9.0.0/16, 11.0.0.0/8]")),
            Lines{});
  EXPECT_EQ(diagnostics_of(two_rules(", dst: [0.0.0.0/0]", "")), Lines{});
  EXPECT_EQ(diagnostics_of(two_rules(", dst: [0.0.0.0/0, ::/0]", "")), kShadowed);
}

TEST(PolicyLoaderWarnings, ReportsOnlyTheFirstShadowingRule) {
  EXPECT_EQ(diagnostics_of(R"(version: 1
charter:
  flows:
    - {name: a, action: allow, proto: tcp}
    - {name: b, action: allow, proto: udp}
    - {name: c, action: deny, proto: udp, dst_ports: [53]}
    - {name: d, action: deny}
    - {name: e, action: deny, proto: icmp}
)"),
            (Lines{
                "p.yaml:6:7: warning: rule 'c' is shadowed by rule 'b' (line 5), which matches "
                "every packet it would match",
                "p.yaml:8:7: warning: rule 'e' is shadowed by rule 'd' (line 7), which matches "
                "every packet it would match",
            }));
}

TEST(PolicyLoaderWarnings, AddressFamiliesThatCanNeverMatch) {
  EXPECT_EQ(diagnostics_of(R"(version: 1
charter:
  flows:
    - {name: mixed-up, action: deny, src: [10.0.0.0/8], dst: [2001:db8::/32]}
    - {name: ping6, action: allow, proto: icmpv6, src: [10.0.0.0/8, fd00::/8]}
    - {name: ping, action: allow, proto: icmp, dst: [fd00::/8]}
    - {name: fine, action: allow, src: [10.0.0.0/8, fd00::/8], dst: [192.0.2.0/24]}
)"),
            (Lines{
                "p.yaml:4:7: warning: rule 'mixed-up' can never match: its src, dst and proto "
                "have no address family in common",
                "p.yaml:5:7: warning: rule 'ping6': the IPv4 prefixes in src can never match; the "
                "rule matches only IPv6 packets",
                "p.yaml:6:7: warning: rule 'ping' can never match: its src, dst and proto have no "
                "address family in common",
                "p.yaml:7:7: warning: rule 'fine': the IPv6 prefixes in src can never match; the "
                "rule matches only IPv4 packets",
            }));
}

TEST(PolicyLoaderWarnings, ByteBurstWithoutByteRate) {
  EXPECT_EQ(
      diagnostics_of("version: 1\nanti_meave:\n  quota: {pps: 1, burst: 1, burst_bytes: 4MB}\n"),
      Lines{"p.yaml:3:29: warning: burst_bytes has no effect without bps"});
}

}  // namespace
}  // namespace westworld::policy
