// A crisis: something the node's detectors saw and contained, opening the crisis quests of its
// kind for a fixed window. The agent opens one when a detector's flood alert is contained
// (crisis_board.h); `wwctl quest claim` of a quest with `opens_on: KIND` counts from its opening.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "westworld/common/clock.h"

namespace westworld::quests {

enum class CrisisKind : uint8_t {
  flood,  // a per-source flood alert (rate jump, share creep) whose quarantine took effect
};

std::string_view crisis_kind_name(CrisisKind kind);  // "flood"
std::optional<CrisisKind> parse_crisis_kind(std::string_view text);
std::string crisis_kind_names();  // "flood", for messages

// How long a crisis stays open: its quests' claims count from its opening for this long.
inline constexpr std::chrono::seconds kCrisisWindow = std::chrono::hours(12);

struct Crisis {
  int64_t id = 0;
  CrisisKind kind = CrisisKind::flood;
  std::string subject;    // what it is about: the flooding source
  uint64_t alert_id = 0;  // the agent's alert that opened it (numbered per agent run)
  common::UnixSeconds opened_at;
  common::UnixSeconds closes_at;  // opened_at + kCrisisWindow

  // Open from its opening up to, not including, closes_at.
  bool open_at(common::UnixSeconds now) const { return now >= opened_at && now < closes_at; }
};

}  // namespace westworld::quests
