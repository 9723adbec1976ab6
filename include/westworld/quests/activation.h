// When a quest opened for claims on this node. A standing quest is open from when it is loaded
// (now); a crisis quest (`opens_on: KIND`) from the opening of the newest crisis of its kind
// that is open now, and not at all while none is: its claims are dated by that crisis, which
// the node's agent opened when its detector's alert was contained (crisis_board.h).
#pragma once

#include <optional>
#include <string>

#include "westworld/common/clock.h"
#include "westworld/quests/crisis.h"
#include "westworld/quests/crisis_board.h"
#include "westworld/quests/quest.h"

namespace westworld::quests {

struct Activation {
  common::UnixSeconds at;        // decide_claim()'s `activated`
  std::optional<Crisis> crisis;  // the crisis that opened a crisis quest
};

struct ActivationLookup {
  std::optional<Activation> activation;  // nullopt: the quest is not open here now
  std::string why_not;                   // "no open flood crisis on this node"
};

// `board` is this node's crises, or nullptr when it has none recorded (no quests database yet).
ActivationLookup activation_of(const Quest& quest, CrisisBoard* board, common::UnixSeconds now);

}  // namespace westworld::quests
