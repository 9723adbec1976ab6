// Alerts and the responses they caused, kept in bounded rings: the agent
// remembers the recent ones for `wwctl alerts`, and a storm of alerts costs a
// fixed amount of memory.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "westworld/anomaly/finding.h"

namespace westworld::anomaly {

// The per-source detectors (SourceWatch's). Their alerts name one source whose traffic floods
// its link: the alerts a quarantine can contain.
inline constexpr std::string_view kRateJumpDetector = "rate_jump";
inline constexpr std::string_view kShareCreepDetector = "share_creep";
bool is_source_flood(std::string_view detector);

struct Alert {
  uint64_t id = 0;  // 1, 2, ... per agent run
  uint64_t unix_ns = 0;
  std::string subject;  // a source address, "ingress", or "control-plane"
  Finding finding;
  uint32_t window_ms = 0;  // length of one window
  std::string response;    // what the agent did about it, in words
  // The response's quarantine took effect: the source is held (QuarantineOutcome::done). The
  // quarantine keeper declines every protected source, so a contained alert harmed no
  // protected source.
  bool contained = false;
};

// One thing the agent did: quarantine, extend, release, freeze, unfreeze, or
// declined to do (a protected source).
struct ResponseRecord {
  uint64_t unix_ns = 0;
  std::string action;
  std::string subject;
  std::string reason;
};

// The most recent `capacity` items, oldest first.
template <typename Item>
class BoundedRing {
 public:
  explicit BoundedRing(size_t capacity) : capacity_(capacity) {}

  void push(Item item) {
    if (items_.size() == capacity_) items_.pop_front();
    items_.push_back(std::move(item));
    ++total_;
  }
  // The newest `limit` items, oldest first.
  std::vector<Item> recent(size_t limit) const {
    size_t skip = items_.size() > limit ? items_.size() - limit : 0;
    return {items_.begin() + static_cast<std::ptrdiff_t>(skip), items_.end()};
  }
  uint64_t total() const { return total_; }  // ever pushed, including those dropped
  size_t capacity() const { return capacity_; }

 private:
  size_t capacity_;
  std::deque<Item> items_;
  uint64_t total_ = 0;
};

// "rate_jump: packets_per_second 52000 >= 4000 over 3 windows of 1000 ms (detail)".
std::string describe(const Alert& alert);
// "alert 7 (rate_jump packets_per_second 52000 crossed 8000)": the reason a response gives.
std::string summarize(const Alert& alert);

}  // namespace westworld::anomaly
