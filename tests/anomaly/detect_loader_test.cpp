// anti_meave.detect and `protected: true`: defaults, values, and every error
// with its FILE:LINE:COL.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "westworld/policy/loader.h"

namespace westworld::policy {
namespace {

using Lines = std::vector<std::string>;

Lines diagnostics_of(const std::string& yaml) {
  Lines lines;
  for (const Diagnostic& d : load_policy_text(yaml, "p.yaml").diagnostics)
    lines.push_back(d.format());
  return lines;
}

Policy load_clean(const std::string& yaml) {
  LoadResult result = load_policy_text(yaml, "p.yaml");
  for (const Diagnostic& d : result.diagnostics) ADD_FAILURE() << d.format();
  return result.policy.value_or(Policy{});
}

TEST(DetectLoader, DefaultsApplyWhenTheSectionIsOmitted) {
  const DetectSettings d = load_clean("version: 1\n").detect;
  EXPECT_EQ(d.interval_ms, 1000u);
  EXPECT_EQ(d.track_sources, 128u);
  EXPECT_TRUE(d.rate_jump.enabled);
  EXPECT_EQ(d.rate_jump.response, Response::quarantine);
  EXPECT_EQ(d.share_creep.response, Response::quarantine);
  EXPECT_EQ(d.source_churn.response, Response::none);
  EXPECT_EQ(d.control_plane.max_applies_per_minute, 10u);
  EXPECT_EQ(d.control_plane.response, Response::freeze);
  EXPECT_EQ(d.quarantine.action, QuarantineAction::limit);
}

TEST(DetectLoader, EveryFieldIsRead) {
  const Policy p = load_clean(R"(version: 1
anti_meave:
  classes:
    - {name: core, src: [10.9.0.0/16], quota: unlimited, protected: true}
    - {name: guests, src: [10.8.0.0/16], quota: unlimited, protected: false}
  detect:
    interval_ms: 500
    track_sources: 16
    rate_jump: {enabled: true, z: 6, min_ratio: 3, min_pps: 200, baseline_windows: 30,
                warmup_windows: 5, persistence: 2, response: freeze}
    share_creep: {enabled: false, bound: 0.3, slack: 0.1, limit: 1.5, min_interface_pps: 10,
                  min_sources: 2, response: none}
    source_churn: {min_new_per_sec: 50, response: freeze}
    control_plane: {max_applies_per_minute: 3, max_changed_fraction: 0.25, response: none}
    quarantine: {action: limit, pps: 50, burst: 20, ban_s: 10, quiet_pps: 5, quiet_s: 2,
                 max_entries: 7}
)");
  EXPECT_TRUE(p.classes[0].is_protected);
  EXPECT_FALSE(p.classes[1].is_protected);
  const DetectSettings& d = p.detect;
  EXPECT_EQ(d.interval_ms, 500u);
  EXPECT_EQ(d.track_sources, 16u);
  EXPECT_EQ(d.rate_jump.z, 6);
  EXPECT_EQ(d.rate_jump.min_ratio, 3);
  EXPECT_EQ(d.rate_jump.min_rate, 200);
  EXPECT_EQ(d.rate_jump.baseline_windows, 30u);
  EXPECT_EQ(d.rate_jump.warmup_windows, 5u);
  EXPECT_EQ(d.rate_jump.persistence, 2u);
  EXPECT_EQ(d.rate_jump.response, Response::freeze);
  EXPECT_FALSE(d.share_creep.enabled);
  EXPECT_EQ(d.share_creep.bound, 0.3);
  EXPECT_EQ(d.share_creep.slack, 0.1);
  EXPECT_EQ(d.share_creep.limit, 1.5);
  EXPECT_EQ(d.share_creep.min_interface_pps, 10);
  EXPECT_EQ(d.share_creep.min_sources, 2u);
  EXPECT_EQ(d.source_churn.min_rate, 50);
  EXPECT_EQ(d.source_churn.response, Response::freeze);
  EXPECT_EQ(d.control_plane.max_applies_per_minute, 3u);
  EXPECT_EQ(d.control_plane.max_changed_fraction, 0.25);
  EXPECT_EQ(d.quarantine.pps, 50u);
  EXPECT_EQ(d.quarantine.burst, 20u);
  EXPECT_EQ(d.quarantine.ban_seconds, 10u);
  EXPECT_EQ(d.quarantine.quiet_pps, 5);
  EXPECT_EQ(d.quarantine.quiet_seconds, 2u);
  EXPECT_EQ(d.quarantine.max_entries, 7u);
}

TEST(DetectLoader, UnknownFieldsAndTyposAreReportedWhereTheyAre) {
  EXPECT_EQ(diagnostics_of(R"(version: 1
anti_meave:
  detect:
    rate_jmp: {}
    share_creep: {bond: 0.3}
    quarantine: {ban: 10}
)"),
            (Lines{
                "p.yaml:4:5: error: unknown field 'rate_jmp' in detect; did you mean 'rate_jump'?",
                "p.yaml:5:19: error: unknown field 'bond' in share_creep; did you mean 'bound'?",
                "p.yaml:6:18: error: unknown field 'ban' in quarantine; did you mean 'ban_s'?",
            }));
}

TEST(DetectLoader, ValuesOutOfRangeAreErrors) {
  EXPECT_EQ(diagnostics_of(R"(version: 1
anti_meave:
  detect:
    interval_ms: 10
    rate_jump: {z: 0, min_ratio: 0.5, warmup_windows: 2, persistence: 0}
    share_creep: {bound: 1.5, limit: -1, enabled: yes}
    control_plane: {max_changed_fraction: 0}
    quarantine: {max_entries: 5000, action: ban}
)"),
            (Lines{
                "p.yaml:4:18: error: interval_ms must be between 100 and 60000, not 10",
                "p.yaml:5:20: error: z must be greater than 0 and at most 1000, not 0",
                "p.yaml:5:34: error: min_ratio must be at least 1 and at most 1000000, not 0.5",
                "p.yaml:5:55: error: warmup_windows must be between 3 and 100000, not 2",
                "p.yaml:5:71: error: persistence must be between 1 and 1000, not 0",
                "p.yaml:6:26: error: bound must be greater than 0 and at most 1, not 1.5",
                "p.yaml:6:38: error: limit must be greater than 0 and at most 1000000, not -1",
                "p.yaml:6:51: error: enabled must be true or false, not 'yes'",
                "p.yaml:7:43: error: max_changed_fraction must be greater than 0 and at most 1, "
                "not 0",
                "p.yaml:8:31: error: max_entries must be between 1 and 4096, not 5000",
                "p.yaml:8:45: error: unknown action 'ban'; expected drop or limit",
            }));
}

TEST(DetectLoader, ADetectorThatCouldNeverFireIsAnError) {
  EXPECT_EQ(diagnostics_of(R"(version: 1
anti_meave:
  detect:
    share_creep: {bound: 0.9, slack: 0.2}
)"),
            Lines{"p.yaml:4:26: error: share_creep bound + slack must be below 1 (now 1.1): no "
                  "share can exceed it, so the detector could never fire"});
}

TEST(DetectLoader, OnlyPerSourceDetectorsMayQuarantine) {
  EXPECT_EQ(diagnostics_of(R"(version: 1
anti_meave:
  detect:
    source_churn: {response: quarantine}
    control_plane: {response: quarantine}
    rate_jump: {response: ban}
)"),
            (Lines{
                "p.yaml:4:30: error: source_churn cannot respond with quarantine: it has no single "
                "source to hold; expected none or freeze",
                "p.yaml:5:31: error: control_plane cannot respond with quarantine: it has no "
                "single source to hold; expected none or freeze",
                "p.yaml:6:27: error: unknown response 'ban'; expected none, quarantine or freeze",
            }));
}

TEST(DetectLoader, LimitSettingsWithADropQuarantineAreWarnings) {
  LoadResult result = load_policy_text(R"(version: 1
anti_meave:
  detect:
    quarantine: {action: drop, pps: 10}
)",
                                       "p.yaml");
  ASSERT_TRUE(result.policy);
  ASSERT_EQ(result.diagnostics.size(), 1u);
  EXPECT_EQ(result.diagnostics[0].format(),
            "p.yaml:4:32: warning: pps has no effect with action: drop");
}

TEST(DetectLoader, ProtectedMustBeABoolean) {
  EXPECT_EQ(diagnostics_of(R"(version: 1
anti_meave:
  classes:
    - {name: core, src: [10.9.0.0/16], quota: unlimited, protected: 1}
)"),
            Lines{"p.yaml:4:69: error: protected must be true or false, not '1'"});
}

}  // namespace
}  // namespace westworld::policy
