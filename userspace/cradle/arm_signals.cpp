#include <algorithm>

#include "arm_measurements.h"
#include "westworld/cradle/twin_plan.h"
#include "westworld/policy/model.h"

namespace westworld::cradle {
namespace {

constexpr int64_t kPpm = 1'000'000;

SignalValue value(int64_t v, uint32_t samples) { return {v, samples, ""}; }
SignalValue missing(std::string why) { return {std::nullopt, 0, std::move(why)}; }

// The twin's address plan (twin_plan.h), as networks a quarantined source can fall in.
const policy::Cidr kNodes = *policy::parse_cidr(kNodePrefix);
const policy::Cidr kLinks = *policy::parse_cidr(kLinkPrefix);
const policy::Cidr kSpoofed = *policy::parse_cidr(kSpoofedPrefix);

int64_t percentile(std::vector<int64_t>& sorted_latencies, int percent) {
  if (sorted_latencies.empty()) return 0;
  const size_t n = sorted_latencies.size();
  const size_t rank = (n * percent + 99) / 100;  // nearest rank, 1-based
  return sorted_latencies[std::clamp<size_t>(rank, 1, n) - 1];
}

struct FlowTotals {
  uint64_t sent = 0;
  uint64_t delivered = 0;
  uint32_t windows = 0;  // windows in which it sent
  std::vector<int64_t> latencies;
};

FlowTotals totals(const StreamCount& count) {
  FlowTotals t;
  for (size_t w = 0; w < count.sent.size(); ++w) {
    t.sent += count.sent[w];
    if (count.sent[w] > 0) ++t.windows;
  }
  for (uint64_t d : count.delivered) t.delivered += d;
  for (const auto& window : count.latency_us)
    t.latencies.insert(t.latencies.end(), window.begin(), window.end());
  std::sort(t.latencies.begin(), t.latencies.end());
  return t;
}

void flow_signals(const Experiment& experiment, const ArmMeasurements& measured,
                  ArmResult& result) {
  std::optional<SignalValue> worst_ratio, worst_p50, worst_p99;
  for (size_t f = 0; f < experiment.flows.size(); ++f) {
    const std::string& name = experiment.flows[f].name;
    auto it = measured.streams.find(static_cast<uint16_t>(f));
    FlowTotals t = it == measured.streams.end() ? FlowTotals{} : totals(it->second);
    SignalValue ratio = t.sent == 0
                            ? missing("flow " + name + " sent nothing")
                            : value(static_cast<int64_t>(t.delivered * kPpm / t.sent), t.windows);
    SignalValue p50 = t.latencies.empty() ? missing("nothing of flow " + name + " arrived")
                                          : value(percentile(t.latencies, 50), t.windows);
    SignalValue p99 = t.latencies.empty() ? missing("nothing of flow " + name + " arrived")
                                          : value(percentile(t.latencies, 99), t.windows);
    result.signals["delivery_ratio." + name] = ratio;
    result.signals["latency_p50." + name] = p50;
    result.signals["latency_p99." + name] = p99;
    // The worst flow speaks for all; a flow without a value makes the aggregate missing too.
    auto worse = [](std::optional<SignalValue>& worst, const SignalValue& v, bool lower_is_worse) {
      if (worst && !worst->value) return;
      if (!v.value || !worst ||
          (lower_is_worse ? *v.value < *worst->value : *v.value > *worst->value)) {
        const uint32_t samples = worst ? std::min(worst->samples, v.samples) : v.samples;
        worst = v;
        worst->samples = samples;
      } else {
        worst->samples = std::min(worst->samples, v.samples);
      }
    };
    worse(worst_ratio, ratio, true);
    worse(worst_p50, p50, false);
    worse(worst_p99, p99, false);
  }
  if (worst_ratio) result.signals["delivery_ratio"] = *worst_ratio;
  if (worst_p50) result.signals["latency_p50"] = *worst_p50;
  if (worst_p99) result.signals["latency_p99"] = *worst_p99;
}

void attack_signals(const Experiment& experiment, const ArmMeasurements& measured,
                    ArmResult& result) {
  if (experiment.attacks.empty()) {
    result.signals["attacker_share"] = missing("the experiment has no attack");
    result.signals["time_to_quarantine"] = missing("the experiment has no attack");
    return;
  }
  uint64_t attack_delivered = 0, all_delivered = 0;
  uint32_t attack_windows = 0;
  std::vector<bool> attacked(measured.windows.count, false);
  for (const auto& [stream, count] : measured.streams) {
    uint64_t delivered = 0;
    for (uint64_t d : count.delivered) delivered += d;
    all_delivered += delivered;
    if (stream < kFirstAttackStream) continue;
    attack_delivered += delivered;
    for (size_t w = 0; w < count.sent.size() && w < attacked.size(); ++w)
      if (count.sent[w] > 0) attacked[w] = true;
  }
  for (bool a : attacked) attack_windows += a ? 1 : 0;
  result.signals["attacker_share"] =
      all_delivered == 0
          ? missing("nothing arrived at all")
          : value(static_cast<int64_t>(attack_delivered * kPpm / all_delivered), attack_windows);
  // Per attack, and for the attack as a whole: from the first attack's start to the first
  // quarantine of any attack's source (a spoofed flood has no source to hold; a source flood
  // beside it may be held at once).
  std::optional<int64_t> first_any;
  std::optional<uint32_t> first_start;
  for (size_t j = 0; j < experiment.attacks.size(); ++j) {
    const AttackSpec& attack = experiment.attacks[j];
    const std::string name = "time_to_quarantine." + attack.name;
    if (attack.kind == AttackKind::apply_burst) {
      result.signals[name] = missing("a burst of applies has no traffic source to quarantine");
      continue;
    }
    first_start = std::min(first_start.value_or(attack.start_ms), attack.start_ms);
    std::optional<int64_t> first;
    for (const auto& [source, at_ms] : measured.quarantined_at_ms)
      if (is_attack_source(source, attack, j) && at_ms >= attack.start_ms)
        first = std::min(first.value_or(at_ms), at_ms);
    if (!first) {
      result.signals[name] = missing("no source of " + attack.name + " was quarantined");
      continue;
    }
    result.signals[name] = value(*first - int64_t{attack.start_ms}, 1);
    first_any = std::min(first_any.value_or(*first), *first);
  }
  if (first_any)
    result.signals["time_to_quarantine"] = value(*first_any - int64_t{*first_start}, 1);
  else
    result.signals["time_to_quarantine"] = missing("no attack's source was quarantined");
}

void guard_signals(const ArmMeasurements& measured, ArmResult& result) {
  const auto windows = static_cast<uint32_t>(measured.windows.count);
  if (measured.quarantines_watched) {
    int64_t legit = 0;
    for (const auto& [source, at_ms] : measured.quarantined_at_ms)
      if (is_legitimate_source(source)) ++legit;
    result.signals["legit_quarantined"] = value(legit, windows);
  } else {
    result.signals["legit_quarantined"] = missing("the agents' quarantines could not be read");
  }
  if (measured.drops) {
    for (const auto& [reason, packets] : *measured.drops)
      result.signals["drops." + reason] = value(static_cast<int64_t>(packets), windows);
  }
  result.signals["restarts_survived"] =
      measured.agent_kills == 0 ? missing("no agent_kill fault")
                                : value(measured.restarts_survived, measured.agent_kills);
}

void series(const Experiment& experiment, const ArmMeasurements& measured, ArmResult& result) {
  for (size_t w = 0; w < measured.windows.count; ++w) {
    SeriesPoint point;
    point.t_ms = static_cast<uint32_t>(w * measured.windows.window_ns / 1'000'000);
    std::vector<int64_t> latencies;
    for (size_t f = 0; f < experiment.flows.size(); ++f) {
      auto it = measured.streams.find(static_cast<uint16_t>(f));
      if (it == measured.streams.end()) continue;
      const StreamCount& count = it->second;
      if (w < count.sent.size()) point.sent += count.sent[w];
      if (w < count.delivered.size()) point.delivered += count.delivered[w];
      if (w < count.latency_us.size())
        latencies.insert(latencies.end(), count.latency_us[w].begin(), count.latency_us[w].end());
    }
    std::sort(latencies.begin(), latencies.end());
    point.p50_us = percentile(latencies, 50);
    point.p99_us = percentile(latencies, 99);
    result.series.push_back(point);
  }
}

}  // namespace

bool is_legitimate_source(const std::string& source) {
  auto held = policy::parse_cidr(source);
  return held && (kNodes.contains(*held) || kLinks.contains(*held));
}

bool is_attack_source(const std::string& source, const AttackSpec& attack, size_t index) {
  auto held = policy::parse_cidr(source);  // masked to the guard's identity prefix
  if (!held) return false;
  if (attack.kind == AttackKind::spoofed_flood) return kSpoofed.contains(*held);
  const auto own = policy::parse_cidr(attack_address(index));
  return own && held->contains(*own);
}

void derive_signals(const Experiment& experiment, const ArmMeasurements& measured,
                    ArmResult& result) {
  flow_signals(experiment, measured, result);
  attack_signals(experiment, measured, result);
  guard_signals(measured, result);
  series(experiment, measured, result);
}

}  // namespace westworld::cradle
