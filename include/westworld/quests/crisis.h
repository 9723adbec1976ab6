// A crisis: something a router's detectors saw and contained, opening the crisis quests of its
// kind for a fixed window. The agent opens one when a detector's flood alert is contained
// (crisis_board.h) and, on a mesh, publishes it signed so that every member that helped may
// claim (mesh_crises.h); `wwctl quest claim` of a quest with `opens_on: KIND` counts from its
// opening.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

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
  int64_t id = 0;  // the row on this node's board; 0 for a crisis read from the mesh
  CrisisKind kind = CrisisKind::flood;
  std::string subject;    // what it is about: the flooding source
  uint64_t alert_id = 0;  // the agent's alert that opened it (numbered per agent run)
  common::UnixSeconds opened_at;
  common::UnixSeconds closes_at;  // opened_at + kCrisisWindow
  std::string opener;             // the router whose detector opened it; empty: this node

  // Open from its opening up to, not including, closes_at.
  bool open_at(common::UnixSeconds now) const { return now >= opened_at && now < closes_at; }
};

// "crisis 3" (a row of this node's board), or "the crisis r2 opened at 1765000000" (the mesh's).
std::string crisis_name(const Crisis& crisis);

// Which of several crises count: in order of opening (then of opener), one counts when no crisis
// of its kind already counted is open at its opening. The rule the board applies to one node's
// crises, applied to a mesh's (mesh_crises.h). Oldest first.
std::vector<Crisis> counted_crises(std::vector<Crisis> crises);

// The newest of `crises` of `kind` open at `now`.
std::optional<Crisis> newest_open_crisis(const std::vector<Crisis>& crises, CrisisKind kind,
                                         common::UnixSeconds now);

// The one of `crises` of `kind` that `opener` opened at `opened_at`, or nullptr.
const Crisis* find_crisis(const std::vector<Crisis>& crises, CrisisKind kind,
                          std::string_view opener, common::UnixSeconds opened_at);

}  // namespace westworld::quests
