#include "westworld/agent/flow_violations.h"

#include <arpa/inet.h>
#include <spdlog/spdlog.h>

#include "westworld/dataplane/policy_writer.h"

namespace westworld::agent {
namespace {

std::string source_of(const ww_event& event) {
  char text[INET6_ADDRSTRLEN] = {};
  inet_ntop(event.family == WW_FAMILY_IPV4 ? AF_INET : AF_INET6, event.src, text, sizeof text);
  return text;
}

}  // namespace

std::string flow_offender(const ww_event& event) {
  return std::string(kFlowOffenderPrefix) + source_of(event);
}

void FlowViolations::seen(const ww_event& event) {
  // The rule index means something only in the generation that stamped it: an event from
  // before the last apply could name another rule.
  const dataplane::ActivePolicy active = dataplane::read_active_policy(agent_.guard().maps());
  const auto& rules = agent_.policy_record().rules;
  if (!active.valid || active.config.generation != event.generation || event.rule >= rules.size()) {
    spdlog::debug("violation event of generation {} rule {}: not the running policy's; skipped",
                  event.generation, event.rule);
    return;
  }
  const std::string& rule = rules[event.rule].name;
  const std::optional<charter::Violation> violation =
      ledger_.record({flow_offender(event), charter::ViolationType::flow_rule, "rule " + rule,
                      policy::ViolationSeverity::high});
  if (!violation) return;  // the same offence again within a day
  observer_.violation_recorded(*violation);
  if (violation->step < charter::EscalationStep::quarantined) return;
  const QuarantineOutcome held = watchman_.charter_quarantine(
      source_of(event), "charter: violation " + std::to_string(violation->id) + " (" +
                            to_string(violation->step) + ", rule " + rule + ")");
  spdlog::warn("charter: {}", held.text);
}

}  // namespace westworld::agent
