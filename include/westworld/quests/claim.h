// From a quest, a step and a node's evidence to the claim the ledger records, or the reason
// there is none. The one place that joins evaluation to the ledger, so nothing reaches
// Ledger::claim() that the quest is closed for or the evidence does not meet.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "westworld/common/clock.h"
#include "westworld/quests/evaluate.h"
#include "westworld/quests/ledger.h"
#include "westworld/quests/quest.h"

namespace westworld::quests {

struct ClaimDecision {
  std::optional<Claim> claim;  // set only when the step is met and the quest open
  StepEvaluation evaluation;   // outcome missing_evidence with a reason when not evaluated
};

// A claim refused before evaluation, as missing evidence with `reason`.
ClaimDecision refused_claim(std::string reason);

// `activated` is when the quest opened (its load for a standing quest, the opening of its crisis
// for a crisis quest: activation.h); the period is the one holding the clock's now, or for a
// crisis quest the activation itself, so each crisis can be claimed once.
ClaimDecision decide_claim(const Quest& quest, std::string_view step_id, const Evidence& evidence,
                           std::string_view node, common::UnixSeconds activated,
                           const common::Clock& clock, const Freshness& freshness = {});

}  // namespace westworld::quests
