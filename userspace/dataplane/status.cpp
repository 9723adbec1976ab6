#include "westworld/dataplane/status.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <net/if.h>

#include <algorithm>
#include <cstdio>
#include <vector>

#include "names.h"
#include "westworld/dataplane/attach.h"
#include "westworld/dataplane/library_log.h"
#include "westworld/dataplane/map_keys.h"
#include "westworld/dataplane/policy_writer.h"
#include "westworld/dataplane/source_address.h"
#include "westworld/dataplane/source_reader.h"

namespace westworld::dataplane {
namespace {

using nlohmann::json;

constexpr size_t kTopSources = 10;

std::string hex(const uint8_t* bytes, size_t n) {
  std::string out;
  char buf[3];
  for (size_t i = 0; i < n; ++i) {
    std::snprintf(buf, sizeof buf, "%02x", bytes[i]);
    out += buf;
  }
  return out;
}

json counter_json(const CounterSum& c) { return {{"packets", c.packets}, {"bytes", c.bytes}}; }

json read_stats(const GuardMaps& maps) {
  json out;
  for (uint32_t dir = 0; dir < WW_DIR_MAX; ++dir) {
    json stats, drops;
    for (uint32_t s = 0; s < WW_STAT_MAX; ++s)
      stats[stat_name(s)] = counter_json(read_counter(maps.stats.get(), WW_STATS_INDEX(dir, s)));
    for (uint32_t r = 0; r < WW_DROP_MAX; ++r)
      drops[drop_reason_name(r)] =
          counter_json(read_counter(maps.drop_stats.get(), WW_DROP_INDEX(dir, r)));
    out["counters"][direction_name(dir)] = stats;
    out["drops"][direction_name(dir)] = drops;
  }
  return out;
}

// The busiest sources, from one batched read of ww_sources.
json sources_json(const Guard& guard, uint64_t created) {
  SourceTable table = read_sources(guard.maps());
  const uint64_t tracked = table.keys.size();
  std::vector<std::pair<ww_source_key, ww_source>> top;
  top.reserve(table.keys.size());
  for (size_t i = 0; i < table.keys.size(); ++i) top.emplace_back(table.keys[i], table.values[i]);
  const size_t kept = std::min(top.size(), kTopSources);
  std::partial_sort(top.begin(), top.begin() + kept, top.end(),
                    [](auto& a, auto& b) { return a.second.packets > b.second.packets; });
  top.resize(kept);

  json busiest = json::array();
  for (const auto& [k, v] : top) {
    busiest.push_back({{"source", source_address(k)},
                       {"packets", v.packets},
                       {"bytes", v.bytes},
                       {"dropped_quota", v.dropped_quota},
                       {"dropped_share", v.dropped_share},
                       {"class", v.class_id}});
  }
  // The LRU evicts silently: whatever was created and is no longer present
  // was evicted (the agent never deletes sources itself).
  return {{"tracked", tracked},
          {"max", guard.max_sources()},
          {"created", created},
          {"evicted", created > tracked ? created - tracked : 0},
          {"busiest", busiest}};
}

json read_interfaces(const Guard& guard) {
  const int fd = guard.maps().ifaces.get();
  json out = json::array();
  for (uint32_t key : map_keys<uint32_t>(fd)) {
    ww_iface_info info{};
    if (bpf_map_lookup_elem(fd, &key, &info) != 0) continue;
    static const char* const modes[] = {"unknown", "native", "generic", "offload"};
    // Check the kernel still runs our program there, not just our record of
    // it; ifindexes only mean something inside the agent's namespace.
    json attached = nullptr;
    if (is_same_interface(key, info.name)) attached = attached_guard_id(key) == info.xdp_prog_id;
    out.push_back({{"name", info.name},
                   {"ifindex", key},
                   {"xdp_mode", modes[info.xdp_mode < 4 ? info.xdp_mode : 0]},
                   {"xdp_prog_id", info.xdp_prog_id},
                   {"tc_prog_id", info.tc_prog_id},
                   {"xdp_attached", attached}});
  }
  return out;
}

json read_rules(const GuardMaps& maps, const ActivePolicy& active, const json* record) {
  json out = json::array();
  if (!active.valid) return out;
  const json* names = record && record->contains("rules") ? &(*record)["rules"] : nullptr;
  for (uint32_t i = 0; i < active.config.n_rules; ++i) {
    const uint32_t index = WW_RULE_INDEX(active.gen, i);
    ww_rule rule{};
    bpf_map_lookup_elem(maps.rules.get(), &index, &rule);
    json entry = counter_json(read_counter(maps.rule_stats.get(), index));
    entry["index"] = i;
    entry["action"] = action_name(rule.action);
    if (names && i < names->size()) entry["name"] = (*names)[i].value("name", "");
    out.push_back(entry);
  }
  return out;
}

}  // namespace

CounterSum read_counter(int percpu_map_fd, uint32_t index) {
  const int cpus = libbpf_num_possible_cpus();
  std::vector<ww_counter> values(cpus > 0 ? cpus : 1);
  CounterSum sum;
  if (bpf_map_lookup_elem(percpu_map_fd, &index, values.data()) != 0) return sum;
  for (const auto& v : values) {
    sum.packets += v.packets;
    sum.bytes += v.bytes;
  }
  return sum;
}

json read_status(const Guard& guard, const json* policy_record) {
  install_library_log();  // libxdp's interface queries are not the user's business
  const GuardMaps& maps = guard.maps();
  const ActivePolicy active = read_active_policy(maps);

  json status = read_stats(maps);
  status["pin_root"] = guard.pin_root();
  status["programs"] = {{"xdp_id", guard.xdp_program_id()}, {"tc_id", guard.tc_program_id()}};
  status["interfaces"] = read_interfaces(guard);

  json policy = {{"valid", active.valid}};
  if (active.valid) {
    policy["generation"] = active.config.generation;
    policy["digest"] = hex(active.config.digest, sizeof active.config.digest);
    policy["applied_at_unix_ns"] = active.config.applied_at_unix_ns;
    policy["rules"] = active.config.n_rules;
    policy["default"] = action_name(active.config.default_action);
    if (policy_record && policy_record->contains("source"))
      policy["source"] = (*policy_record)["source"];
  }
  status["policy"] = policy;
  status["rules"] = read_rules(maps, active, policy_record);

  uint64_t created = 0;
  for (uint32_t dir = 0; dir < WW_DIR_MAX; ++dir)
    created += read_counter(maps.stats.get(), WW_STATS_INDEX(dir, WW_STAT_SOURCES_NEW)).packets;
  status["sources"] = sources_json(guard, created);
  return status;
}

}  // namespace westworld::dataplane
