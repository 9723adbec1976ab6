#include <algorithm>
#include <limits>

#include "westworld/policy/compiled_policy.h"

namespace westworld::policy {
namespace {

constexpr uint64_t kNanosPerSecond = 1'000'000'000;
constexpr int kFixedPointBits = 16;

// Absurd bursts (a day's worth of packets) must not wrap into tiny ones.
uint64_t saturated(unsigned __int128 value) {
  constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();
  return value > kMax ? kMax : static_cast<uint64_t>(value);
}

}  // namespace

ww_quota compile_quota(const Quota& quota) {
  ww_quota gcra{};
  if (quota.unlimited || (quota.pps == 0 && quota.bytes_per_second == 0)) {
    gcra.unlimited = 1;
    return gcra;
  }
  if (quota.pps > 0) {
    gcra.packet_interval_ns = std::max<uint64_t>(kNanosPerSecond / quota.pps, 1);
    gcra.packet_tolerance_ns =
        saturated(static_cast<unsigned __int128>(quota.burst) * gcra.packet_interval_ns);
  }
  if (quota.bytes_per_second > 0) {
    // Nanoseconds per byte in 48.16 fixed point: a 10 Gbit/s rate is 0.8 ns
    // per byte, which whole nanoseconds cannot express.
    gcra.byte_interval_fp16 =
        std::max<uint64_t>((kNanosPerSecond << kFixedPointBits) / quota.bytes_per_second, 1);
    gcra.byte_tolerance_ns =
        saturated((static_cast<unsigned __int128>(quota.burst_bytes) * gcra.byte_interval_fp16) >>
                  kFixedPointBits);
  }
  return gcra;
}

}  // namespace westworld::policy
