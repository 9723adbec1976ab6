// The printed names of the ABI's enums are a contract (status JSON keys, metric labels, log
// words): generated from abi.h's tables, they must still read exactly as they always have.
#include "westworld/abi_names.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace westworld::abi {
namespace {

template <typename NameOf>
std::vector<std::string> names(NameOf name_of, uint32_t count) {
  std::vector<std::string> out;
  for (uint32_t value = 0; value < count; ++value) out.emplace_back(name_of(value));
  return out;
}

TEST(AbiNames, DropReasonsKeepTheirNames) {
  EXPECT_EQ(names(drop_reason_name, WW_DROP_MAX),
            (std::vector<std::string>{"truncated", "malformed", "ext_headers", "fragment", "rule",
                                      "default", "quota", "share", "no_policy", "quarantine",
                                      "telemetry_scrape", "telemetry_bypass", "reverse_path"}));
}

TEST(AbiNames, ReversePathModesKeepTheirNames) {
  EXPECT_EQ(names(reverse_path_mode_name, 3), (std::vector<std::string>{"off", "loose", "strict"}));
  EXPECT_STREQ(reverse_path_mode_name(3), "unknown");
}

TEST(AbiNames, RuleOriginsKeepTheirNames) {
  EXPECT_EQ(names(rule_origin_name, 3),
            (std::vector<std::string>{"flow", "telemetry_scrape", "telemetry_bypass"}));
}

TEST(AbiNames, StatsKeepTheirNames) {
  EXPECT_EQ(
      names(stat_name, WW_STAT_MAX),
      (std::vector<std::string>{"seen", "pass", "drop", "non_ip", "action_allow", "action_deny",
                                "action_audit", "default", "quota_exceeded", "share_exceeded",
                                "sources_new", "events_sent", "events_sampled", "events_lost"}));
}

TEST(AbiNames, DirectionsAndActionsKeepTheirNames) {
  EXPECT_EQ(names(direction_name, WW_DIR_MAX), (std::vector<std::string>{"ingress", "egress"}));
  EXPECT_EQ(names(action_name, WW_ACTION_MAX),
            (std::vector<std::string>{"allow", "deny", "audit"}));
}

TEST(AbiNames, QuarantineActionsAndOriginsKeepTheirNames) {
  EXPECT_STREQ(quarantine_action_name(WW_QUARANTINE_DROP), "drop");
  EXPECT_STREQ(quarantine_action_name(WW_QUARANTINE_LIMIT), "limit");
  EXPECT_STREQ(quarantine_origin_name(WW_QUARANTINE_MANUAL), "manual");
  EXPECT_STREQ(quarantine_origin_name(WW_QUARANTINE_RATE_JUMP), "rate_jump");
  EXPECT_STREQ(quarantine_origin_name(WW_QUARANTINE_SHARE_CREEP), "share_creep");
  EXPECT_STREQ(quarantine_origin_name(WW_QUARANTINE_CHARTER), "charter");
}

// A value from a newer guard (or a corrupt map) is named, not read past a table.
TEST(AbiNames, ValuesOutsideATableAreUnknown) {
  EXPECT_STREQ(drop_reason_name(WW_DROP_MAX), "unknown");
  EXPECT_STREQ(stat_name(WW_STAT_MAX), "unknown");
  EXPECT_STREQ(direction_name(WW_DIR_MAX), "unknown");
  EXPECT_STREQ(action_name(0xffffffffu), "unknown");
  EXPECT_STREQ(quarantine_origin_name(4), "unknown");
}

}  // namespace
}  // namespace westworld::abi
