#include "westworld/quests/claim.h"

namespace westworld::quests {

ClaimDecision refused_claim(std::string reason) {
  ClaimDecision decision;
  decision.evaluation.outcome = Outcome::missing_evidence;
  decision.evaluation.reason = std::move(reason);
  return decision;
}

ClaimDecision decide_claim(const Quest& quest, std::string_view step_id, const Evidence& evidence,
                           std::string_view node, common::UnixSeconds activated,
                           const common::Clock& clock, const Freshness& freshness) {
  const Step* step = quest.find_step(step_id);
  if (!step)
    return refused_claim("quest '" + quest.id + "' has no step '" + std::string(step_id) + "'");
  const common::UnixSeconds now = clock.now();
  if (!is_open(quest, activated, now)) {
    return refused_claim("quest '" + quest.id + "' is not open: " +
                         (now < activated ? "it has not started" : "it has expired"));
  }
  ClaimDecision decision;
  decision.evaluation = evaluate(*step, evidence, node, clock, freshness);
  if (decision.evaluation.outcome != Outcome::met) return decision;
  // A crisis quest is claimable once per crisis: its period is the crisis's opening.
  const int64_t period =
      quest.opens_on ? activated.time_since_epoch().count() : period_of(quest, now);
  decision.claim =
      Claim{quest.id, quest.category, std::string(node), step->id, period, step->reward};
  return decision;
}

}  // namespace westworld::quests
