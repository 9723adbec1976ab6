// One arm of an experiment: a fresh twin running one policy, the experiment's traffic and
// faults on their schedule, the agents watched while it runs, and the signals measured from
// what arrived, what the guards counted and what they quarantined. Both arms of a run use the
// same plan, schedule and seeds; each gets its own twin, so nothing one arm's agents learned
// (sources, quarantines) carries into the other.
#pragma once

#include <atomic>
#include <filesystem>
#include <functional>
#include <string>

#include "westworld/cradle/experiment.h"
#include "westworld/cradle/report.h"
#include "westworld/cradle/twin_plan.h"

namespace westworld::cradle {

struct ArmOptions {
  std::string label;  // "baseline" or "candidate", for progress lines
  std::filesystem::path policy;
  std::filesystem::path agent_binary;
  std::filesystem::path work_dir;
  // One line of progress at a time (phase, elapsed, signals so far).
  std::function<void(const std::string&)> progress = [](const std::string&) {};
  // Set (by a signal handler) to end the arm early; the twin is still torn down.
  const std::atomic<bool>* stop = nullptr;
};

// Never throws for what happens inside the twin: a twin that does not come up is an arm with
// twin_up false and its reason, whose signals are all missing.
ArmResult run_arm(const Experiment& experiment, const TwinPlan& plan, const ArmOptions& options);

}  // namespace westworld::cradle
