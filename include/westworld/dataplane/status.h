// What the guard is doing, read from the pinned maps: the same report for
// `wwctl status` with or without a running agent.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "westworld/dataplane/counters.h"
#include "westworld/dataplane/guard_maps.h"

namespace westworld::dataplane {

struct InterfaceStatus {
  std::string name;
  uint32_t ifindex = 0;
  std::string xdp_mode;  // native, generic, offload or unknown
  uint32_t xdp_prog_id = 0;
  uint32_t tc_prog_id = 0;
  // Whether the kernel still runs our program there; unknown (nullopt) when the
  // interface is not in the reader's network namespace.
  std::optional<bool> xdp_attached;
};

struct PolicyStatus {
  bool valid = false;  // false until a first policy is applied
  uint64_t generation = 0;
  std::string digest;  // hex
  uint64_t applied_at_unix_ns = 0;
  uint32_t rules = 0;
  std::string default_action;
  std::optional<std::string> source;  // from the agent's policy record, when known
};

struct RuleStatus {
  uint32_t index = 0;
  std::optional<std::string> name;  // from the agent's policy record, when known
  std::string action;
  CounterSum traffic;
};

struct BusySource {
  std::string source;
  uint64_t packets = 0;
  uint64_t bytes = 0;
  uint64_t dropped_quota = 0;
  uint64_t dropped_share = 0;
  uint32_t class_id = 0;
};

struct SourcesStatus {
  uint64_t tracked = 0;
  uint64_t max = 0;
  uint64_t created = 0;
  uint64_t evicted = 0;  // created minus present: the LRU evicts silently
  std::vector<BusySource> busiest;
};

struct GuardStatus {
  std::string pin_root;
  uint32_t xdp_prog_id = 0;
  uint32_t tc_prog_id = 0;
  std::vector<InterfaceStatus> interfaces;
  PolicyStatus policy;
  GuardCounters counters;
  std::vector<RuleStatus> rules;  // the running generation's
  SourcesStatus sources;
};

// What the caller knows about the running policy beyond the maps (the kernel
// only knows rule indices): its source and rule names, from the policy record.
struct PolicyLabels {
  std::optional<std::string> source;
  std::vector<std::string> rule_names;  // by index
};

GuardStatus read_guard_status(const Guard& guard, const PolicyLabels& labels);

// The interfaces the guard recorded in ww_ifaces (part of the status).
std::vector<InterfaceStatus> read_interfaces(const Guard& guard);

}  // namespace westworld::dataplane
