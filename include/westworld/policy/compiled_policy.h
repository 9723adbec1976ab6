// The compiled map image: everything the data plane needs, computed without
// touching the kernel. userspace/dataplane writes it into the maps of
// include/westworld/abi.h; `wwctl policy compile` prints it as JSON.
#pragma once

#include <array>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "westworld/abi.h"
#include "westworld/policy/model.h"
#include "westworld/policy/rule_set.h"

namespace westworld::policy {

struct PrefixEntry {
  Cidr prefix;
  RuleSet rules;  // rules that match every address the prefix is the longest match for
};

// Port p falls in interval i where starts[i] <= p < starts[i+1] (starts[0] == 0).
struct PortTable {
  std::vector<uint16_t> starts;
  std::vector<RuleSet> rules;  // per interval
  RuleSet no_ports;            // packets without L4 ports (ICMP, l3-only fragments)
  uint32_t interval_of(uint16_t port) const;
};

struct CompiledRule {
  std::string name;
  Action action = Action::allow;
  SourceLocation where;
  RuleOrigin origin = RuleOrigin::flow;
  bool violation = false;  // WW_RULE_F_VIOLATION
};

struct CompiledClass {
  std::string name;
  std::vector<Cidr> src;  // empty for class 0, the default quota
  ww_quota quota{};
};

struct CompiledPolicy {
  // Generation-independent part of the config; generation and applied_at are
  // filled by the data plane when it applies the policy.
  ww_policy_config config{};
  uint64_t max_sources = 0;
  std::vector<CompiledRule> rules;
  std::vector<PrefixEntry> src;  // always holds 0.0.0.0/0 and ::/0
  std::vector<PrefixEntry> dst;
  PortTable src_ports;
  PortTable dst_ports;
  // protocols[direction][ip protocol number]
  std::array<std::array<RuleSet, 256>, WW_DIR_MAX> protocols;
  std::vector<CompiledClass> classes;  // [0] is the default quota
  // charter.telemetry is enforced by the agent's gate, not by maps, but it is part of what
  // a digest approves: a change to what may leave the node is a change of policy.
  TelemetrySettings telemetry;
  std::string digest_hex;  // SHA-256 over the canonical JSON, without the digest
};

CompiledPolicy compile(const Policy& policy);

// GCRA parameters of one quota: intervals from the rates, tolerances from the bursts.
ww_quota compile_quota(const Quota& quota);

// Canonical JSON: sorted keys, rule sets as index lists. compile() of the same
// policy always gives byte-identical dump() output.
nlohmann::json to_json(const CompiledPolicy& compiled);

}  // namespace westworld::policy
