#include "westworld/agent/counter_snapshot.h"

#include "westworld/dataplane/policy_writer.h"

namespace westworld::agent {

CounterSnapshot read_counter_snapshot(const dataplane::Guard& guard,
                                      const control::PolicyRecord& record) {
  const dataplane::GuardMaps& maps = guard.maps();
  CounterSnapshot snapshot;
  snapshot.counters = dataplane::read_guard_counters(maps);
  snapshot.sources_created = snapshot.counters.packets_both_ways(WW_STAT_SOURCES_NEW);
  snapshot.sources_capacity = guard.max_sources();

  const dataplane::ActivePolicy active = dataplane::read_active_policy(maps);
  snapshot.policy_valid = active.valid;
  if (!active.valid) return snapshot;
  snapshot.policy_generation = active.config.generation;
  snapshot.policy_applied_at_unix_ns = active.config.applied_at_unix_ns;
  const std::vector<dataplane::CounterSum> traffic = dataplane::read_rule_counters(maps, active);
  for (uint32_t i = 0; i < traffic.size(); ++i) {
    RuleCounter rule;
    if (i < record.rules.size()) {
      rule.name = record.rules[i].name;
      rule.action = record.rules[i].action;
    }
    if (rule.name.empty()) rule.name = "#" + std::to_string(i);
    rule.traffic = traffic[i];
    snapshot.rules.push_back(std::move(rule));
  }
  return snapshot;
}

}  // namespace westworld::agent
