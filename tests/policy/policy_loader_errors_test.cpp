// Every class of error the loader detects, each with its exact location.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "policy_test_util.h"
#include "westworld/abi.h"

namespace westworld::policy {
namespace {

using testing::diagnostics_of;
using Lines = std::vector<std::string>;

TEST(PolicyLoaderErrors, UnknownFieldsAtEveryLevel) {
  EXPECT_EQ(diagnostics_of(R"(version: 1
charter:
  defaults: deny
  flows:
    - name: a
      action: allow
      prot: tcp
anti-meave: {}
)"),
            (Lines{
                "p.yaml:3:3: error: unknown field 'defaults' in charter; did you mean 'default'?",
                "p.yaml:7:7: error: unknown field 'prot' in flow rule; did you mean 'proto'?",
                "p.yaml:8:1: error: unknown field 'anti-meave' in policy; did you mean "
                "'anti_meave'?",
            }));
  EXPECT_EQ(
      diagnostics_of(R"(version: 1
anti_meave:
  identity: {ipv4: 24}
  quota: {pps: 10, burst: 5, bytes: 100}
  classes:
    - {name: c, src: [10.0.0.0/8], quota: unlimited, comment: x}
  share: 0.5
)"),
      (Lines{
          "p.yaml:3:14: error: unknown field 'ipv4' in identity; expected ipv4_prefix or "
          "ipv6_prefix",
          "p.yaml:4:30: error: unknown field 'bytes' in quota; expected pps, burst, bps or "
          "burst_bytes",
          "p.yaml:6:54: error: unknown field 'comment' in class; expected name, src, quota or "
          "protected",
          "p.yaml:7:3: error: unknown field 'share' in anti_meave; expected identity, quota, "
          "classes, max_share, share_floor_pps, share_window_ms, on_exceed, max_sources, "
          "detect or reverse_path",
      }));
}

TEST(PolicyLoaderErrors, RepeatedField) {
  EXPECT_EQ(diagnostics_of("version: 1\nversion: 1\n"),
            Lines{"p.yaml:2:1: error: duplicate field 'version' in policy (first on line 1)"});
}

TEST(PolicyLoaderErrors, BadCidrs) {
  EXPECT_EQ(diagnostics_of(R"(version: 1
charter:
  flows:
    - name: a
      action: deny
      src: [10.0.0.1/8, 10.0.0.0/33]
      dst: [300.1.1.1/32, fd00::/129, [10.0.0.0/8]]
)"),
            (Lines{
                "p.yaml:6:13: error: host bits set in 10.0.0.1/8; did you mean 10.0.0.0/8?",
                "p.yaml:6:25: error: bad CIDR '10.0.0.0/33': the prefix length must be 0-32 for "
                "IPv4",
                "p.yaml:7:13: error: bad CIDR '300.1.1.1/32': '300.1.1.1' is not an IPv4 or IPv6 "
                "address",
                "p.yaml:7:27: error: bad CIDR 'fd00::/129': the prefix length must be 0-128 for "
                "IPv6",
                "p.yaml:7:39: error: dst entry must be a single value, not a list",
            }));
}

TEST(PolicyLoaderErrors, BadPorts) {
  EXPECT_EQ(diagnostics_of(R"(version: 1
charter:
  flows:
    - name: a
      action: allow
      proto: tcp
      dst_ports: [9100-9000, 70000, 80-65536, http]
)"),
            (Lines{
                "p.yaml:7:19: error: reversed port range 9100-9000; did you mean 9000-9100?",
                "p.yaml:7:30: error: port 70000 is out of range 0-65535",
                "p.yaml:7:37: error: port 65536 is out of range 0-65535",
                "p.yaml:7:47: error: bad port 'http'; expected a port number or a range such as "
                "1024-65535",
            }));
}

TEST(PolicyLoaderErrors, PortsNeedTcpOrUdp) {
  EXPECT_EQ(diagnostics_of(R"(version: 1
charter:
  flows:
    - name: a
      action: allow
      src_ports: [53]
    - name: b
      action: allow
      proto: icmp
      dst_ports: [1-2]
    - {name: c, action: deny, proto: icmpv6, dst_ports: [7]}
)"),
            (Lines{
                "p.yaml:6:7: error: src_ports needs proto tcp or udp; this rule's proto is any",
                "p.yaml:10:7: error: dst_ports needs proto tcp or udp; this rule's proto is icmp",
                "p.yaml:11:46: error: dst_ports needs proto tcp or udp; this rule's proto is "
                "icmpv6",
            }));
}

TEST(PolicyLoaderErrors, EmptyMatchLists) {
  EXPECT_EQ(diagnostics_of(R"(version: 1
charter:
  flows:
    - {name: a, action: allow, proto: tcp, src: [], dst_ports: []}
)"),
            (Lines{
                "p.yaml:4:49: error: src is empty, so the rule could never match; omit src to "
                "match any address",
                "p.yaml:4:64: error: dst_ports is empty, so the rule could never match; omit "
                "dst_ports to match any port",
            }));
}

TEST(PolicyLoaderErrors, NonPositiveRates) {
  EXPECT_EQ(diagnostics_of(R"(version: 1
anti_meave:
  quota: {pps: 0, burst: -5, bps: 0Mbit}
  classes:
    - name: c
      src: [10.0.0.0/8]
      quota: {pps: 10, burst: 1, bps: -1Gbit, burst_bytes: 0}
)"),
            (Lines{
                "p.yaml:3:16: error: pps must be positive, not 0",
                "p.yaml:3:26: error: burst must be positive, not -5",
                "p.yaml:3:35: error: bps must be positive, not 0Mbit",
                "p.yaml:7:39: error: bps must be positive, not -1Gbit",
                "p.yaml:7:60: error: burst_bytes must be positive, not 0",
            }));
}

TEST(PolicyLoaderErrors, BadQuantities) {
  EXPECT_EQ(diagnostics_of(R"(version: 1
anti_meave:
  quota:
    pps: fast
    burst: 1.5
    bps: 4
    burst_bytes: 4 MB
  classes:
    - {name: c, src: [10.0.0.0/8], quota: {pps: 1, burst: 1, bps: 1Tbit, burst_bytes: 1Mb}}
)"),
            (Lines{
                "p.yaml:4:10: error: pps must be an integer, not 'fast'",
                "p.yaml:5:12: error: burst must be an integer, not '1.5'",
                "p.yaml:6:10: error: bps must be at least 8 bit (one byte per second), not 4",
                "p.yaml:9:67: error: bps must be a rate such as 200Mbit (bit, Kbit, Mbit or Gbit), "
                "not '1Tbit'",
                "p.yaml:9:87: error: burst_bytes must be a size such as 4MB (B, KB, MB or GB), not "
                "'1Mb'",
            }));
}

TEST(PolicyLoaderErrors, DuplicateRuleName) {
  EXPECT_EQ(diagnostics_of(R"(version: 1
charter:
  flows:
    - {name: web, action: allow, proto: tcp}
    - {name: ssh, action: allow, proto: udp}
    - {name: web, action: deny, proto: icmp}
)"),
            Lines{"p.yaml:6:14: error: duplicate rule name 'web' (first used on line 4)"});
}

TEST(PolicyLoaderErrors, BadRuleNames) {
  EXPECT_EQ(diagnostics_of(R"(version: 1
charter:
  flows:
    - {name: No_Telemetry, action: deny}
    - {name: "", action: deny, proto: tcp}
)"),
            (Lines{
                "p.yaml:4:14: error: bad rule name 'No_Telemetry'; use lowercase letters, digits "
                "and '-'",
                "p.yaml:5:14: error: bad rule name ''; use lowercase letters, digits and '-'",
            }));
}

TEST(PolicyLoaderErrors, BadEnumValues) {
  EXPECT_EQ(diagnostics_of(R"(version: 1
charter:
  default: audit
  fragments: allow
  flows:
    - name: a
      action: permit
      direction: inbound
      proto: sctp
anti_meave:
  on_exceed: log
  reverse_path: yes
)"),
            (Lines{
                "p.yaml:3:12: error: unknown default 'audit'; expected allow or deny",
                "p.yaml:4:14: error: unknown fragments 'allow'; expected deny or l3-only",
                "p.yaml:7:15: error: unknown action 'permit'; expected allow, deny or audit",
                "p.yaml:8:18: error: unknown direction 'inbound'; expected ingress, egress or both",
                "p.yaml:9:14: error: unknown proto 'sctp'; expected any, tcp, udp, icmp or icmpv6",
                "p.yaml:11:14: error: unknown on_exceed 'log'; expected drop or count",
                "p.yaml:12:17: error: unknown reverse_path 'yes'; expected off, loose or strict",
            }));
}

TEST(PolicyLoaderErrors, WrongTypes) {
  EXPECT_EQ(diagnostics_of(R"(version: 1
charter:
  flows:
    - name: [a]
      action: deny
      proto: tcp
      src: 10.0.0.0/8
      dst_ports: {from: 1}
    - just-a-string
anti_meave:
  quota: [1, 2]
  classes: none
  identity:
)"),
            (Lines{
                "p.yaml:4:13: error: name must be a single value, not a list",
                "p.yaml:7:12: error: src must be a list, not '10.0.0.0/8'",
                "p.yaml:8:18: error: dst_ports must be a list, not a mapping",
                "p.yaml:9:7: error: flow rule must be a mapping, not 'just-a-string'",
                "p.yaml:11:10: error: quota must be unlimited or a mapping such as {pps: 20000, "
                "burst: 5000}, not a list",
                "p.yaml:12:12: error: classes must be a list, not 'none'",
                "p.yaml:13:3: error: identity must be a mapping, not empty",
            }));
  EXPECT_EQ(diagnostics_of("version: 1\ncharter: [flows]\n"),
            Lines{"p.yaml:2:10: error: charter must be a mapping, not a list"});
}

TEST(PolicyLoaderErrors, MissingRequiredFields) {
  EXPECT_EQ(diagnostics_of(R"(version: 1
charter:
  flows:
    - action: allow
    - name: b
      proto: tcp
anti_meave:
  quota: {pps: 5}
  classes:
    - name: c
)"),
            (Lines{
                "p.yaml:4:7: error: flow rule is missing required field 'name'",
                "p.yaml:5:7: error: flow rule is missing required field 'action'",
                "p.yaml:8:10: error: quota is missing required field 'burst'",
                "p.yaml:10:7: error: class is missing required field 'src'",
                "p.yaml:10:7: error: class is missing required field 'quota'",
            }));
}

// The parser stops at the first problem; its location is reported as is.
TEST(PolicyLoaderErrors, BadYaml) {
  EXPECT_EQ(diagnostics_of("version: 1\ncharter:\n  default: deny\n   fragments: deny\n"),
            Lines{"p.yaml:4:13: error: invalid YAML: illegal map value"});
  EXPECT_EQ(diagnostics_of("version: 1\ncharter:\n  flows: [a, b\n"),
            Lines{"p.yaml:4:1: error: invalid YAML: end of sequence flow not found"});
}

TEST(PolicyLoaderErrors, Version) {
  EXPECT_EQ(diagnostics_of("charter: {}\n"),
            Lines{"p.yaml:1:1: error: policy is missing required field 'version'"});
  EXPECT_EQ(
      diagnostics_of("version: 2\n"),
      Lines{"p.yaml:1:10: error: unsupported policy version '2'; this Westworld reads version 1"});
  EXPECT_EQ(diagnostics_of(""),
            Lines{"p.yaml:1:1: error: the policy is empty; it needs at least 'version: 1'"});
  EXPECT_EQ(diagnostics_of("- version: 1\n"),
            Lines{"p.yaml:1:1: error: policy must be a mapping, not a list"});
}

TEST(PolicyLoaderErrors, MaxShareOutOfRange) {
  auto share = [](const std::string& value) {
    return diagnostics_of("version: 1\nanti_meave:\n  max_share: " + value + "\n");
  };
  EXPECT_EQ(share("0"), Lines{"p.yaml:3:14: error: max_share must be a fraction in (0, 1], not 0; "
                              "omit it to disable the share cap"});
  EXPECT_EQ(share("1.5"), Lines{"p.yaml:3:14: error: max_share must be a fraction in (0, 1], not "
                                "1.5; omit it to disable the share cap"});
  EXPECT_EQ(share("-0.1"), Lines{"p.yaml:3:14: error: max_share must be a fraction in (0, 1], not "
                                 "-0.1; omit it to disable the share cap"});
  EXPECT_EQ(share("1e-9"),
            Lines{"p.yaml:3:14: error: max_share must be at least 0.000001, not 1e-9"});
  EXPECT_EQ(share("10%"), Lines{"p.yaml:3:14: error: max_share must be a number, not '10%'"});
  EXPECT_TRUE(share("1").empty());
}

TEST(PolicyLoaderErrors, OtherAntiMeaveRanges) {
  EXPECT_EQ(diagnostics_of(R"(version: 1
anti_meave:
  identity: {ipv4_prefix: 0, ipv6_prefix: 129}
  share_window_ms: 0
  max_sources: 0
charter:
  audit_events_per_sec: -1
)"),
            (Lines{
                "p.yaml:3:27: error: ipv4_prefix must be between 1 and 32, not 0",
                "p.yaml:3:43: error: ipv6_prefix must be between 1 and 128, not 129",
                "p.yaml:4:20: error: share_window_ms must be between 1 and 10000, not 0",
                "p.yaml:5:16: error: max_sources must be between 1 and 4294967295, not 0",
                "p.yaml:7:25: error: audit_events_per_sec must be between 0 and 4294967295, not -1",
            }));
  EXPECT_EQ(diagnostics_of("version: 1\nanti_meave:\n  identity: {ipv4_prefix: 33}\n"),
            Lines{"p.yaml:3:27: error: ipv4_prefix must be between 1 and 32, not 33"});
}

TEST(PolicyLoaderErrors, TooManyRules) {
  std::string yaml = "version: 1\ncharter:\n  flows:\n";
  for (int i = 0; i <= WW_MAX_RULES; ++i) {
    yaml += "    - {name: r" + std::to_string(i) + ", action: allow, proto: tcp}\n";
  }
  LoadResult result = load_policy_text(yaml, "p.yaml");
  EXPECT_FALSE(result.policy);
  ASSERT_FALSE(result.diagnostics.empty());
  EXPECT_EQ(result.diagnostics[0].format(),
            "p.yaml:3:3: error: too many flow rules (16385); the data plane holds at most 16384");
}

TEST(PolicyLoaderErrors, TooManyClasses) {
  std::string yaml = "version: 1\nanti_meave:\n  classes:\n";
  for (int i = 0; i < WW_MAX_CLASSES; ++i) {
    yaml += "    - {name: c" + std::to_string(i) + ", src: [10." + std::to_string(i / 256) + "." +
            std::to_string(i % 256) + ".0/24], quota: unlimited}\n";
  }
  EXPECT_EQ(diagnostics_of(yaml),
            Lines{"p.yaml:3:3: error: too many classes (1024); the data plane holds at most 1023 "
                  "besides the default quota"});
}

TEST(PolicyLoaderErrors, ClassNamesAndPrefixes) {
  EXPECT_EQ(diagnostics_of(R"(version: 1
anti_meave:
  classes:
    - {name: a, src: [10.0.0.0/8], quota: unlimited}
    - {name: a, src: [10.1.0.0/16], quota: unlimited}
    - {name: default, src: [10.2.0.0/16], quota: unlimited}
    - {name: b, src: [10.3.0.0/16, 10.0.0.0/8], quota: unlimited}
    - {name: Big, src: [], quota: unlimited}
)"),
            (Lines{
                "p.yaml:5:14: error: duplicate class name 'a' (first used on line 4)",
                "p.yaml:6:14: error: class name 'default' is reserved for the default quota",
                "p.yaml:7:22: error: prefix 10.0.0.0/8 is already in class 'a' (line 4)",
                "p.yaml:8:14: error: bad class name 'Big'; use lowercase letters, digits and '-'",
                "p.yaml:8:24: error: src is empty; a class needs at least one prefix",
            }));
}

// Problems are found section by section, and a rule's port check only after
// all its fields; they are still reported in file order.
TEST(PolicyLoaderErrors, ReportsEveryErrorInFileOrder) {
  EXPECT_EQ(diagnostics_of(R"(version: 1
anti_meave:
  on_exceed: never
charter:
  flows:
    - name: a
      action: allow
      src_ports: [80]
      proto: icmp
      dst: [10.0.0.1/8]
    - name: b
      action: maybe
  fragments: sometimes
)"),
            (Lines{
                "p.yaml:3:14: error: unknown on_exceed 'never'; expected drop or count",
                "p.yaml:8:7: error: src_ports needs proto tcp or udp; this rule's proto is icmp",
                "p.yaml:10:13: error: host bits set in 10.0.0.1/8; did you mean 10.0.0.0/8?",
                "p.yaml:12:15: error: unknown action 'maybe'; expected allow, deny or audit",
                "p.yaml:13:14: error: unknown fragments 'sometimes'; expected deny or l3-only",
            }));
}

}  // namespace
}  // namespace westworld::policy
