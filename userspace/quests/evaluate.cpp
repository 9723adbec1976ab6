#include "westworld/quests/evaluate.h"

#include "quest_units.h"

namespace westworld::quests {
namespace {

std::string format_value(int64_t value, CriterionUnit unit) {
  switch (unit) {
    case CriterionUnit::duration:
      return format_duration_ms(value);
    case CriterionUnit::count:
      return std::to_string(value);
    case CriterionUnit::boolean:
      return value != 0 ? "true" : "false";
  }
  return std::to_string(value);
}

// Why the evidence as a whole cannot speak for `claiming_node` now, or empty when it can.
std::string refusal(const Evidence& evidence, std::string_view claiming_node,
                    common::UnixSeconds now, const Freshness& freshness) {
  if (evidence.node_id != claiming_node) {
    return "the evidence is about node '" + evidence.node_id + "', not '" +
           std::string(claiming_node) + "': one node cannot claim for another";
  }
  if (evidence.observed_at > now + freshness.max_skew) {
    return "the evidence was observed in the future (" +
           std::to_string((evidence.observed_at - now).count()) + "s ahead of this clock)";
  }
  const auto age = now - evidence.observed_at;
  if (age > freshness.max_age) {
    return "the evidence is stale: observed " + format_duration_ms(age.count() * 1000) +
           " ago, at most " + format_duration_ms(freshness.max_age.count() * 1000) + " accepted";
  }
  return {};
}

CriterionResult judge(const Criterion& criterion, const Evidence& evidence) {
  const CatalogueEntry& entry = catalogue_entry(criterion.kind);
  CriterionResult result{criterion, Outcome::missing_evidence, {}};
  const auto value = evidence_value(evidence, criterion.kind);
  if (!value) {
    result.reason =
        "no evidence of " + std::string(entry.name) + " (" + std::string(entry.evidence) + ")";
    return result;
  }
  const bool met = common::compare(criterion.op, *value, criterion.threshold);
  result.outcome = met ? Outcome::met : Outcome::not_met;
  result.reason = std::string(entry.name) + " is " + format_value(*value, entry.unit) +
                  (met ? ", meets " : ", needs ") +
                  std::string(common::comparison_text(criterion.op)) + " " +
                  format_value(criterion.threshold, entry.unit);
  return result;
}

}  // namespace

std::string_view outcome_name(Outcome outcome) {
  switch (outcome) {
    case Outcome::met:
      return "met";
    case Outcome::not_met:
      return "not met";
    case Outcome::missing_evidence:
      return "missing evidence";
  }
  return "?";
}

StepEvaluation evaluate(const Step& step, const Evidence& evidence, std::string_view claiming_node,
                        const common::Clock& clock, const Freshness& freshness) {
  StepEvaluation evaluation;
  if (std::string why = refusal(evidence, claiming_node, clock.now(), freshness); !why.empty()) {
    evaluation.reason = std::move(why);
    return evaluation;
  }
  if (step.criteria.empty()) {
    // The loader never builds one; a hand-made step with nothing to check proves nothing.
    evaluation.reason = "step '" + step.id + "' has no criteria";
    return evaluation;
  }
  size_t missing = 0;
  size_t unmet = 0;
  for (const Criterion& criterion : step.criteria) {
    evaluation.criteria.push_back(judge(criterion, evidence));
    const CriterionResult& result = evaluation.criteria.back();
    if (result.outcome == Outcome::met) continue;
    (result.outcome == Outcome::missing_evidence ? missing : unmet) += 1;
    if (!evaluation.reason.empty()) evaluation.reason += "; ";
    evaluation.reason += result.reason;
  }
  // Missing first: the judgement is incomplete until every value is there.
  evaluation.outcome = missing != 0 ? Outcome::missing_evidence
                       : unmet != 0 ? Outcome::not_met
                                    : Outcome::met;
  if (evaluation.outcome == Outcome::met) evaluation.reason = "every criterion is met";
  return evaluation;
}

}  // namespace westworld::quests
