#include "westworld/anomaly/control_plane.h"

#include <map>
#include <sstream>

namespace westworld::anomaly {
namespace {

constexpr uint64_t kMinuteNs = 60'000'000'000ULL;

}  // namespace

ApplyBurstDetector::ApplyBurstDetector(const policy::ControlPlaneSettings& settings)
    : max_per_minute_(settings.max_applies_per_minute) {}

void ApplyBurstDetector::reconfigure(const policy::ControlPlaneSettings& settings) {
  max_per_minute_ = settings.max_applies_per_minute;
}

std::optional<Finding> ApplyBurstDetector::observe(uint64_t now_ns) {
  recent_ns_.push_back(now_ns);
  while (!recent_ns_.empty() && now_ns - recent_ns_.front() >= kMinuteNs) recent_ns_.pop_front();
  const bool over = recent_ns_.size() > max_per_minute_;
  if (!over) {
    in_burst_ = false;
    return std::nullopt;
  }
  if (in_burst_) return std::nullopt;
  in_burst_ = true;
  return Finding{.detector = "control_plane",
                 .statistic = "policy_applies_per_minute",
                 .value = static_cast<double>(recent_ns_.size()),
                 .threshold = static_cast<double>(max_per_minute_ + 1),
                 .windows = 1,
                 .detail = "applies within the last 60 s"};
}

double VerdictChange::rule_fraction() const {
  return rules_compared ? static_cast<double>(rules_changed) / rules_compared : 0;
}

double VerdictChange::traffic_fraction() const {
  return packets_compared ? static_cast<double>(packets_changed) / packets_compared : 0;
}

VerdictChange compare_verdicts(const PolicyVerdicts& before, const PolicyVerdicts& after) {
  std::map<std::string, bool> after_drops;
  for (const RuleVerdict& rule : after.rules) after_drops.emplace(rule.name, rule.drops);
  auto verdict_after = [&](const std::string& name) {
    auto found = after_drops.find(name);
    return found == after_drops.end() ? after.default_drops : found->second;
  };

  VerdictChange change;
  std::map<std::string, bool> before_names;
  for (const RuleVerdict& rule : before.rules) {
    before_names.emplace(rule.name, rule.drops);
    const bool changed = verdict_after(rule.name) != rule.drops;
    change.rules_changed += changed;
    change.packets_changed += changed ? rule.packets : 0;
    change.packets_compared += rule.packets;
  }
  change.rules_compared = before.rules.size();
  for (const RuleVerdict& rule : after.rules) {
    if (before_names.count(rule.name)) continue;
    ++change.rules_compared;
    change.rules_changed += rule.drops != before.default_drops;
  }
  // The default is a rule too: with no rules, it is the whole policy.
  const bool default_changed = before.default_drops != after.default_drops;
  ++change.rules_compared;
  change.rules_changed += default_changed;
  change.packets_compared += before.default_packets;
  change.packets_changed += default_changed ? before.default_packets : 0;
  return change;
}

MassChangeDetector::MassChangeDetector(const policy::ControlPlaneSettings& settings)
    : max_fraction_(settings.max_changed_fraction) {}

std::optional<Finding> MassChangeDetector::observe(const VerdictChange& change) const {
  const bool by_rules = change.rule_fraction() > max_fraction_;
  const bool by_traffic = change.traffic_fraction() > max_fraction_;
  if (!by_rules && !by_traffic) return std::nullopt;
  std::ostringstream detail;
  detail << change.rules_changed << " of " << change.rules_compared
         << " rules (default included) and " << change.packets_changed << " of "
         << change.packets_compared << " packets seen under the previous policy change verdict";
  return Finding{.detector = "control_plane",
                 .statistic = by_rules ? "changed_rule_fraction" : "changed_traffic_fraction",
                 .value = by_rules ? change.rule_fraction() : change.traffic_fraction(),
                 .threshold = max_fraction_,
                 .windows = 1,
                 .detail = detail.str()};
}

}  // namespace westworld::anomaly
