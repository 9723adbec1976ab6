// When a quest opened for claims on this node. A standing quest is open from when it is loaded
// (now); a crisis quest (`opens_on: KIND`) from the opening of the newest crisis of its kind
// that is open now, and not at all while none is: its claims are dated by that crisis. On a
// mesh that is the newest the mesh counts (mesh_crises.h), whichever router opened it; alone,
// or while the mesh counts none, the newest this node's agent opened (crisis_board.h).
#pragma once

#include <optional>
#include <string>
#include <vector>

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

// `board` is this node's crises, or nullptr when it has none recorded (no quests database yet);
// `mesh_crises` the crises its mesh counts, or nullptr without a mesh.
ActivationLookup activation_of(const Quest& quest, CrisisBoard* board, common::UnixSeconds now,
                               const std::vector<Crisis>* mesh_crises = nullptr);

}  // namespace westworld::quests
