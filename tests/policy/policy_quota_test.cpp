#include <gtest/gtest.h>

#include <limits>

#include "westworld/policy/compiled_policy.h"

namespace westworld::policy {
namespace {

TEST(PolicyQuota, UnlimitedHasNoIntervals) {
  ww_quota gcra = compile_quota(Quota{.unlimited = true, .pps = 5, .burst = 5});
  EXPECT_EQ(gcra.unlimited, 1);
  EXPECT_EQ(gcra.packet_interval_ns, 0u);
  EXPECT_EQ(gcra.packet_tolerance_ns, 0u);
  EXPECT_EQ(gcra.byte_interval_fp16, 0u);
  EXPECT_EQ(gcra.byte_tolerance_ns, 0u);
}

TEST(PolicyQuota, PacketRate) {
  ww_quota gcra = compile_quota(Quota{.pps = 20000, .burst = 5000});
  EXPECT_EQ(gcra.unlimited, 0);
  EXPECT_EQ(gcra.packet_interval_ns, 50'000u);
  EXPECT_EQ(gcra.packet_tolerance_ns, 250'000'000u);
  EXPECT_EQ(gcra.byte_interval_fp16, 0u);
  EXPECT_EQ(gcra.byte_tolerance_ns, 0u);

  EXPECT_EQ(compile_quota(Quota{.pps = 3, .burst = 1}).packet_interval_ns, 333'333'333u);
  // Faster than one packet per nanosecond still needs a non-zero interval.
  EXPECT_EQ(compile_quota(Quota{.pps = 5'000'000'000, .burst = 1}).packet_interval_ns, 1u);
}

TEST(PolicyQuota, ByteRateInFixedPoint) {
  // 200 Mbit/s = 25e6 bytes/s = 40 ns per byte = 40 << 16 in 48.16 fixed point.
  ww_quota gcra = compile_quota(
      Quota{.pps = 20000, .burst = 5000, .bytes_per_second = 25'000'000, .burst_bytes = 4 << 20});
  EXPECT_EQ(gcra.byte_interval_fp16, 40u << 16);
  EXPECT_EQ(gcra.byte_tolerance_ns, (4u << 20) * 40u);

  // 10 Gbit/s: 0.8 ns per byte, kept to 1/65536 ns.
  ww_quota fast = compile_quota(
      Quota{.pps = 1, .burst = 1, .bytes_per_second = 1'250'000'000, .burst_bytes = 1'000'000});
  EXPECT_EQ(fast.byte_interval_fp16, 52428u);  // floor(0.8 * 65536)
  EXPECT_EQ(fast.byte_tolerance_ns, uint64_t{1'000'000} * 52428 >> 16);

  ww_quota absurd = compile_quota(Quota{.pps = 1,
                                        .burst = 1,
                                        .bytes_per_second = std::numeric_limits<uint64_t>::max(),
                                        .burst_bytes = 1});
  EXPECT_EQ(absurd.byte_interval_fp16, 1u);
}

TEST(PolicyQuota, HugeBurstsSaturate) {
  constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();
  ww_quota gcra =
      compile_quota(Quota{.pps = 1, .burst = kMax, .bytes_per_second = 1, .burst_bytes = kMax});
  EXPECT_EQ(gcra.packet_tolerance_ns, kMax);
  EXPECT_EQ(gcra.byte_tolerance_ns, kMax);
}

TEST(PolicyQuota, NoRateAtAllIsUnlimited) { EXPECT_EQ(compile_quota(Quota{}).unlimited, 1); }

}  // namespace
}  // namespace westworld::policy
