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
  // Why a mass change is meant, when it is: "--confirm-mass-change" (an open gate) or
  // "proposal <id>" (the members approved it). Empty: nobody said so, and a mass change
  // freezes policy changes.
  std::string meant_by;
};

class ApplyObserver {
 public:
  virtual ~ApplyObserver() = default;
  // Why the apply from `source` must not happen, or nullopt.
  virtual std::optional<std::string> veto_apply(const std::string& source) = 0;
  virtual void policy_applied(const PolicyChange& change) = 0;
};

}  // namespace westworld::agent
