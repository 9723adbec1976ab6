// Anti-meave quotas (GCRA) in the kernel: the guard's path from packet to bucket (source
// identity, class lookup, counters, drop reasons) on the arithmetic of bpf/anti_meave_math.h,
// whose exact boundaries tests/bpf/anti_meave_math_test.cpp checks on a controlled clock.
// Nothing here waits: "later" is made by moving a source's bucket back in time (age_source).
// The kernel clock still runs during a test, so bounds that depend on it allow for the time
// actually measured.
#include <algorithm>
#include <chrono>
#include <string>

#include "guard_fixture.h"

namespace westworld::bpf_test {
namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

// How many more packets a rate of one per `interval` may have let through in `elapsed`.
int64_t earned(Clock::duration elapsed, milliseconds interval) { return elapsed / interval; }

class QuotaTest : public GuardTest {
 protected:
  int passes(const Frame& frame, int count) {
    int passed = 0;
    for (int i = 0; i < count; ++i) passed += run_xdp(frame) == Verdict::pass;
    return passed;
  }
};

TEST_F(QuotaTest, ABurstPassesAtOnceThenTheSourceRecoversAtItsRate) {
  apply(R"(
version: 1
anti_meave:
  quota: {pps: 2, burst: 5}
)");
  constexpr milliseconds kInterval(500);  // 1 / pps
  const Frame from_a = udp4("10.0.0.1", "192.0.2.1", 1000, 53);
  const Frame from_b = udp4("10.0.0.2", "192.0.2.1", 1000, 53);

  const CounterSnapshot before = counters();
  const Clock::time_point start = Clock::now();
  const int a_passed = passes(from_a, 20);
  const int64_t a_slack = earned(Clock::now() - start, kInterval);
  EXPECT_GE(a_passed, 5);
  EXPECT_LE(a_passed, 5 + a_slack);

  CounterDelta delta = since(before);
  EXPECT_EQ(delta.drops(WW_DROP_QUOTA), uint64_t(20 - a_passed));
  EXPECT_EQ(delta.stat(WW_STAT_QUOTA_EXCEEDED), uint64_t(20 - a_passed));
  EXPECT_EQ(delta.all_drops(), uint64_t(20 - a_passed));
  const std::optional<ww_source> a = source("10.0.0.1");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->packets, 20u);
  EXPECT_EQ(a->bytes, 20 * from_a.size());
  EXPECT_EQ(a->dropped_quota, uint64_t(20 - a_passed));
  EXPECT_EQ(a->dropped_share, 0u);

  // B has a bucket of its own, untouched by A's flood.
  const Clock::time_point b_start = Clock::now();
  const int b_passed = passes(from_b, 20);
  EXPECT_GE(b_passed, 5);
  EXPECT_LE(b_passed, 5 + earned(Clock::now() - b_start, kInterval));
  EXPECT_EQ(source("10.0.0.2")->dropped_quota, uint64_t(20 - b_passed));

  // 1.2 s later A has earned two packets (a third if the machine dawdles).
  constexpr milliseconds kLater(1200);
  age_source("10.0.0.1", std::chrono::nanoseconds(kLater).count());
  const int a_later = passes(from_a, 10);
  const int64_t a_ceiling = std::max<int64_t>(3, earned(Clock::now() - start + kLater, kInterval));
  // Packets a slow first burst let through early are owed now.
  EXPECT_GE(a_later, 2 - (a_passed - 5));
  EXPECT_LE(a_later, a_ceiling);
  EXPECT_EQ(source("10.0.0.1")->dropped_quota, uint64_t(20 - a_passed + 10 - a_later));
}

TEST_F(QuotaTest, AnUnlimitedClassIsNeverDropped) {
  apply(R"(
version: 1
anti_meave:
  quota: {pps: 1, burst: 1}
  classes:
    - name: monitoring
      src: [10.9.0.0/16]
      quota: unlimited
)");
  const Clock::time_point start = Clock::now();
  EXPECT_EQ(passes(udp4("10.9.1.1", "192.0.2.1", 1, 2), 50), 50);
  const int default_passed = passes(udp4("10.0.0.1", "192.0.2.1", 1, 2), 50);
  EXPECT_GE(default_passed, 1);
  EXPECT_LE(default_passed, 1 + earned(Clock::now() - start, milliseconds(1000)));

  const std::optional<ww_source> monitored = source("10.9.1.1");
  ASSERT_TRUE(monitored);
  EXPECT_EQ(monitored->class_id, 1u);
  EXPECT_EQ(monitored->dropped_quota, 0u);
  EXPECT_EQ(monitored->packets, 50u);
  EXPECT_EQ(source("10.0.0.1")->class_id, 0u);
}

