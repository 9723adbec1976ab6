// Hostile or broken input: what the loader quotes back is escaped, and the limits on
// size, lists, names, documents and tags are errors with a place in the file.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "policy_test_util.h"
#include "westworld/policy/limits.h"

namespace westworld::policy {
namespace {

using testing::diagnostics_of;
using Lines = std::vector<std::string>;

std::string one_rule(const std::string& fields) {
  return "version: 1\ncharter:\n  flows:\n    - {name: r, action: deny, " + fields + "}\n";
}

// One line of valid UTF-8 without control characters: safe in a terminal, a log line
// and a JSON reply (nlohmann throws on invalid UTF-8 when it serializes).
void expect_one_safe_line(const std::string& text) {
  EXPECT_NO_THROW((void)nlohmann::json(text).dump()) << text;
  for (unsigned char c : text) EXPECT_TRUE(c >= 0x20 && c != 0x7f) << text;
}

// Found by the policy fuzzer: yaml-cpp 0.7's LoadAll never returns on a NUL byte, so a
// 7-byte policy hung the loader (and the agent's event loop) before any credential check.
TEST(PolicyLoaderHostile, ANulByteIsRefusedAtItsPlaceNotParsed) {
  EXPECT_EQ(diagnostics_of(std::string(",\0os:1\n", 7)),
            Lines{"p.yaml:1:2: error: a NUL byte: a policy is text"});
  EXPECT_EQ(diagnostics_of(std::string("version: 1\nch\0arter: {}\n", 24)),
            Lines{"p.yaml:2:3: error: a NUL byte: a policy is text"});
}

// Also found by the fuzzer: on `"",` yaml-cpp's parser reports empty documents without end,
// which LoadAll collected forever. The loader asks for two documents at most.
TEST(PolicyLoaderHostile, AStreamOfEndlessEmptyDocumentsEndsInAnError) {
  const Lines lines = diagnostics_of("\"\",");
  ASSERT_FALSE(lines.empty());
  EXPECT_NE(lines[0].find("a policy is one YAML document"), std::string::npos) << lines[0];
}

TEST(PolicyLoaderHostile, YamlEscapesInANameAreQuotedAsEscapes) {
  // The reproduction: yaml-cpp turns "\N" into the raw byte 0x85.
  const Lines lines = diagnostics_of(
      "version: 1\ncharter:\n  flows:\n    - name: \"\\N\"\n"
      "      action: deny\n");
  EXPECT_EQ(lines, Lines{"p.yaml:4:13: error: name is not valid UTF-8: '\\x85'"});
  for (const std::string& line : lines) expect_one_safe_line(line);
}

TEST(PolicyLoaderHostile, ANameCannotForgeDiagnosticsOrColours) {
  const Lines lines =
      diagnostics_of(one_rule("proto: \"tcp\\nx.yaml:1:1: error: forged\\e[2J\\r\\x7f\""));
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0],
            "p.yaml:4:38: error: unknown proto 'tcp\\nx.yaml:1:1: error: forged\\x1b[2J\\r\\x7f'; "
            "expected any, tcp, udp, icmp or icmpv6");
  expect_one_safe_line(lines[0]);
}

// Free text (a forbidden metric's reason) goes into the compiled policy's JSON and digest:
// bytes that are not UTF-8 must stop at the loader, not throw in the compiler (found by
// fuzz_policy).
TEST(PolicyLoaderHostile, TextThatIsNotUtf8IsRefusedWhereverItIs) {
  const std::string telemetry =
      "version: 1\ncharter:\n  telemetry:\n    forbidden:\n"
      "      - {name: user_location, severity: critical, reason: \"where \xff\xfe\"}\n";
  const Lines raw = diagnostics_of(telemetry);
  EXPECT_EQ(raw, Lines{"p.yaml:5:59: error: reason is not valid UTF-8: 'where \\xff\\xfe'"});
  for (const std::string& line : raw) expect_one_safe_line(line);
}

TEST(PolicyLoaderHostile, DidYouMeanQuotesTheKeyEscaped) {
  const Lines lines = diagnostics_of(one_rule("\"prot\\e\": tcp"));
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0],
            "p.yaml:4:31: error: unknown field 'prot\\x1b' in flow rule; did you mean 'proto'?");
}

TEST(PolicyLoaderHostile, FileNamesAreEscapedToo) {
  const LoadResult result = load_policy_text("version: 2\n", "evil\n.yaml");
  ASSERT_EQ(result.diagnostics.size(), 1u);
  EXPECT_EQ(result.diagnostics[0].format(),
            "evil\\n.yaml:1:10: error: unsupported policy version '2'; this Westworld reads "
            "version 1");
}

TEST(PolicyLoaderHostile, RuleNamesHaveALengthLimit) {
  const std::string longest(kMaxNameBytes, 'a');
  testing::load_clean("version: 1\ncharter:\n  flows:\n    - {name: " + longest +
                      ", action: deny}\n");
  EXPECT_EQ(diagnostics_of("version: 1\ncharter:\n  flows:\n    - {name: " + longest +
                           "b, action: deny}\n"),
            Lines{"p.yaml:4:14: error: rule name is 64 bytes long; at most 63 (names become "
                  "metric labels)"});
  // A huge name is not quoted back.
  const Lines huge =
      diagnostics_of("version: 1\ncharter:\n  flows:\n    - {name: " + std::string(1 << 20, 'a') +
                     ", action: deny}\n");
  ASSERT_EQ(huge.size(), 1u);
  EXPECT_LT(huge[0].size(), 200u);
}

