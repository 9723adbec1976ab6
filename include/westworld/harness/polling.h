// Waiting for a condition with a deadline instead of sleeping for a guessed time.
#pragma once

#include <chrono>
#include <functional>

namespace westworld::harness {

// Checks `condition` every `interval` until it holds (true) or `timeout` has passed (false);
// it is checked once more at the deadline.
bool eventually(std::chrono::milliseconds timeout, const std::function<bool()>& condition,
                std::chrono::milliseconds interval = std::chrono::milliseconds(100));

}  // namespace westworld::harness
