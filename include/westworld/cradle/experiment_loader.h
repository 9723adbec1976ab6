// EXPERIMENT.yaml -> Experiment, strictly: an unknown key, a missing field, a quantity without
// its unit, an unknown signal, gate operator, fault or attack kind, or a flow, router or link
// that does not exist is an error at FILE:LINE:COL, and an experiment with any error is not
// returned at all (the policy loader's rules and diagnostics).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "westworld/cradle/experiment.h"
#include "westworld/policy/diagnostics.h"

namespace westworld::cradle {

struct ExperimentLoad {
  std::optional<Experiment> experiment;  // set only when there are no errors
  std::vector<policy::Diagnostic> diagnostics;
};

// `display_name` names the file in diagnostics; `base_dir` resolves relative policy paths.
ExperimentLoad load_experiment_text(const std::string& yaml_text, const std::string& display_name,
                                    const std::string& base_dir);
ExperimentLoad load_experiment_file(const std::string& path);

}  // namespace westworld::cradle
