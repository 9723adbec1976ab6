#include "westworld/dataplane/status.h"

#include <bpf/bpf.h>

#include <algorithm>

#include "map_keys.h"
#include "westworld/dataplane/attach.h"
#include "westworld/dataplane/library_log.h"
#include "westworld/dataplane/names.h"
#include "westworld/dataplane/policy_writer.h"
#include "westworld/dataplane/source_address.h"
#include "westworld/dataplane/source_reader.h"

namespace westworld::dataplane {
namespace {

constexpr size_t kTopSources = 10;

// The busiest sources, from one batched read of ww_sources.
SourcesStatus read_sources_status(const Guard& guard, uint64_t created) {
  SourceTable table = read_sources(guard.maps());
  SourcesStatus out;
  out.tracked = table.keys.size();
  out.max = guard.max_sources();
  out.created = created;
  // The agent never deletes sources itself: whatever was created and is no
  // longer present was evicted.
  out.evicted = created > out.tracked ? created - out.tracked : 0;

  std::vector<size_t> order(table.keys.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  const size_t kept = std::min(order.size(), kTopSources);
  std::partial_sort(order.begin(), order.begin() + kept, order.end(), [&](size_t a, size_t b) {
    return table.values[a].packets > table.values[b].packets;
  });
  for (size_t i = 0; i < kept; ++i) {
    const ww_source& v = table.values[order[i]];
    out.busiest.push_back({source_address(table.keys[order[i]]), v.packets, v.bytes,
                           v.dropped_quota, v.dropped_share, v.class_id});
  }
  return out;
}

std::vector<RuleStatus> read_rules(const GuardMaps& maps, const ActivePolicy& active,
                                   const PolicyLabels& labels) {
  std::vector<RuleStatus> out;
  const std::vector<CounterSum> counters = read_rule_counters(maps, active);
  for (uint32_t i = 0; i < counters.size(); ++i) {
    const uint32_t index = WW_RULE_INDEX(active.gen, i);
    ww_rule rule{};
    bpf_map_lookup_elem(maps.rules.get(), &index, &rule);
    RuleStatus r;
    r.index = i;
    r.action = action_name(rule.action);
    r.traffic = counters[i];
    if (i < labels.rule_names.size()) r.name = labels.rule_names[i];
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace

std::vector<InterfaceStatus> read_interfaces(const Guard& guard) {
  static const char* const kModes[] = {"unknown", "native", "generic", "offload"};
  const int fd = guard.maps().ifaces.get();
  std::vector<InterfaceStatus> out;
  for (uint32_t ifindex : map_keys<uint32_t>(fd)) {
    ww_iface_info info{};
    if (bpf_map_lookup_elem(fd, &ifindex, &info) != 0) continue;
    InterfaceStatus i;
    i.name = info.name;
    i.ifindex = ifindex;
    i.xdp_mode = kModes[info.xdp_mode < 4 ? info.xdp_mode : 0];
    i.xdp_prog_id = info.xdp_prog_id;
    i.tc_prog_id = info.tc_prog_id;
    // Check the kernel still runs our program there, not just our record of it;
    // ifindexes only mean something inside the namespace that recorded them.
    if (is_same_interface(ifindex, info.name))
      i.xdp_attached = attached_guard_id(ifindex) == info.xdp_prog_id;
    out.push_back(std::move(i));
  }
  return out;
}

GuardStatus read_guard_status(const Guard& guard, const PolicyLabels& labels) {
  install_library_log();  // libxdp's interface queries are not the user's business
  const GuardMaps& maps = guard.maps();
  const ActivePolicy active = read_active_policy(maps);

  GuardStatus status;
  status.pin_root = guard.pin_root();
  status.xdp_prog_id = guard.xdp_program_id();
  status.tc_prog_id = guard.tc_program_id();
  status.interfaces = read_interfaces(guard);
  status.counters = read_guard_counters(maps);
  if (active.valid) {
    PolicyStatus& p = status.policy;
    p.valid = true;
    p.generation = active.config.generation;
    p.digest = active.digest_hex();
    p.applied_at_unix_ns = active.config.applied_at_unix_ns;
    p.rules = active.config.n_rules;
    p.default_action = action_name(active.config.default_action);
    p.source = labels.source;
  }
  status.rules = read_rules(maps, active, labels);
  status.sources =
      read_sources_status(guard, status.counters.packets_both_ways(WW_STAT_SOURCES_NEW));
  return status;
}

}  // namespace westworld::dataplane
