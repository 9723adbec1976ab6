// A rollout's health gates, written "SIGNAL OP THRESHOLD" (e.g. "drop_rate.rule <= 50") and
// signed into the proposal, so the coordinator cannot loosen what the members approved.
// Signals come from two consecutive status reports of one router:
//   drop_rate.<reason>  packets per second dropped for that reason (the guard's names)
//   restarts            1 when the agent restarted between the reports, else 0
//   quarantines         sources newly quarantined
//   alerts              detector alerts newly raised
// Or a PromQL query, asked of the coordinator's Prometheus once per sample of the wave,
// written "prometheus(QUERY) OP THRESHOLD", e.g.
//   prometheus(sum(rate(westworld_dropped_packets_total{node=~"$nodes"}[30s]))) <= 50
// where "$nodes" becomes the wave's node ids as a regex alternation (query_gate.h).
// An unknown signal or operator is an error when the gate is parsed: it never passes.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "westworld/common/comparison.h"

namespace westworld::governance {

using GateOp = common::Comparison;

inline constexpr std::string_view kPrometheusSignal = "prometheus";

struct Gate {
  std::string signal;  // kPrometheusSignal for a query gate
  std::string query;   // a query gate's PromQL, verbatim; empty for a router signal
  GateOp op = GateOp::le;
  std::uint64_t threshold = 0;

  bool is_query() const { return signal == kPrometheusSignal; }
  bool holds(std::uint64_t value) const;
  // A query's value against the whole-number threshold, in double: `value OP threshold` as
  // is, so 50.4 <= 50 fails and 49.9 <= 50 passes (thresholds above 2^53 round to the
  // nearest double). NaN is never compared: it is no data (query_gate.h).
  bool holds_measured(double value) const;
  // As written, normalised: "drop_rate.rule <= 50", "prometheus(QUERY) <= 50".
  std::string text() const;
};

// Throws std::invalid_argument naming what is wrong.
Gate parse_gate(const std::string& text);
// Every gate, or the first one's error.
std::optional<std::string> gates_error(const std::vector<std::string>& gates);

// The gates a proposal gets unless the proposer gives its own: a legitimate flow dropped
// by the candidate (rule or default drops), a new quarantine, an agent restart.
inline const std::vector<std::string> kDefaultGates = {
    "drop_rate.rule <= 20", "drop_rate.default <= 20", "quarantines == 0", "restarts == 0"};

// What one router reported at one moment, as far as the gates care.
struct HealthSample {
  std::int64_t heartbeat = 0;  // the router's Unix seconds of the report
  std::int64_t started = 0;    // when its agent started
  std::map<std::string, std::uint64_t> drops;
  std::uint64_t quarantines = 0;
  std::uint64_t alerts = 0;
  // The coordinator's Unix seconds when it first read this report: staleness is judged on
  // the coordinator's clock, so routers' clocks need not agree (Cilium's heartbeat lesson).
  std::int64_t seen = 0;
};

// The gate's signal between `before` and `after` (after.heartbeat > before.heartbeat).
// Counters that went backwards were reset by a restart and count from zero.
std::uint64_t signal_value(const Gate& gate, const HealthSample& before, const HealthSample& after);

}  // namespace westworld::governance
