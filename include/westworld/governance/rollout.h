// A passed proposal's rollout, as kept under policy/rollout/<id> and moved only by
// compare-and-swap. The state is not trusted by routers for anything but ordering: a
// router applies a proposal's policy only after verifying the decision itself, and the
// state can at most release an approved policy to a router sooner or later, or roll it
// back to the policy it ran before (which is always allowed).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "westworld/common/clock.h"
#include "westworld/governance/gates.h"
#include "westworld/governance/genesis.h"
#include "westworld/governance/metric_query.h"
#include "westworld/governance/proposal.h"

namespace westworld::governance {

inline constexpr std::string_view kRolloutFormat = "westworld/gov-rollout/v1";

enum class RolloutPhase : std::uint8_t { waiting, running, paused, succeeded, aborted };
enum class WavePhase : std::uint8_t { pending, baking, succeeded, failed };

const char* to_string(RolloutPhase phase);
const char* to_string(WavePhase phase);

struct WaveState {
  std::vector<std::string> nodes;
  WavePhase state = WavePhase::pending;
  std::int64_t started = 0;   // Unix seconds the wave was released
  std::int64_t ended = 0;     // ... and promoted or failed
  std::uint32_t samples = 0;  // good samples so far (every router of the wave healthy)
  std::uint32_t nodata = 0;   // samples in a row without data from some router
  std::string verdict;        // the last sample's verdict, for people
};

struct RolloutState {
  std::string proposal;  // the proposal's id (hex)
  std::string digest;    // the policy's digest (hex), what routers of released waves run
  RolloutPhase state = RolloutPhase::waiting;
  std::vector<WaveState> waves;
  std::string reason;       // why it was paused or aborted
  std::string coordinator;  // the node that last moved it
  std::int64_t created = 0;
  std::int64_t updated = 0;
  // Each router's last health sample, the baseline of the next one's rates.
  std::map<std::string, HealthSample> last_samples;
};

std::string encode_rollout(const RolloutState& state);
// Strict; throws RecordError naming the field.
RolloutState decode_rollout(std::string_view text);

// Whether `node` is released: in a wave that started, in a rollout that has not been
// aborted, or the rollout succeeded and the node is one of the proposal's targets (a
// router that joined later follows a finished rollout for "all").
bool releases(const RolloutState& state, const Proposal& proposal, std::string_view node);

// A new rollout for a passed proposal: its waves over `nodes` (the targets, or for "all"
// the routers registered now), the first one released at once.
RolloutState start_rollout(const std::string& proposal_id, const Proposal& proposal,
                           std::vector<std::string> nodes, common::UnixSeconds now,
                           const std::string& coordinator);

// One router's report, as the coordinator read it from routers/<id>.
struct RouterHealth {
  HealthSample sample;
  std::int64_t report_interval_s = 2;  // how often it reports: a report older than three
                                       // of these is stale (no data)
  std::string applied_digest;
  std::optional<std::string> refused;  // its refusal of this rollout, when it refused it
};

// What one gate sampling did, for the audit log and people.
struct StepEvent {
  std::string kind;  // "gate_verdict", "promotion", "wave_start", "abort", "success"
  std::string detail;
};

// One sampling of a running rollout at `now`: every router of the released waves is read;
// a failed gate or a refusal aborts; a router without data (no report, a stale one, not
// running the policy yet, or only its first report, which rates need as a baseline) makes
// the sample inconclusive (the wave waits; nodata_limit of those in a row aborts); a router
// that has not reported since the last sample but is not stale is healthy as it was. Each
// prometheus(QUERY) gate is then asked of `metrics` once, for the baking wave's routers (null
// `metrics`: no Prometheus, so no data); a failed one aborts, one without data makes the
// sample inconclusive. A sample where every router is healthy and every query gate holds
// counts; a wave baked for the proposal's bake time with min_samples good samples is promoted
// and the next one released. Returns what happened; `state` is updated in place.
std::vector<StepEvent> step_rollout(RolloutState& state, const Proposal& proposal,
                                    const GovernanceSettings& settings,
                                    const std::map<std::string, RouterHealth>& routers,
                                    MetricQuery* metrics, common::UnixSeconds now);

}  // namespace westworld::governance
