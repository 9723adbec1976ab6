#include "westworld/governance/rollout.h"

#include <algorithm>

#include "westworld/governance/json_fields.h"
#include "westworld/governance/query_gate.h"
#include "westworld/governance/records.h"
#include "westworld/governance/waves.h"

namespace westworld::governance {
namespace {

using detail::JsonFields;
using nlohmann::json;

constexpr const char* kRolloutPhases[] = {"waiting", "running", "paused", "succeeded", "aborted"};
constexpr const char* kWavePhases[] = {"pending", "baking", "succeeded", "failed"};

template <typename Phase, std::size_t N>
Phase parse_phase(const JsonFields& fields, const char* name, const char* const (&names)[N]) {
  const std::string text = fields.string(name);
  for (std::size_t i = 0; i < N; ++i)
    if (text == names[i]) return static_cast<Phase>(i);
  fields.fail(name, "'" + text + "' is not a known state");
}

json sample_json(const HealthSample& s) {
  return {{"heartbeat", s.heartbeat},     {"started", s.started}, {"drops", s.drops},
          {"quarantines", s.quarantines}, {"alerts", s.alerts},   {"seen", s.seen}};
}

HealthSample read_sample(const json& value, const std::string& what) {
  const JsonFields fields(value, what,
                          {"heartbeat", "started", "drops", "quarantines", "alerts", "seen"});
  HealthSample s;
  s.heartbeat = fields.integer("heartbeat");
  s.started = fields.integer("started");
  s.quarantines = fields.natural("quarantines");
  s.alerts = fields.natural("alerts");
  s.seen = fields.integer("seen");
  const json& drops = fields.raw("drops");
  if (!drops.is_object()) fields.fail("drops", "must be an object of counters");
  for (const auto& [reason, packets] : drops.items()) {
    if (!packets.is_number_unsigned()) fields.fail("drops", "must hold non-negative integers");
    s.drops[reason] = packets.get<std::uint64_t>();
  }
  return s;
}

bool in_released_wave(const RolloutState& state, std::string_view node) {
  for (const WaveState& wave : state.waves)
    if (wave.state != WavePhase::pending &&
        std::find(wave.nodes.begin(), wave.nodes.end(), node) != wave.nodes.end())
      return true;
  return false;
}

std::int64_t seconds(common::UnixSeconds t) { return t.time_since_epoch().count(); }

// The verdict of one router in one sampling: nothing when it is healthy.
struct NodeVerdict {
  // healthy: a fresh report passed every gate; unchanged: no report since the last sample,
  // but not stale either (routers report on their own beat).
  enum Kind { healthy, unchanged, nodata, failed } kind = healthy;
  std::string detail;
};

NodeVerdict judge(RolloutState& state, const std::vector<Gate>& router_gates,
                  const std::string& node, const std::map<std::string, RouterHealth>& routers,
                  std::int64_t now) {
  auto it = routers.find(node);
  if (it == routers.end()) return {NodeVerdict::nodata, node + " has no status report"};
  const RouterHealth& health = it->second;
  if (health.refused) return {NodeVerdict::failed, node + " refused it: " + *health.refused};
  if (health.applied_digest != state.digest)
    return {NodeVerdict::nodata, node + " does not run the proposal's policy yet"};
  HealthSample sample = health.sample;
  sample.seen = now;
  auto last = state.last_samples.find(node);
  if (last == state.last_samples.end()) {
    state.last_samples[node] = sample;
    return {NodeVerdict::nodata, node + ": first sample (rates need two)"};
  }
  if (sample.heartbeat <= last->second.heartbeat) {
    // Routers report on their own beat: no report since the last sample is not news,
    // unless none came for three report intervals.
    const std::int64_t age = now - last->second.seen;
    if (age > 3 * std::max<std::int64_t>(1, health.report_interval_s))
      return {NodeVerdict::nodata, node + " has not reported for " + std::to_string(age) + " s"};
    return {NodeVerdict::unchanged, {}};
  }
  const HealthSample before = last->second;
  last->second = sample;
  for (const Gate& gate : router_gates) {
    const std::uint64_t value = signal_value(gate, before, health.sample);
    if (!gate.holds(value))
      return {NodeVerdict::failed, "gate '" + gate.text() + "' failed on " + node + ": " +
                                       gate.signal + " = " + std::to_string(value)};
  }
  return {};
}

// The proposal's prometheus(QUERY) gates, each asked once for the whole sample over the
// baking wave's routers: the first that fails fails the sample, those without data are
// added to `nodata`. Once Prometheus has not answered, the sample's other queries are not
// asked: each would wait out another timeout to say the same.
NodeVerdict judge_queries(const std::vector<Gate>& query_gates, MetricQuery* metrics,
                          const std::vector<std::string>& wave, std::vector<std::string>& nodata) {
  for (const Gate& gate : query_gates) {
    const QueryGateVerdict verdict = judge_query_gate(gate, metrics, wave);
    if (verdict.kind == QueryGateVerdict::Kind::fail) return {NodeVerdict::failed, verdict.detail};
    if (verdict.kind == QueryGateVerdict::Kind::no_data) {
      nodata.push_back(verdict.detail);
      if (!verdict.answered) break;
    }
  }
  return {};
}

}  // namespace

const char* to_string(RolloutPhase phase) { return kRolloutPhases[static_cast<int>(phase)]; }
const char* to_string(WavePhase phase) { return kWavePhases[static_cast<int>(phase)]; }

std::string encode_rollout(const RolloutState& s) {
  json waves = json::array();
  for (const WaveState& w : s.waves)
    waves.push_back({{"nodes", w.nodes},
                     {"state", to_string(w.state)},
                     {"started", w.started},
                     {"ended", w.ended},
                     {"samples", w.samples},
                     {"nodata", w.nodata},
                     {"verdict", w.verdict}});
  json samples = json::object();
  for (const auto& [node, sample] : s.last_samples) samples[node] = sample_json(sample);
  return json{{"format", kRolloutFormat},     {"proposal", s.proposal},
              {"digest", s.digest},           {"state", to_string(s.state)},
              {"waves", std::move(waves)},    {"reason", s.reason},
              {"coordinator", s.coordinator}, {"created", s.created},
              {"updated", s.updated},         {"last_samples", std::move(samples)}}
      .dump();
}

RolloutState decode_rollout(std::string_view text) {
  const JsonFields fields(text, "rollout", kRolloutFormat,
                          {"proposal", "digest", "state", "waves", "reason", "coordinator",
                           "created", "updated", "last_samples"});
  RolloutState s;
  s.proposal = fields.string("proposal");
  s.digest = fields.string("digest");
  s.state = parse_phase<RolloutPhase>(fields, "state", kRolloutPhases);
  s.reason = fields.string("reason");
  s.coordinator = fields.string("coordinator");
  s.created = fields.integer("created");
  s.updated = fields.integer("updated");
  const json& waves = fields.raw("waves");
  if (!waves.is_array()) fields.fail("waves", "must be a list");
  for (std::size_t i = 0; i < waves.size(); ++i) {
    const JsonFields w(waves[i], "rollout, waves[" + std::to_string(i) + "]",
                       {"nodes", "state", "started", "ended", "samples", "nodata", "verdict"});
    WaveState wave;
    wave.nodes = w.strings("nodes");
    wave.state = parse_phase<WavePhase>(w, "state", kWavePhases);
    wave.started = w.integer("started");
    wave.ended = w.integer("ended");
    wave.samples = detail::small_natural(w, "samples");
    wave.nodata = detail::small_natural(w, "nodata");
    wave.verdict = w.string("verdict");
    s.waves.push_back(std::move(wave));
  }
  const json& samples = fields.raw("last_samples");
  if (!samples.is_object()) fields.fail("last_samples", "must be an object");
  for (const auto& [node, sample] : samples.items())
    s.last_samples[node] = read_sample(sample, "rollout, last_samples." + node);
  return s;
}

bool releases(const RolloutState& state, const Proposal& proposal, std::string_view node) {
  switch (state.state) {
    case RolloutPhase::waiting:
    case RolloutPhase::aborted:
      return false;
    case RolloutPhase::running:
    case RolloutPhase::paused:
      return in_released_wave(state, node);
    case RolloutPhase::succeeded:
      return in_released_wave(state, node) ||
             std::any_of(proposal.targets.begin(), proposal.targets.end(),
                         [&](const std::string& t) { return t == kAllTargets || t == node; });
  }
  return false;
}

RolloutState start_rollout(const std::string& proposal_id, const Proposal& proposal,
                           std::vector<std::string> nodes, common::UnixSeconds now,
                           const std::string& coordinator) {
  RolloutState s;
  s.proposal = proposal_id;
  s.digest = hex_id(proposal.policy_digest);
  s.coordinator = coordinator;
  s.created = s.updated = seconds(now);
  const auto id = capability::fixed_bytes<32>(capability::from_hex(proposal_id));
  if (!id) throw std::invalid_argument("proposal id '" + proposal_id + "' is not 64 hex digits");
  for (std::vector<std::string>& wave : assign_waves(proposal.waves, std::move(nodes), *id))
    s.waves.emplace_back().nodes = std::move(wave);
  if (s.waves.empty()) {
    s.state = RolloutPhase::waiting;
    s.reason = "no target router is registered yet";
    return s;
  }
  s.state = RolloutPhase::running;
  s.waves.front().state = WavePhase::baking;
  s.waves.front().started = seconds(now);
  return s;
}

std::vector<StepEvent> step_rollout(RolloutState& s, const Proposal& proposal,
                                    const GovernanceSettings& settings,
                                    const std::map<std::string, RouterHealth>& routers,
                                    MetricQuery* metrics, common::UnixSeconds now) {
  std::vector<StepEvent> events;
  if (s.state != RolloutPhase::running) return events;
  auto baking = std::find_if(s.waves.begin(), s.waves.end(),
                             [](const WaveState& w) { return w.state == WavePhase::baking; });
  if (baking == s.waves.end()) return events;
  s.updated = seconds(now);
  const auto wave_number = std::to_string(baking - s.waves.begin() + 1);

  // The gates, read once: one the code does not know fails the sample (fail closed, since
  // an unknown gate must never pass).
  NodeVerdict sample;
  std::vector<Gate> router_gates, query_gates;
  for (const std::string& text : proposal.gates) {
    try {
      Gate gate = parse_gate(text);
      (gate.is_query() ? query_gates : router_gates).push_back(std::move(gate));
    } catch (const std::invalid_argument& e) {
      sample = {NodeVerdict::failed, e.what()};
      break;
    }
  }

  // Every router released so far, not just the baking wave: an earlier canary that turns
  // sick later still stops the rollout.
  std::vector<std::string> nodata;
  bool fresh = false;  // some router sent a report that passed the gates
  for (const WaveState& wave : s.waves) {
    if (sample.kind == NodeVerdict::failed) break;
    if (wave.state == WavePhase::pending) continue;
    for (const std::string& node : wave.nodes) {
      NodeVerdict verdict = judge(s, router_gates, node, routers, seconds(now));
      if (verdict.kind == NodeVerdict::failed) {
        sample = verdict;
        break;
      }
      if (verdict.kind == NodeVerdict::nodata) nodata.push_back(verdict.detail);
      fresh = fresh || verdict.kind == NodeVerdict::healthy;
    }
  }
  // The query gates, once every released router runs the policy past its baseline: before,
  // a query would measure the policy they ran before, and the sample is inconclusive anyway.
  // They watch the baking wave only: earlier waves were promoted on their own values, and a
  // sum over a growing set of routers would change what a threshold means from wave to wave
  // (those routers are still judged by the router gates above).
  if (sample.kind != NodeVerdict::failed && nodata.empty())
    sample = judge_queries(query_gates, metrics, baking->nodes, nodata);

  if (sample.kind == NodeVerdict::failed) {
    baking->state = WavePhase::failed;
    baking->ended = seconds(now);
    baking->verdict = sample.detail;
    s.state = RolloutPhase::aborted;
    s.reason = "wave " + wave_number + ": " + sample.detail;
    events.push_back({"gate_verdict", "wave " + wave_number + " failed: " + sample.detail});
    events.push_back({"abort", s.reason});
    return events;
  }
  if (!nodata.empty()) {
    ++baking->nodata;
    baking->verdict = "inconclusive: " + nodata.front();
    if (baking->nodata >= settings.nodata_limit) {
      baking->state = WavePhase::failed;
      baking->ended = seconds(now);
      s.state = RolloutPhase::aborted;
      s.reason = "wave " + wave_number + ": no data for " + std::to_string(baking->nodata) +
                 " samples in a row (" + nodata.front() + ")";
      events.push_back({"abort", s.reason});
    }
    return events;
  }
  baking->nodata = 0;
  // Nothing new since the last sample: not a sample at all, so a coordinator sampling faster
  // than routers report cannot reach min_samples on the same reports.
  if (!fresh) return events;
  ++baking->samples;
  baking->verdict = "healthy (good samples: " + std::to_string(baking->samples) + ")";
  const bool baked = seconds(now) - baking->started >= proposal.bake.count();
  if (!baked || baking->samples < settings.min_samples) return events;
  baking->state = WavePhase::succeeded;
  baking->ended = seconds(now);
  events.push_back({"gate_verdict", "wave " + wave_number + " passed every gate: " +
                                        std::to_string(baking->samples) + " good samples over " +
                                        std::to_string(baking->ended - baking->started) + " s"});
  auto next = baking + 1;
  if (next == s.waves.end()) {
    s.state = RolloutPhase::succeeded;
    events.push_back({"success", "every wave succeeded"});
    return events;
  }
  next->state = WavePhase::baking;
  next->started = seconds(now);
  const std::string next_number = std::to_string(next - s.waves.begin() + 1);
  events.push_back({"promotion", "wave " + wave_number + " succeeded"});
  events.push_back({"wave_start", "wave " + next_number + ": " +
                                      std::to_string(next->nodes.size()) + " router(s)"});
  return events;
}

}  // namespace westworld::governance
