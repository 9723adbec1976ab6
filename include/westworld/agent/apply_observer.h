// The agent's hook for whoever watches policy changes: the watchman may
// refuse an apply (policy changes are frozen) and hears of each applied one,
// with the verdicts before and after, to judge how much it changed.
#pragma once

#include <optional>
#include <string>

#include "westworld/anomaly/control_plane.h"
#include "westworld/policy/model.h"

namespace westworld::agent {

struct PolicyChange {
  const policy::Policy& policy;  // the policy now running
  anomaly::PolicyVerdicts before;
  anomaly::PolicyVerdicts after;
  std::string source;
  bool mass_change_confirmed = false;  // the caller said a mass change is meant (open gate)
};

class ApplyObserver {
 public:
  virtual ~ApplyObserver() = default;
  // Why the apply from `source` must not happen, or nullopt.
  virtual std::optional<std::string> veto_apply(const std::string& source) = 0;
  virtual void policy_applied(const PolicyChange& change) = 0;
};

}  // namespace westworld::agent
