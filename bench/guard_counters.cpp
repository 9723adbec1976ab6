#include "guard_counters.h"

#include "westworld/abi.h"
#include "westworld/dataplane/status.h"

namespace westworld::bench {
namespace {

// A plain integer: the ABI's index macros multiply it with other enums.
constexpr uint32_t kIngress = WW_DIR_INGRESS;

uint64_t stat(const dataplane::GuardMaps& maps, uint32_t which) {
  return dataplane::read_counter(maps.stats.get(), WW_STATS_INDEX(kIngress, which)).packets;
}

uint64_t drops(const dataplane::GuardMaps& maps, uint32_t reason) {
  return dataplane::read_counter(maps.drop_stats.get(), WW_DROP_INDEX(kIngress, reason)).packets;
}

}  // namespace

GuardVerdicts GuardVerdicts::operator-(const GuardVerdicts& earlier) const {
  return {seen - earlier.seen,
          passed - earlier.passed,
          dropped - earlier.dropped,
          dropped_by_rule - earlier.dropped_by_rule,
          dropped_by_quota - earlier.dropped_by_quota,
          dropped_other - earlier.dropped_other};
}

GuardVerdicts read_guard_verdicts(const dataplane::GuardMaps& maps) {
  GuardVerdicts v;
  v.seen = stat(maps, WW_STAT_SEEN);
  v.passed = stat(maps, WW_STAT_PASS);
  v.dropped = stat(maps, WW_STAT_DROP);
  v.dropped_by_rule = drops(maps, WW_DROP_RULE);
  v.dropped_by_quota = drops(maps, WW_DROP_QUOTA);
  for (uint32_t reason = 0; reason < WW_DROP_MAX; ++reason) {
    if (reason != WW_DROP_RULE && reason != WW_DROP_QUOTA) v.dropped_other += drops(maps, reason);
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
