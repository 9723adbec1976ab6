// Flow rules marked `violation: true`: the kernel names the source of each hit (a sampled
// violation event); this records it as a charter violation of that source, and when the
// escalation ladder reaches its quarantine step, holds the source in the guard's quarantine
// until a decision restores it.
#pragma once

#include <string>
#include <string_view>

#include "westworld/abi.h"
#include "westworld/agent/agent.h"
#include "westworld/agent/watchman.h"
#include "westworld/charter/telemetry_gate.h"
#include "westworld/charter/violation_ledger.h"

namespace westworld::agent {

// "source 10.238.0.2": how a flow-rule offender is recorded (the prefix, then the address).
inline constexpr std::string_view kFlowOffenderPrefix = "source ";
std::string flow_offender(const ww_event& event);

class FlowViolations {
 public:
  FlowViolations(const Agent& agent, Watchman& watchman, charter::ViolationLedger& ledger,
                 charter::GateObserver& observer)
      : agent_(agent), watchman_(watchman), ledger_(ledger), observer_(observer) {}

  void seen(const ww_event& event);

 private:
  const Agent& agent_;
  Watchman& watchman_;
  charter::ViolationLedger& ledger_;
  charter::GateObserver& observer_;
};

}  // namespace westworld::agent
