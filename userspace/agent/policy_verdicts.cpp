#include "westworld/agent/policy_verdicts.h"

#include "westworld/dataplane/counters.h"
#include "westworld/dataplane/policy_writer.h"

namespace westworld::agent {

anomaly::PolicyVerdicts running_verdicts(const dataplane::Guard& guard,
                                         const control::PolicyRecord& record,
                                         uint64_t default_packets) {
  anomaly::PolicyVerdicts verdicts;
  const dataplane::ActivePolicy active = dataplane::read_active_policy(guard.maps());
  if (!active.valid) return verdicts;
  verdicts.default_drops = active.config.default_action == WW_ACTION_DENY;
  verdicts.default_packets = default_packets;
  const std::vector<dataplane::CounterSum> traffic =
      dataplane::read_rule_counters(guard.maps(), active);
  for (uint32_t i = 0; i < traffic.size(); ++i) {
    anomaly::RuleVerdict rule;
    if (i < record.rules.size()) {
      rule.name = record.rules[i].name;
      rule.drops = record.rules[i].action == "deny";
    }
    if (rule.name.empty()) rule.name = "#" + std::to_string(i);
    rule.packets = traffic[i].packets;
    verdicts.rules.push_back(std::move(rule));
  }
  return verdicts;
}

anomaly::PolicyVerdicts compiled_verdicts(const policy::CompiledPolicy& compiled) {
  anomaly::PolicyVerdicts verdicts;
  verdicts.default_drops = compiled.config.default_action == WW_ACTION_DENY;
  for (const policy::CompiledRule& rule : compiled.rules)
    verdicts.rules.push_back({rule.name, rule.action == policy::Action::deny, 0});
  return verdicts;
}

uint64_t default_packets_total(const dataplane::Guard& guard) {
  return dataplane::read_guard_counters(guard.maps()).packets_both_ways(WW_STAT_DEFAULT);
}

}  // namespace westworld::agent
