// Release hysteresis: after the ban, and only once quiet.
#include <gtest/gtest.h>

#include "source_table_builder.h"
#include "westworld/anomaly/quarantine_release.h"

namespace westworld::anomaly {
namespace {

using Kind = ReleaseDecision::Kind;
constexpr uint64_t kSecond = 1'000'000'000ULL;

policy::QuarantineSettings settings() {
  return {.ban_seconds = 60, .quiet_pps = 10, .quiet_seconds = 5};
}

TEST(AnomalyQuarantineRelease, NothingHappensDuringTheBan) {
  QuarantineRelease release(settings(), 1000);
  const ww_source_key key = testing::key_of("10.0.0.1");
  ww_quarantine entry{};
  entry.until_ns = 60 * kSecond;
  for (uint64_t t = 0; t < 57; ++t)
    EXPECT_EQ(release.review(key, entry, 0, t * kSecond).kind, Kind::keep) << t;
}

TEST(AnomalyQuarantineRelease, AQuietSourceIsReleasedAfterTheBanAndTheQuietTime) {
  QuarantineRelease release(settings(), 1000);
  const ww_source_key key = testing::key_of("10.0.0.1");
  ww_quarantine entry{};
  entry.until_ns = 60 * kSecond;
  uint64_t t = 50;
  for (; t < 60; ++t) release.review(key, entry, 0, t * kSecond);  // quiet since 50 s
  ReleaseDecision decision = release.review(key, entry, 0, 60 * kSecond);
  EXPECT_EQ(decision.kind, Kind::release);
  EXPECT_NE(decision.reason.find("quiet for 10 s"), std::string::npos) << decision.reason;
}

TEST(AnomalyQuarantineRelease, ALoudSourceHasItsBanExtendedUntilItIsQuiet) {
  QuarantineRelease release(settings(), 1000);
  const ww_source_key key = testing::key_of("10.0.0.1");
  ww_quarantine entry{};
  entry.until_ns = 60 * kSecond;
  ReleaseDecision decision = release.review(key, entry, 50000, 58 * kSecond);
  ASSERT_EQ(decision.kind, Kind::extend);
  EXPECT_GT(decision.until_ns, entry.until_ns);
  EXPECT_NE(decision.reason.find("still offering 50000 pps"), std::string::npos);
  entry.until_ns = decision.until_ns;
  // Still loud: it stays. Quiet: released once the quiet time has passed.
  uint64_t t = 59;
  for (; t < 70; ++t) EXPECT_NE(release.review(key, entry, 50000, t * kSecond).kind, Kind::release);
  for (;; ++t) {
    decision = release.review(key, entry, 0, t * kSecond);
    if (decision.kind == Kind::extend) entry.until_ns = decision.until_ns;
    if (decision.kind == Kind::release) break;
    ASSERT_LT(t, 200u);
  }
  EXPECT_GE(t, 70u + 5u);  // at least quiet_seconds after it went quiet
  EXPECT_LE(t, 70u + 5u + 3u);
}

TEST(AnomalyQuarantineRelease, ABanThatLapsedWhileNoAgentRanIsReviewedAtOnce) {
  QuarantineRelease release(settings(), 1000);
  const ww_source_key key = testing::key_of("10.0.0.1");
  ww_quarantine entry{};
  entry.until_ns = 60 * kSecond;
  EXPECT_EQ(release.review(key, entry, 9000, 500 * kSecond).kind, Kind::extend);
}

}  // namespace
}  // namespace westworld::anomaly
