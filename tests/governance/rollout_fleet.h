// Shared by the rollout state machine's tests: a passed proposal's rollout over a fleet of
// hand-made router reports, stepped at explicit times.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "westworld/governance/records.h"
#include "westworld/governance/rollout.h"

namespace westworld::governance::rollout_testing {

using std::chrono::hours;
using std::chrono::seconds;

inline constexpr std::int64_t kStart = 1'790'000'000;  // the rollout starts here

inline common::UnixSeconds at(std::int64_t offset) {
  return common::UnixSeconds(seconds(kStart + offset));
}

inline bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

inline std::vector<std::string> kinds(const std::vector<StepEvent>& events) {
  std::vector<std::string> out;
  for (const StepEvent& e : events) out.push_back(e.kind);
  return out;
}

inline Proposal rollout_proposal(std::vector<std::string> waves, std::vector<std::string> gates,
                                 seconds bake) {
  Proposal p;
  p.mesh = "riverside";
  p.policy_digest.fill(0xab);
  p.targets = {"all"};
  p.waves = std::move(waves);
  p.proposer = "m0";
  p.created = at(0) - hours(80);  // passed before the rollout
  p.window = hours(72);
  p.title = "deny telnet";
  p.bake = bake;
  p.gates = std::move(gates);
  return p;
}

// A passed proposal's rollout over routers r0, r1, ...: every router already runs the
// proposal's policy and reports healthy counters; tests make them misbehave.
struct Fleet {
  Proposal proposal;
  GovernanceSettings settings;
  RolloutState state;
  std::map<std::string, RouterHealth> routers;
  MetricQuery* metrics = nullptr;  // the coordinator's Prometheus: none unless a test gives one

  Fleet(std::size_t count, std::vector<std::string> waves, std::vector<std::string> gates,
        seconds bake)
      : proposal(rollout_proposal(std::move(waves), std::move(gates), bake)) {
    std::vector<std::string> nodes;
    for (std::size_t i = 0; i < count; ++i) nodes.push_back("r" + std::to_string(i));
    state = start_rollout(hex_id(proposal_id(proposal)), proposal, nodes, at(0), "c1");
    for (const std::string& node : nodes) {
      RouterHealth& health = routers[node];
      health.applied_digest = state.digest;
      health.sample.started = kStart - 1'000;
      health.sample.drops = {{"rule", 0}, {"default", 0}};
    }
  }

  // Every router in the map reports afresh at `t` (a new heartbeat, the same counters).
  void report(std::int64_t t) {
    for (auto& [node, health] : routers) health.sample.heartbeat = kStart + t;
  }
  std::vector<StepEvent> step(std::int64_t t) {
    return step_rollout(state, proposal, settings, routers, metrics, at(t));
  }
  std::vector<StepEvent> sample(std::int64_t t) {
    report(t);
    return step(t);
  }
  const std::string& node(std::size_t wave, std::size_t i = 0) const {
    return state.waves.at(wave).nodes.at(i);
  }
};

}  // namespace westworld::governance::rollout_testing
