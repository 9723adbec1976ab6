#include "guard_counters.h"

#include "westworld/abi.h"
#include "westworld/dataplane/counters.h"

namespace westworld::bench {

GuardVerdicts GuardVerdicts::operator-(const GuardVerdicts& earlier) const {
  return {seen - earlier.seen,
          passed - earlier.passed,
          dropped - earlier.dropped,
          dropped_by_rule - earlier.dropped_by_rule,
          dropped_by_quota - earlier.dropped_by_quota,
          dropped_other - earlier.dropped_other};
}

GuardVerdicts read_guard_verdicts(const dataplane::GuardMaps& maps) {
  const dataplane::GuardCounters c = dataplane::read_guard_counters(maps);
  GuardVerdicts v;
  v.seen = c.packets(WW_DIR_INGRESS, WW_STAT_SEEN);
  v.passed = c.packets(WW_DIR_INGRESS, WW_STAT_PASS);
  v.dropped = c.packets(WW_DIR_INGRESS, WW_STAT_DROP);
  v.dropped_by_rule = c.dropped(WW_DIR_INGRESS, WW_DROP_RULE);
  v.dropped_by_quota = c.dropped(WW_DIR_INGRESS, WW_DROP_QUOTA);
  for (uint32_t reason = 0; reason < WW_DROP_MAX; ++reason) {
    if (reason != WW_DROP_RULE && reason != WW_DROP_QUOTA)
      v.dropped_other += c.dropped(WW_DIR_INGRESS, static_cast<ww_drop_reason>(reason));
  }
  return v;
}

nlohmann::json to_json(const GuardVerdicts& v) {
  return {{"seen", v.seen},
          {"passed", v.passed},
          {"dropped", v.dropped},
          {"dropped_by_rule", v.dropped_by_rule},
          {"dropped_by_quota", v.dropped_by_quota},
          {"dropped_other", v.dropped_other}};
}

}  // namespace westworld::bench
