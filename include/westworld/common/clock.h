// The one clock of the userspace. Time comes from a Clock so that what depends on
// it (token expiry, quarantine terms, detector windows, the policy-swap grace
// period) can be tested at any instant, without sleeping.
//
// Two readings: wall time (Unix, for records people read and tokens' caveats) and
// monotonic time (CLOCK_MONOTONIC, the clock of bpf_ktime_get_ns(), for durations
// and for anything compared with what the kernel stamps).
#pragma once

#include <chrono>
#include <cstdint>

namespace westworld::common {

using UnixSeconds = std::chrono::sys_seconds;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::chrono::system_clock::time_point wall() const = 0;
  virtual std::chrono::nanoseconds monotonic() const = 0;  // since boot

  UnixSeconds now() const { return std::chrono::floor<std::chrono::seconds>(wall()); }
  uint64_t unix_ns() const;
  uint64_t monotonic_ns() const { return static_cast<uint64_t>(monotonic().count()); }
};

class SystemClock final : public Clock {
 public:
  std::chrono::system_clock::time_point wall() const override;
  std::chrono::nanoseconds monotonic() const override;
};

// A clock that moves only when told to: both readings advance together.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(UnixSeconds wall = UnixSeconds{},
                       std::chrono::nanoseconds monotonic = std::chrono::seconds(1))
      : wall_(wall), monotonic_(monotonic) {}
  std::chrono::system_clock::time_point wall() const override { return wall_; }
  std::chrono::nanoseconds monotonic() const override { return monotonic_; }

  void set(UnixSeconds wall) { wall_ = wall; }
  void advance(std::chrono::nanoseconds by) {
    wall_ += std::chrono::duration_cast<std::chrono::system_clock::duration>(by);
    monotonic_ += by;
  }

 private:
  std::chrono::system_clock::time_point wall_;
  std::chrono::nanoseconds monotonic_;
};

const Clock& system_clock();

}  // namespace westworld::common