TEST(PolicyLoaderHostile, ClassNamesHaveTheSameLimit) {
  EXPECT_EQ(diagnostics_of("version: 1\nanti_meave:\n  classes:\n    - {name: " +
                           std::string(kMaxNameBytes + 1, 'c') +
                           ", src: [10.0.0.0/8], quota: unlimited}\n"),
            Lines{"p.yaml:4:14: error: class name is 64 bytes long; at most 63 (names become "
                  "metric labels)"});
}

TEST(PolicyLoaderHostile, ASecondDocumentIsAnError) {
  EXPECT_EQ(diagnostics_of("version: 1\n---\nversion: 1\ncharter: {default: deny}\n"),
            Lines{"p.yaml:3:1: error: a policy is one YAML document; this second one would be "
                  "ignored, so remove it (or its '---' line)"});
  EXPECT_EQ(diagnostics_of("# policy\n---\nversion: 1\n---\n"),
            Lines{"p.yaml:4:1: error: a policy is one YAML document; this second one would be "
                  "ignored, so remove it (or its '---' line)"});
  // A single document may still start with '---' and end with '...'.
  testing::load_clean("---\nversion: 1\n...\n");
}

TEST(PolicyLoaderHostile, TagsAreErrors) {
  EXPECT_EQ(diagnostics_of("version: !!int 1\n"),
            Lines{"p.yaml:1:10: error: unknown YAML tag 'tag:yaml.org,2002:int' on version; "
                  "policies use no tags, remove it"});
  EXPECT_EQ(diagnostics_of(one_rule("src: !cidrs [10.0.0.0/8]")),
            Lines{"p.yaml:4:36: error: unknown YAML tag '!cidrs' on src; policies use no tags, "
                  "remove it"});
  EXPECT_EQ(diagnostics_of("version: 1\nanti_meave: {quota: !x unlimited}\n"),
            Lines{"p.yaml:2:21: error: unknown YAML tag '!x' on quota; policies use no tags, "
                  "remove it"});
  EXPECT_EQ(diagnostics_of("!policy\nversion: 1\n"),
            Lines{"p.yaml:1:1: error: unknown YAML tag '!policy' on policy; policies use no "
                  "tags, remove it"});
}

TEST(PolicyLoaderHostile, Ipv4MappedPrefixesWarnWithTheIpv4Form) {
  EXPECT_EQ(diagnostics_of(one_rule("src: [::ffff:10.0.0.0/104, ::ffff:192.0.2.1]")),
            (Lines{"p.yaml:4:37: warning: ::ffff:10.0.0.0/104 is an IPv4-mapped IPv6 prefix, "
                   "which never matches IPv4 packets; write 10.0.0.0/8 instead",
                   "p.yaml:4:58: warning: ::ffff:192.0.2.1 is an IPv4-mapped IPv6 prefix, which "
                   "never matches IPv4 packets; write 192.0.2.1/32 instead"}));
  // Prefixes around the mapped range are ordinary IPv6.
  testing::load_clean(one_rule("src: [::/0, ::fffe:0:0/95]"));
}

TEST(PolicyLoaderHostile, PolicyTextHasASizeLimit) {
  std::string yaml = "version: 1\n# " + std::string(kMaxPolicyBytes, 'x') + "\n";
  EXPECT_EQ(diagnostics_of(yaml),
            Lines{"p.yaml: error: the policy is " + std::to_string(yaml.size()) +
                  " bytes; at most " + std::to_string(kMaxPolicyBytes) + " are accepted"});
}

std::string cidr_list(size_t n) {
  std::string list = "[";
  for (size_t i = 0; i < n; ++i) {
    list +=
        (i ? ", 10." : "10.") + std::to_string(i / 256) + "." + std::to_string(i % 256) + ".0/24";
  }
  return list + "]";
}

TEST(PolicyLoaderHostile, OneListHasAnEntryLimit) {
  testing::load_clean(one_rule("dst: " + cidr_list(kMaxListEntries)));
  EXPECT_EQ(diagnostics_of(one_rule("dst: " + cidr_list(kMaxListEntries + 1))),
            Lines{"p.yaml:4:36: error: dst has 4097 entries; at most 4096 are accepted in one "
                  "list"});
}

TEST(PolicyLoaderHostile, AliasedListsCountOncePerUse) {
  // 257 uses of one 4096-entry list: about 60 KB of text, over a million entries.
  std::string yaml = "version: 1\ncharter:\n  flows:\n    - {name: r0, action: deny, src: &big " +
                     cidr_list(kMaxListEntries) + "}\n";
  for (int i = 1; i < 257; ++i) {
    yaml += "    - {name: r" + std::to_string(i) + ", action: deny, src: *big, dst_ports: [" +
            std::to_string(i) + "], proto: tcp}\n";
  }
  EXPECT_EQ(diagnostics_of(yaml),
            Lines{"p.yaml:3:3: error: the flow rules' src, dst and port lists hold 1052928 "
                  "entries in all (each use of a YAML alias counts); at most 1048576 are "
                  "accepted"});
}

TEST(PolicyLoaderHostile, TooManyRulesStopsBeforeReadingThem) {
  std::string yaml = "version: 1\ncharter:\n  flows:\n";
  for (size_t i = 0; i <= kMaxFlowRules; ++i) yaml += "    - {name: \"\\N\", action: x}\n";
  EXPECT_EQ(diagnostics_of(yaml), Lines{"p.yaml:3:3: error: too many flow rules (16385); the "
                                        "data plane holds at most 16384"});
}

}  // namespace
}  // namespace westworld::policy
