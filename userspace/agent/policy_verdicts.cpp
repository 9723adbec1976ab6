#include "westworld/agent/policy_verdicts.h"

#include "westworld/dataplane/policy_writer.h"
#include "westworld/dataplane/status.h"

namespace westworld::agent {

anomaly::PolicyVerdicts running_verdicts(const dataplane::Guard& guard,
                                         const nlohmann::json& record, uint64_t default_packets) {
  anomaly::PolicyVerdicts verdicts;
  const dataplane::ActivePolicy active = dataplane::read_active_policy(guard.maps());
  if (!active.valid) return verdicts;
  verdicts.default_drops = active.config.default_action == WW_ACTION_DENY;
  verdicts.default_packets = default_packets;
  const nlohmann::json rules = record.value("rules", nlohmann::json::array());
  for (uint32_t i = 0; i < active.config.n_rules; ++i) {
    anomaly::RuleVerdict rule;
    rule.name = i < rules.size() ? rules[i].value("name", "") : "";
    if (rule.name.empty()) rule.name = "#" + std::to_string(i);
    rule.drops = i < rules.size() && rules[i].value("action", "") == "deny";
    // Rule counters of a generation are zeroed when it is written: this is the
    // traffic the rule matched since the running policy was applied.
    rule.packets =
        dataplane::read_counter(guard.maps().rule_stats.get(), WW_RULE_INDEX(active.gen, i))
            .packets;
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
  uint64_t total = 0;
  for (uint32_t dir = 0; dir < WW_DIR_MAX; ++dir)
    total += dataplane::read_counter(guard.maps().stats.get(), WW_STATS_INDEX(dir, WW_STAT_DEFAULT))
                 .packets;
  return total;
}

}  // namespace westworld::agent
