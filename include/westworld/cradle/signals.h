// The golden signals a twin run measures, their units, and gates over them. One table
// (signals.cpp) names every signal: the loader refuses a name it lacks, the report writes
// these names, and a gate on a signal the run did not produce never passes.
//
//   delivery_ratio[.FLOW]     ppm of a legitimate flow's datagrams that arrived; without a
//                             flow, the worst flow
//   latency_p50[.FLOW]        microseconds, one way (send stamp to arrival, same host clock);
//   latency_p99[.FLOW]        without a flow, the worst flow
//   attacker_share            ppm of the datagrams delivered to attacked routers that came
//                             from attacks
//   time_to_quarantine[.ATTACK]  milliseconds from the attack's start to the first quarantine
//                             of its source on any router (absent when there was none);
//                             without an attack, from the first attack's start to the first
//                             quarantine of any attack's source
//   legit_quarantined         legitimate sources quarantined anywhere (a count)
//   drops.REASON              packets the guards dropped for that reason (the guard's names)
//   restarts_survived         agent kills after which the agent came back and the guard kept
//                             enforcing (a count)
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "westworld/common/comparison.h"

namespace westworld::cradle {

enum class SignalKind : uint8_t {
  delivery_ratio = 0,
  latency_p50 = 1,
  latency_p99 = 2,
  attacker_share = 3,
  time_to_quarantine = 4,
  legit_quarantined = 5,
  drops = 6,
  restarts_survived = 7,
};

enum class Unit : uint8_t { ppm = 0, microseconds = 1, milliseconds = 2, count = 3 };

struct SignalName {
  SignalKind kind = SignalKind::delivery_ratio;
  std::string qualifier;  // the flow, or the drop reason; empty when none

  std::string text() const;  // "delivery_ratio.r1-to-r3", "drops.quota"
  friend bool operator==(const SignalName&, const SignalName&) = default;
};

// nullopt, with `why` set, for a name the table lacks, a qualifier on a signal that takes
// none, or an unknown drop reason. Flow and attack names are checked by the experiment loader.
std::optional<SignalName> parse_signal_name(std::string_view text, std::string& why);
Unit unit_of(SignalKind kind);
// Whether the qualifier names a flow (delivery and latency) or an attack (time_to_quarantine).
bool qualified_by_flow(SignalKind kind);
bool qualified_by_attack(SignalKind kind);
std::string_view unit_name(Unit unit);  // "ppm", "us", "ms", "count"
// For people: ppm as a percentage ("99.87%"), microseconds and milliseconds scaled ("1.2 ms",
// "3.4 s"), counts as they are. Reports keep the integers.
std::string format_quantity(int64_t value, Unit unit);

enum class GateAction : uint8_t { fail = 0, warn = 1 };

// The operators are common::Comparison's (comparison_text, parse_comparison, compare),
// spelled and judged the same everywhere.
using GateOp = common::Comparison;

}  // namespace westworld::cradle
