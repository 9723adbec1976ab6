// The benchmark policy: N flow rules generated so that the bench's traffic
// (frames.h) is decided by the last rules, after every filler rule. The guard
// loads it from YAML and the nftables translator reads the same YAML, so both
// enforce the same rules.
#pragma once

#include <cstdint>
#include <string>

#include "westworld/policy/model.h"

namespace westworld::bench {

// Ports the bench traffic uses; no filler rule names them.
inline constexpr uint16_t kPassPort = 5300;   // allow-service: passes (then the quota)
inline constexpr uint16_t kDropPort = 6666;   // deny-blocked: dropped by a rule
inline constexpr uint16_t kAuditPort = 4318;  // audit-telemetry: passes, leaves audit events
inline constexpr uint16_t kSourcePort = 40000;
// The last rules, in this order; the fillers come before them.
inline constexpr uint32_t kTerminalRules = 3;

struct BenchPolicyOptions {
  uint32_t rules = 10;  // in total, terminal rules included (at least kTerminalRules)
  // Per-source quota. Program-cost runs send millions of packets per second
  // from one source, so they use a quota that never binds but still runs GCRA.
  uint64_t quota_pps = 20000;
  uint64_t quota_burst = 5000;
  uint64_t max_sources = 1048576;
};

// Default deny; fillers are deny/allow/audit rules on prefixes, protocols and
// ports the traffic never uses (a quarter overlap the traffic's sources but
// not its ports, so the guard's bit-vector walk has real work to reject).
policy::Policy make_bench_policy(const BenchPolicyOptions& options);

// The "parse only" policy: 0 rules, default allow, quota unlimited.
policy::Policy make_parse_only_policy(uint64_t max_sources);

// The policy as YAML (format v1), one flow rule per line.
std::string to_yaml(const policy::Policy& policy);

}  // namespace westworld::bench

#include "westworld/policy/compiled_policy.h"

namespace westworld::bench {

// Through the real loader (warnings ignored) and compiler; throws
// std::runtime_error carrying the diagnostics when the loader refuses.
policy::CompiledPolicy load_and_compile(const std::string& yaml, const std::string& name);

}  // namespace westworld::bench
