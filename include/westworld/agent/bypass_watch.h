// Turns the kernel's telemetry_bypass drops into charter violations: every few seconds it
// reads who (by socket uid) had telemetry to a collector dropped for going around the gate,
// and records a gate_bypass violation for each uid whose count grew.
#pragma once

// clang-format off
#include <utility>  // before Asio: Boost 1.74 needs std::exchange declared under C++20
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
// clang-format on
#include <chrono>
#include <cstdint>
#include <map>
#include <string>

#include "westworld/charter/telemetry_gate.h"
#include "westworld/charter/violation_ledger.h"
#include "westworld/dataplane/guard_maps.h"

namespace westworld::agent {

// The offender a uid is recorded as: "uid 65534 (nobody)".
std::string bypass_offender(uint32_t uid);

class BypassWatch {
 public:
  // Drops counted before this agent started are the baseline, not new violations.
  BypassWatch(boost::asio::io_context& io, const dataplane::GuardMaps& maps,
              charter::ViolationLedger& ledger, charter::GateObserver& observer,
              std::chrono::milliseconds period = std::chrono::seconds(2));

  // One look at the counters (the timer calls it; tests may too).
  void check();

 private:
  void arm();

  boost::asio::steady_timer timer_;
  const dataplane::GuardMaps& maps_;
  charter::ViolationLedger& ledger_;
  charter::GateObserver& observer_;
  std::chrono::milliseconds period_;
  std::map<uint32_t, uint64_t> seen_;
};

}  // namespace westworld::agent