TEST_F(QuotaTest, TheLongestClassPrefixDecidesTheQuota) {
  apply(R"(
version: 1
anti_meave:
  quota: {pps: 1000, burst: 1000}
  classes:
    - name: tight
      src: [10.7.0.0/16, "2001:db8:7::/48"]
      quota: {pps: 1, burst: 3}
    - name: tighter
      src: [10.7.7.0/24]
      quota: {pps: 1, burst: 1}
)");
  const Clock::time_point start = Clock::now();
  const int tight_v4 = passes(udp4("10.7.0.1", "192.0.2.1", 1, 2), 10);
  const int tight_v6 = passes(udp6("2001:db8:7::1", "2001:db8::1", 1, 2), 10);
  const int tighter = passes(udp4("10.7.7.1", "192.0.2.1", 1, 2), 10);
  const int by_default = passes(udp4("10.8.0.1", "192.0.2.1", 1, 2), 10);
  const int64_t slack = earned(Clock::now() - start, milliseconds(1000));

  EXPECT_GE(tight_v4, 3);
  EXPECT_LE(tight_v4, 3 + slack);
  EXPECT_GE(tight_v6, 3);
  EXPECT_LE(tight_v6, 3 + slack);
  EXPECT_GE(tighter, 1);
  EXPECT_LE(tighter, 1 + slack);
  EXPECT_EQ(by_default, 10);
  EXPECT_EQ(source("10.7.0.1")->class_id, 1u);
  EXPECT_EQ(source("2001:db8:7::")->class_id, 1u);  // identity: the /64 of the address
  EXPECT_EQ(source("10.7.7.1")->class_id, 2u);
}

TEST_F(QuotaTest, AByteRateDropsLargePacketsBeforeSmallOnes) {
  // Ten bytes per second with a 2000-byte bucket: it drains too slowly for a slow machine to
  // blur a decision (that would take 40 s). The packet rate never binds.
  apply(R"(
version: 1
anti_meave:
  quota: {pps: 1000000, burst: 1000000, bps: 80, burst_bytes: 2000}
)");
  const Frame large = udp4("10.0.0.1", "192.0.2.1", 1, 2, 1400 - 42);
  const Frame small = udp4("10.0.0.1", "192.0.2.1", 1, 2, 500 - 42);
  ASSERT_EQ(large.size(), 1400u);
  ASSERT_EQ(small.size(), 500u);

  const CounterSnapshot before = counters();
  const Verdict first_large = run_xdp(large);   // 1400 of 2000 bytes of tolerance
  const Verdict second_large = run_xdp(large);  // would need 2800
  const Verdict first_small = run_xdp(small);   // 1900: fits
  const Verdict second_small = run_xdp(small);  // 2400: does not

  EXPECT_EQ(first_large, Verdict::pass);
  EXPECT_EQ(second_large, Verdict::drop);
  EXPECT_EQ(first_small, Verdict::pass);
  EXPECT_EQ(second_small, Verdict::drop);
  const CounterDelta delta = since(before);
  EXPECT_EQ(delta.drops(WW_DROP_QUOTA), 2u);
  EXPECT_EQ(delta.drop_bytes(WW_DROP_QUOTA), large.size() + small.size());
  EXPECT_EQ(source("10.0.0.1")->dropped_quota, 2u);

  // 40 s later the bucket has room for the small packet again, not yet for the large one.
  age_source("10.0.0.1", std::chrono::nanoseconds(std::chrono::seconds(40)).count());
  EXPECT_EQ(run_xdp(large), Verdict::drop);
  EXPECT_EQ(run_xdp(small), Verdict::pass);
}

