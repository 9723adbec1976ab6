// The share cap in the kernel: in each window a source may pass at most max_share of the
// packets the interface carried in the previous window, once that reached the floor. The
// arithmetic is bpf/anti_meave_math.h, checked to the nanosecond on a controlled clock by
// tests/bpf/anti_meave_math_test.cpp; here the guard's maps and counters around it. Windows
// roll on the first packet at least share_window_ms after the window began, so each test fills
// one 10 s window, then ends it by moving the window's start back (age_share_windows), and
// checks the next: no waiting, and no machine is slow enough to roll a 10 s window by itself.
#include <chrono>
#include <string>

#include "guard_fixture.h"

namespace westworld::bpf_test {
namespace {

constexpr std::chrono::seconds kWindow(10);

// `extra` is more of the anti_meave section, e.g. classes. The floor is per second; over the
// 10 s window, a floor of 1 pps is 10 packets.
std::string share_policy(const std::string& floor_pps, const std::string& on_exceed,
                         const std::string& extra = "") {
  return "version: 1\nanti_meave:\n  max_share: 0.5\n  share_window_ms: 10000\n" +
         ("  share_floor_pps: " + floor_pps + "\n") + ("  on_exceed: " + on_exceed + "\n") + extra;
}

class ShareTest : public GuardTest {
 protected:
  int passes(const std::string& src, int count) {
    int passed = 0;
    for (int i = 0; i < count; ++i) {
      passed += run_xdp(udp4(src, "192.0.2.1", 1000, 53)) == Verdict::pass;
    }
    return passed;
  }

  // The first window: 10 packets from three sources, none above the floor of the (empty)
  // window before it. Then the window ends as if 10 s had passed.
  void fill_first_window_and_end_it() {
    EXPECT_EQ(passes("10.0.0.1", 4) + passes("10.0.0.2", 3) + passes("10.0.0.3", 3), 10)
        << "the first window has no previous window to take a share of";
    age_share_windows(std::chrono::nanoseconds(kWindow).count());
  }
};

TEST_F(ShareTest, ASourceAboveItsShareOfThePreviousWindowIsDropped) {
  apply(share_policy("1", "drop"));
  fill_first_window_and_end_it();

  const CounterSnapshot before = counters();
  // Half of the previous window's 10 packets is 5: the sixth packet onwards is over.
  const int heavy_passed = passes("10.0.0.1", 8);
  const int light_passed = passes("10.0.0.2", 2);

  EXPECT_EQ(heavy_passed, 5);
  EXPECT_EQ(light_passed, 2);
  const CounterDelta delta = since(before);
  EXPECT_EQ(delta.drops(WW_DROP_SHARE), 3u);
  EXPECT_EQ(delta.stat(WW_STAT_SHARE_EXCEEDED), 3u);
  EXPECT_EQ(delta.drops(WW_DROP_QUOTA), 0u);
  const std::optional<ww_source> heavy = source("10.0.0.1");
  ASSERT_TRUE(heavy);
  EXPECT_EQ(heavy->dropped_share, 3u);
  EXPECT_EQ(heavy->window_packets, 5u);
  EXPECT_EQ(heavy->packets, 4u + 8u);
  EXPECT_EQ(source("10.0.0.2")->dropped_share, 0u);
}

TEST_F(ShareTest, BelowTheFloorTheShareIsNotCapped) {
  // A floor of 100 packets per window: the previous window's 10 are too few to cap anyone.
  apply(share_policy("10", "drop"));
  fill_first_window_and_end_it();
  const CounterSnapshot before = counters();
  EXPECT_EQ(passes("10.0.0.1", 8), 8);
  const CounterDelta delta = since(before);
  EXPECT_EQ(delta.stat(WW_STAT_SHARE_EXCEEDED), 0u);
  EXPECT_EQ(delta.drops(WW_DROP_SHARE), 0u);
}

TEST_F(ShareTest, OnExceedCountCountsTheExcessButPassesIt) {
  apply(share_policy("1", "count"));
  fill_first_window_and_end_it();
  const CounterSnapshot before = counters();
  EXPECT_EQ(passes("10.0.0.1", 8), 8);
  const CounterDelta delta = since(before);
  EXPECT_EQ(delta.stat(WW_STAT_SHARE_EXCEEDED), 3u);
  EXPECT_EQ(delta.drops(WW_DROP_SHARE), 0u);
  EXPECT_EQ(source("10.0.0.1")->dropped_share, 0u);
}

// The README's promise: `quota: unlimited` lifts the rate quota, not the share cap.
TEST_F(ShareTest, AnUnlimitedClassIsStillShareCapped) {
  apply(share_policy("1", "drop",
                     "  classes:\n"
                     "    - {name: trusted, src: [10.0.0.0/24], quota: unlimited}\n"));
  fill_first_window_and_end_it();
  const CounterSnapshot before = counters();
  EXPECT_EQ(passes("10.0.0.1", 8), 5);
  EXPECT_EQ(since(before).drops(WW_DROP_SHARE), 3u);
  EXPECT_EQ(source("10.0.0.1")->class_id, 1u);
}

}  // namespace
}  // namespace westworld::bpf_test
