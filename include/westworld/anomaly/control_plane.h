// Control-plane bursts: many policy applies in a short time (someone, or
// something, hammering the control plane), or one apply that flips the
// verdict of most rules or most traffic (a takeover in one stroke). Time is
// passed in, so tests drive it.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "westworld/anomaly/finding.h"
#include "westworld/policy/detect.h"

namespace westworld::anomaly {

class ApplyBurstDetector {
 public:
  explicit ApplyBurstDetector(const policy::ControlPlaneSettings& settings);
  // A new limit keeps the applies already seen, so changing the settings
  // cannot wipe the evidence of a burst.
  void reconfigure(const policy::ControlPlaneSettings& settings);

  // Records one apply at `now_ns`; a finding when the applies of the last
  // minute exceed the limit (once per burst, not once per apply).
  std::optional<Finding> observe(uint64_t now_ns);

 private:
  uint32_t max_per_minute_;
  std::deque<uint64_t> recent_ns_;
  bool in_burst_ = false;
};

// A policy as verdicts: what each rule does and how much traffic it saw.
struct RuleVerdict {
  std::string name;
  bool drops = false;    // deny; allow and audit both pass
  uint64_t packets = 0;  // traffic it matched while it ran (0 for a new policy)
};

struct PolicyVerdicts {
  std::vector<RuleVerdict> rules;
  bool default_drops = false;
  uint64_t default_packets = 0;  // traffic no rule matched
};

struct VerdictChange {
  size_t rules_changed = 0;
  size_t rules_compared = 0;  // the union of both policies' rules, plus the default
  uint64_t packets_changed = 0;
  uint64_t packets_compared = 0;
  double rule_fraction() const;
  double traffic_fraction() const;
};

// Rules are matched by name; a rule present in one policy only is compared
// with the other's default. Traffic is the old policy's, re-judged by rule
// name: what a rule matched keeps that rule's new verdict (or the new default
// if the rule is gone). New rules may capture traffic that used to fall to the
// default; counters cannot tell, so that part is not counted.
VerdictChange compare_verdicts(const PolicyVerdicts& before, const PolicyVerdicts& after);

class MassChangeDetector {
 public:
  explicit MassChangeDetector(const policy::ControlPlaneSettings& settings);
  std::optional<Finding> observe(const VerdictChange& change) const;

 private:
  double max_fraction_;
};

}  // namespace westworld::anomaly