TEST_F(QuotaTest, OnExceedCountMeasuresWithoutDropping) {
  apply(R"(
version: 1
anti_meave:
  quota: {pps: 1, burst: 1}
  on_exceed: count
)");
  const CounterSnapshot before = counters();
  const Clock::time_point start = Clock::now();
  EXPECT_EQ(passes(udp4("10.0.0.1", "192.0.2.1", 1, 2), 20), 20);
  const int64_t slack = earned(Clock::now() - start, milliseconds(1000));

  const CounterDelta delta = since(before);
  EXPECT_GE(delta.stat(WW_STAT_QUOTA_EXCEEDED), uint64_t(19 - std::min<int64_t>(slack, 19)));
  EXPECT_LE(delta.stat(WW_STAT_QUOTA_EXCEEDED), 19u);
  EXPECT_EQ(delta.drops(WW_DROP_QUOTA), 0u);
  EXPECT_EQ(delta.all_drops(), 0u);
  EXPECT_EQ(source("10.0.0.1")->dropped_quota, 0u);
}

TEST_F(QuotaTest, AnIdentityPrefixMakesOneBucketOfItsAddresses) {
  apply(R"(
version: 1
anti_meave:
  identity: {ipv4_prefix: 24, ipv6_prefix: 48}
  quota: {pps: 2, burst: 5}
)");
  const Frame from_one = udp4("10.0.0.1", "192.0.2.1", 1, 2);
  const Frame from_two = udp4("10.0.0.2", "192.0.2.1", 1, 2);
  const Clock::time_point start = Clock::now();
  int passed = 0;
  for (int i = 0; i < 4; ++i) passed += passes(from_one, 1) + passes(from_two, 1);
  const int next_net = passes(udp4("10.0.1.1", "192.0.2.1", 1, 2), 5);
  const int v6_passed = passes(udp6("2001:db8:1:1::1", "2001:db8::1", 1, 2), 3) +
                        passes(udp6("2001:db8:1:2::1", "2001:db8::1", 1, 2), 3);
  const int64_t slack = earned(Clock::now() - start, milliseconds(500));

  EXPECT_GE(passed, 5);
  EXPECT_LE(passed, 5 + slack);
  EXPECT_EQ(next_net, 5);
  EXPECT_GE(v6_passed, 5);
  EXPECT_LE(v6_passed, 5 + slack);

  const std::optional<ww_source> shared = source("10.0.0.0");
  ASSERT_TRUE(shared);
  EXPECT_EQ(shared->packets, 8u);
  EXPECT_EQ(shared->dropped_quota, uint64_t(8 - passed));
  EXPECT_FALSE(source("10.0.0.1"));
  EXPECT_FALSE(source("10.0.0.2"));
  ASSERT_TRUE(source("2001:db8:1::"));
  EXPECT_EQ(source("2001:db8:1::")->packets, 6u);
  EXPECT_EQ(source_count(), 3u);  // 10.0.0.0/24, 10.0.1.0/24, 2001:db8:1::/48
}

// Quotas apply after the charter: a packet it denies never reaches a bucket.
TEST_F(QuotaTest, DeniedPacketsSpendNoQuotaAndCreateNoSource) {
  apply(R"(
version: 1
charter:
  default: deny
  flows:
    - {name: allow-dns, action: allow, proto: udp, dst_ports: [53]}
anti_meave:
  quota: {pps: 1, burst: 2}
)");
  const CounterSnapshot before = counters();
  EXPECT_EQ(passes(udp4("10.0.0.1", "192.0.2.1", 1, 80), 10), 0);
  EXPECT_EQ(source_count(), 0u);
  EXPECT_EQ(run_xdp(udp4("10.0.0.1", "192.0.2.1", 1, 53)), Verdict::pass);
  const CounterDelta delta = since(before);
  EXPECT_EQ(delta.drops(WW_DROP_DEFAULT), 10u);
  EXPECT_EQ(delta.drops(WW_DROP_QUOTA), 0u);
  EXPECT_EQ(delta.stat(WW_STAT_SOURCES_NEW), 1u);
  EXPECT_EQ(source("10.0.0.1")->packets, 1u);
}

}  // namespace
}  // namespace westworld::bpf_test
