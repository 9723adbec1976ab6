#include "westworld/common/clock.h"

#include <time.h>

namespace westworld::common {

uint64_t Clock::unix_ns() const {
  return static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(wall().time_since_epoch()).count());
}

std::chrono::system_clock::time_point SystemClock::wall() const {
  return std::chrono::system_clock::now();
}

// CLOCK_MONOTONIC itself rather than steady_clock, whose epoch the standard leaves open:
// these readings are compared with the kernel's bpf_ktime_get_ns().
std::chrono::nanoseconds SystemClock::monotonic() const {
  timespec now{};
  clock_gettime(CLOCK_MONOTONIC, &now);
  return std::chrono::seconds(now.tv_sec) + std::chrono::nanoseconds(now.tv_nsec);
}

const Clock& system_clock() {
  static const SystemClock clock;
  return clock;
}

}  // namespace westworld::common
