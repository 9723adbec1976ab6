#include "westworld/agent/counter_snapshot.h"

#include "westworld/dataplane/policy_writer.h"

namespace westworld::agent {

CounterSnapshot read_counter_snapshot(const dataplane::Guard& guard, const nlohmann::json& record) {
  const dataplane::GuardMaps& maps = guard.maps();
  CounterSnapshot snapshot;
  for (uint32_t dir = 0; dir < WW_DIR_MAX; ++dir) {
    for (uint32_t s = 0; s < WW_STAT_MAX; ++s)
      snapshot.stats[dir][s] = dataplane::read_counter(maps.stats.get(), WW_STATS_INDEX(dir, s));
    for (uint32_t r = 0; r < WW_DROP_MAX; ++r)
      snapshot.drops[dir][r] =
          dataplane::read_counter(maps.drop_stats.get(), WW_DROP_INDEX(dir, r));
    snapshot.sources_created += snapshot.stats[dir][WW_STAT_SOURCES_NEW].packets;
  }
  snapshot.sources_capacity = guard.max_sources();

  const dataplane::ActivePolicy active = dataplane::read_active_policy(maps);
  snapshot.policy_valid = active.valid;
  if (!active.valid) return snapshot;
  snapshot.policy_generation = active.config.generation;
  snapshot.policy_applied_at_unix_ns = active.config.applied_at_unix_ns;
  const nlohmann::json rules = record.value("rules", nlohmann::json::array());
  for (uint32_t i = 0; i < active.config.n_rules; ++i) {
    RuleCounter rule;
    rule.name = i < rules.size() ? rules[i].value("name", "") : "";
    rule.action = i < rules.size() ? rules[i].value("action", "") : "";
    if (rule.name.empty()) rule.name = "#" + std::to_string(i);
    rule.traffic = dataplane::read_counter(maps.rule_stats.get(), WW_RULE_INDEX(active.gen, i));
    snapshot.rules.push_back(std::move(rule));
  }
  return snapshot;
}

}  // namespace westworld::agent
