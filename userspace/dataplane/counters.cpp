#include "westworld/dataplane/counters.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

namespace westworld::dataplane {
namespace {

// One slot of a per-CPU counter array, summed over the possible CPUs. A slot the
// kernel cannot return (it never fails for an in-range index) reads as zero.
CounterSum read_slot(int percpu_map_fd, uint32_t index, std::vector<ww_counter>& scratch) {
  CounterSum sum;
  if (bpf_map_lookup_elem(percpu_map_fd, &index, scratch.data()) != 0) return sum;
  for (const ww_counter& v : scratch) {
    sum.packets += v.packets;
    sum.bytes += v.bytes;
  }
  return sum;
}

std::vector<ww_counter> per_cpu_scratch() {
  const int cpus = libbpf_num_possible_cpus();
  return std::vector<ww_counter>(cpus > 0 ? static_cast<size_t>(cpus) : 1);
}

}  // namespace

uint64_t GuardCounters::packets_both_ways(ww_stat stat) const {
  uint64_t total = 0;
  for (const DirectionCounters& d : direction) total += d.stats[stat].packets;
  return total;
}

uint64_t GuardCounters::dropped_both_ways(ww_drop_reason reason) const {
  uint64_t total = 0;
  for (const DirectionCounters& d : direction) total += d.drops[reason].packets;
  return total;
}

GuardCounters read_guard_counters(const GuardMaps& maps) {
  std::vector<ww_counter> scratch = per_cpu_scratch();
  GuardCounters counters;
  for (uint32_t dir = 0; dir < WW_DIR_MAX; ++dir) {
    DirectionCounters& d = counters.direction[dir];
    for (uint32_t s = 0; s < WW_STAT_MAX; ++s)
      d.stats[s] = read_slot(maps.stats.get(), WW_STATS_INDEX(dir, s), scratch);
    for (uint32_t r = 0; r < WW_DROP_MAX; ++r)
      d.drops[r] = read_slot(maps.drop_stats.get(), WW_DROP_INDEX(dir, r), scratch);
  }
  return counters;
}

std::vector<CounterSum> read_rule_counters(const GuardMaps& maps, const ActivePolicy& active) {
  std::vector<CounterSum> rules;
  if (!active.valid) return rules;
  std::vector<ww_counter> scratch = per_cpu_scratch();
  rules.reserve(active.config.n_rules);
  for (uint32_t i = 0; i < active.config.n_rules; ++i)
    rules.push_back(read_slot(maps.rule_stats.get(), WW_RULE_INDEX(active.gen, i), scratch));
  return rules;
}

CounterSum read_rule_counter(const GuardMaps& maps, uint32_t gen, uint32_t rule) {
  std::vector<ww_counter> scratch = per_cpu_scratch();
  return read_slot(maps.rule_stats.get(), WW_RULE_INDEX(gen, rule), scratch);
}

}  // namespace westworld::dataplane
