#include "westworld/harness/polling.h"

#include <thread>

namespace westworld::harness {

bool eventually(std::chrono::milliseconds timeout, const std::function<bool()>& condition,
                std::chrono::milliseconds interval) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const bool last_chance = std::chrono::steady_clock::now() >= deadline;
    if (condition()) {
      return true;
    }
    if (last_chance) {
      return false;
    }
    std::this_thread::sleep_for(interval);
  }
}

}  // namespace westworld::harness
