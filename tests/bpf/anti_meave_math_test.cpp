// Anti-Meave's arithmetic on a clock the test controls: the very header the guard compiles
// (bpf/anti_meave_math.h), built for the host, so quota and share boundaries are exact to the
// nanosecond and no test waits. The kernel tests (tests/bpf/quota_test.cpp, share_test.cpp)
// prove the guard reaches these functions through its maps.
#include "anti_meave_math.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "policy_test_util.h"
#include "westworld/policy/compiled_policy.h"

namespace westworld::policy::testing {
namespace {

constexpr uint64_t kMs = 1'000'000;
constexpr uint64_t kSecond = 1000 * kMs;

// A monotonic clock that moves only when told, starting where a real one might be.
class FakeClock {
 public:
  uint64_t now() const { return now_; }
  void advance(uint64_t ns) { now_ += ns; }

 private:
  uint64_t now_ = 12345 * kSecond;
};

// The default quota of `anti_meave_yaml`, compiled by the real compiler.
ww_quota quota_of(const std::string& anti_meave_yaml) {
  return compile(load_clean("version: 1\nanti_meave:\n" + anti_meave_yaml)).classes.at(0).quota;
}

// A source as the guard creates it on its first packet.
ww_source fresh_source(const FakeClock& clock) {
  ww_source src{};
  src.packet_tat_ns = src.byte_tat_ns = src.first_seen_ns = clock.now();
  return src;
}

int admitted(const ww_quota& quota, ww_source& src, const FakeClock& clock, int packets,
             uint32_t len = 100) {
  int passed = 0;
  for (int i = 0; i < packets; ++i) passed += ww_within_quota(&quota, &src, len, clock.now());
  return passed;
}

TEST(AntiMeaveMath, ABurstPassesAtOnceThenOnePacketPerInterval) {
  const ww_quota quota = quota_of("  quota: {pps: 2, burst: 5}\n");
  FakeClock clock;
  ww_source src = fresh_source(clock);

  EXPECT_EQ(admitted(quota, src, clock, 20), 5);
  clock.advance(500 * kMs - 1);
  EXPECT_EQ(admitted(quota, src, clock, 1), 0) << "one nanosecond before the next packet is due";
  clock.advance(1);
  EXPECT_EQ(admitted(quota, src, clock, 5), 1);
  clock.advance(1200 * kMs);
  EXPECT_EQ(admitted(quota, src, clock, 10), 2) << "1.2 s at 2 pps";
}

TEST(AntiMeaveMath, RefusedPacketsDoNotDelayRecovery) {
  const ww_quota quota = quota_of("  quota: {pps: 10, burst: 1}\n");
  FakeClock clock;
  ww_source src = fresh_source(clock);

  EXPECT_EQ(admitted(quota, src, clock, 1), 1);
  const uint64_t tat = src.packet_tat_ns;
  EXPECT_EQ(admitted(quota, src, clock, 1000), 0);
  EXPECT_EQ(src.packet_tat_ns, tat) << "a flood over quota must not push the source's time out";
  clock.advance(100 * kMs);
  EXPECT_EQ(admitted(quota, src, clock, 1000), 1);
}

TEST(AntiMeaveMath, AnIdleSourceEarnsNoMoreThanItsBurst) {
  const ww_quota quota = quota_of("  quota: {pps: 100, burst: 3}\n");
  FakeClock clock;
  ww_source src = fresh_source(clock);
  clock.advance(3600 * kSecond);
  EXPECT_EQ(admitted(quota, src, clock, 10), 3);
}

TEST(AntiMeaveMath, AByteRateRefusesLargePacketsBeforeSmallOnes) {
  // 1000 bytes per second with a 2000-byte bucket; the packet rate never binds.
  const ww_quota quota =
      quota_of("  quota: {pps: 1000000, burst: 1000000, bps: 8000, burst_bytes: 2000}\n");
  FakeClock clock;
  ww_source src = fresh_source(clock);

  EXPECT_TRUE(ww_within_quota(&quota, &src, 1400, clock.now()));
  const uint64_t packet_tat = src.packet_tat_ns;
  EXPECT_FALSE(ww_within_quota(&quota, &src, 1400, clock.now())) << "2800 bytes: over";
  EXPECT_EQ(src.packet_tat_ns, packet_tat) << "a packet refused for its bytes costs no packet";
  EXPECT_TRUE(ww_within_quota(&quota, &src, 500, clock.now())) << "1900 bytes: within";
  EXPECT_FALSE(ww_within_quota(&quota, &src, 500, clock.now())) << "2400 bytes: over";
  clock.advance(400 * kMs - 1);
  EXPECT_FALSE(ww_within_quota(&quota, &src, 500, clock.now())) << "399.999999 bytes drained";
  clock.advance(1);
  EXPECT_TRUE(ww_within_quota(&quota, &src, 500, clock.now())) << "400 bytes drained";
}

// The share cap of a 1 s window at max_share 0.5, floor `floor` packets per window.
ww_policy_config share_config(uint64_t floor) {
  ww_policy_config cfg{};
  cfg.max_share_ppm = 500000;
  cfg.share_window_ns = kSecond;
  cfg.share_floor_packets = floor;
  return cfg;
}

// An interface's window as the guard creates it on the interface's first packet.
ww_iface_window window_starting(uint64_t now) {
  ww_iface_window win{};
  win.window_start_ns = now;
  return win;
}

int shares_admitted(const ww_policy_config& cfg, ww_iface_window& win, ww_source& src,
                    const FakeClock& clock, int packets) {
  int passed = 0;
  for (int i = 0; i < packets; ++i) passed += ww_share_admits(&cfg, &win, &src, clock.now());
  return passed;
}

TEST(AntiMeaveMath, ASourceMayTakeItsShareOfThePreviousWindow) {
  const ww_policy_config cfg = share_config(5);
  FakeClock clock;
  ww_iface_window win = window_starting(clock.now());
  ww_source heavy{}, light{}, other{};

  // The first window has no previous one to take a share of.
  EXPECT_EQ(shares_admitted(cfg, win, heavy, clock, 4) +
                shares_admitted(cfg, win, light, clock, 3) +
                shares_admitted(cfg, win, other, clock, 3),
            10);
  clock.advance(kSecond - 1);
  EXPECT_EQ(shares_admitted(cfg, win, heavy, clock, 1), 1) << "still the first window";
  EXPECT_EQ(win.window_packets, 11u);

  clock.advance(1);
  // Half of the previous window's 11 packets: 5.5, so the sixth packet is over.
  EXPECT_EQ(shares_admitted(cfg, win, heavy, clock, 8), 6);
  EXPECT_EQ(shares_admitted(cfg, win, light, clock, 2), 2);
  EXPECT_EQ(win.previous_window_packets, 11u);
  EXPECT_EQ(win.window_packets, 10u) << "refused packets still count for the interface";
  EXPECT_EQ(heavy.window_packets, 6u);
}

TEST(AntiMeaveMath, BelowTheFloorNobodyIsCapped) {
  const ww_policy_config cfg = share_config(100);
  FakeClock clock;
  ww_iface_window win = window_starting(clock.now());
  ww_source src{};
  EXPECT_EQ(shares_admitted(cfg, win, src, clock, 50), 50);
  clock.advance(kSecond);
  EXPECT_EQ(shares_admitted(cfg, win, src, clock, 50), 50) << "50 previous packets < floor 100";
}

// A window ends at the first packet at least share_window after it began, however late: the
// window before is then the whole stretch since.
TEST(AntiMeaveMath, TheWindowRollsOnTheFirstPacketAWindowAfterItBegan) {
  const ww_policy_config cfg = share_config(5);
  FakeClock clock;
  ww_iface_window win = window_starting(clock.now());
  ww_source src{};
  EXPECT_EQ(shares_admitted(cfg, win, src, clock, 10), 10);
  clock.advance(kSecond);
  EXPECT_EQ(shares_admitted(cfg, win, src, clock, 10), 5);
  EXPECT_EQ(win.window_start_ns, clock.now());

  clock.advance(3 * kSecond);
  EXPECT_EQ(shares_admitted(cfg, win, src, clock, 10), 5);
  EXPECT_EQ(win.previous_window_packets, 10u);
  EXPECT_EQ(win.window_start_ns, clock.now());
}

TEST(AntiMeaveMath, ADropQuarantineHoldsUntilItsEnd) {
  FakeClock clock;
  ww_quarantine q{};
  q.action = WW_QUARANTINE_DROP;
  q.until_ns = clock.now() + 10 * kSecond;

  EXPECT_FALSE(ww_quarantine_admits(&q, clock.now()));
  clock.advance(10 * kSecond - 1);
  EXPECT_FALSE(ww_quarantine_admits(&q, clock.now()));
  EXPECT_EQ(q.dropped, 2u);
  clock.advance(1);
  EXPECT_TRUE(ww_quarantine_admits(&q, clock.now())) << "a ban ends on time";
  EXPECT_EQ(q.dropped, 2u);
}

TEST(AntiMeaveMath, ALimitQuarantineAdmitsItsOwnRate) {
  FakeClock clock;
  ww_quarantine q{};
  q.action = WW_QUARANTINE_LIMIT;
  q.until_ns = clock.now() + 60 * kSecond;
  q.packet_interval_ns = 100 * kMs;                  // 10 pps
  q.packet_tolerance_ns = 2 * q.packet_interval_ns;  // burst 2
  q.packet_tat_ns = clock.now();

  int passed = 0;
  for (int i = 0; i < 10; ++i) passed += ww_quarantine_admits(&q, clock.now());
  EXPECT_EQ(passed, 2);
  EXPECT_EQ(q.dropped, 8u);
  clock.advance(100 * kMs);
  passed = 0;
  for (int i = 0; i < 10; ++i) passed += ww_quarantine_admits(&q, clock.now());
  EXPECT_EQ(passed, 1);
}

}  // namespace
}  // namespace westworld::policy::testing
