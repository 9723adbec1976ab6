// Judging a step against a node's evidence. Fail closed: evidence that is absent, stale, from
// the future or about another node never meets a criterion.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "westworld/common/clock.h"
#include "westworld/quests/evidence.h"
#include "westworld/quests/quest.h"

namespace westworld::quests {

enum class Outcome : uint8_t { met, not_met, missing_evidence };

std::string_view outcome_name(Outcome outcome);  // "met", "not met", "missing evidence"

struct CriterionResult {
  Criterion criterion;
  Outcome outcome = Outcome::missing_evidence;
  std::string reason;  // "peers is 2, needs >= 3"
};

struct StepEvaluation {
  // met only when every criterion is met; missing_evidence when the evidence as a whole is
  // unusable or any criterion lacks its value; otherwise not_met.
  Outcome outcome = Outcome::missing_evidence;
  std::string reason;
  std::vector<CriterionResult> criteria;  // empty when the evidence as a whole was refused
};

struct Freshness {
  // Evidence older than this proves nothing about now.
  std::chrono::seconds max_age = std::chrono::hours(1);
  // Clocks of different nodes disagree a little; more than this ahead of ours is refused.
  std::chrono::seconds max_skew = std::chrono::minutes(5);
};

// Judges `step` for `claiming_node`, at the clock's current time.
StepEvaluation evaluate(const Step& step, const Evidence& evidence, std::string_view claiming_node,
                        const common::Clock& clock, const Freshness& freshness = {});

}  // namespace westworld::quests
