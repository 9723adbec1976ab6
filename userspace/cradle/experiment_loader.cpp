// The experiment file as a whole: its document, the top-level fields, and the order the
// sections are read in (each one's references need the parts before it).
#include "westworld/cradle/experiment_loader.h"

#include <algorithm>
#include <filesystem>

#include "experiment_sections.h"
#include "westworld/common/printable.h"
#include "westworld/policy/policy_file.h"

namespace westworld::cradle {
namespace {

using policy::Diagnostic;
using policy::location_of;
using policy::Severity;

// An experiment is a page of YAML; a megabyte is far past any real one.
constexpr size_t kMaxExperimentBytes = size_t{1} << 20;

constexpr int kSupportedVersion = 1;

constexpr uint32_t kMinSampleMs = 100;
constexpr uint32_t kMaxSampleMs = 10000;
// Fewer samples than this per arm make a percentile or a trend meaningless.
constexpr uint32_t kMinSamplesPerArm = 5;

void load_version(const Field& field, DiagnosticSink& sink) {
  auto version = read_scalar(field, sink);
  if (version && *version != std::to_string(kSupportedVersion)) {
    sink.error(field.value_at, "unsupported experiment version '" + *version +
                                   "'; this Westworld reads version " +
                                   std::to_string(kSupportedVersion));
  }
}

// A relative policy path names a file beside the experiment, wherever wwctl runs from.
std::string resolve(const std::string& base_dir, const std::string& path) {
  std::filesystem::path resolved(path);
  if (resolved.is_relative() && !base_dir.empty()) resolved = base_dir / resolved;
  return resolved.lexically_normal().string();
}

void load_policies(const Field& field, const std::string& base_dir, Experiment& experiment,
                   DiagnosticSink& sink) {
  auto fields = read_fields(field, {"baseline", "candidate"}, sink);
  if (!fields) return;
  for (const Field& arm : *fields) {
    auto path = read_scalar(arm, sink);
    if (!path) continue;
    if (path->empty()) {
      sink.error(arm.value_at, arm.key + " must be the path of a policy file; leave it out to " +
                                   "give it with --" + arm.key);
      continue;
    }
    (arm.key == "baseline" ? experiment.baseline_policy : experiment.candidate_policy) =
        resolve(base_dir, *path);
  }
}

// The arm's length and how often it is sampled; returns how many samples an arm holds,
// when both are valid.
std::optional<uint32_t> load_timing(const Field* duration, const Field* sample_every,
                                    Experiment& experiment, DiagnosticSink& sink) {
  std::optional<uint32_t> arm_ms;
  if (duration) {
    arm_ms = read_duration_ms(*duration, kMinArmMs, kMaxArmMs, sink);
    experiment.duration_ms = arm_ms.value_or(0);
  }
  std::optional<uint32_t> sample_ms = experiment.sample_ms;
  if (sample_every) {
    sample_ms = read_duration_ms(*sample_every, kMinSampleMs, kMaxSampleMs, sink);
    experiment.sample_ms = sample_ms.value_or(0);
  }
  if (!arm_ms || !sample_ms) return std::nullopt;
  if (*sample_ms > *arm_ms / kMinSamplesPerArm) {
    // Only an explicit sample_every can get here: the default fits the shortest arm.
    sink.error(sample_every->value_at,
               "sample_every " + format_ms(*sample_ms) + " leaves fewer than " +
                   std::to_string(kMinSamplesPerArm) + " samples in a " + format_ms(*arm_ms) +
                   " arm; at most " + format_ms(*arm_ms / kMinSamplesPerArm));
    return std::nullopt;
  }
  return *arm_ms / *sample_ms;
}

void load_document(const YAML::Node& root, const std::string& base_dir, Experiment& experiment,
                   DiagnosticSink& sink) {
  if (root.IsNull()) {
    sink.error({1, 1},
               "the experiment is empty; it needs version, name, topology, duration, "
               "workload and gates");
    return;
  }
  auto fields = read_fields(Value("experiment", root),
                            {"version", "name", "topology", "duration", "sample_every", "policies",
                             "workload", "faults", "gates"},
                            sink);
  if (!fields) return;
  require_fields(*fields, "experiment", location_of(root),
                 {"version", "name", "topology", "duration", "workload", "gates"}, sink);

  // In dependency order, not file order: the sink sorts what they report.
  LoadContext context;
  if (const Field* version = find_field(*fields, "version")) load_version(*version, sink);
  if (const Field* name = find_field(*fields, "name")) {
    experiment.name = read_identifier(*name, kMaxNameLength, sink).value_or("");
  }
  if (const Field* topology = find_field(*fields, "topology")) {
    if (load_topology(*topology, experiment.topology, sink))
      context.topology = &experiment.topology;
  }
  context.sample_windows = load_timing(find_field(*fields, "duration"),
                                       find_field(*fields, "sample_every"), experiment, sink);
  if (experiment.duration_ms != 0) context.arm_ms = experiment.duration_ms;
  if (const Field* policies = find_field(*fields, "policies")) {
    load_policies(*policies, base_dir, experiment, sink);
  }
  if (const Field* workload = find_field(*fields, "workload")) {
    load_workload(*workload, context, experiment, sink);
  }
  if (const Field* faults = find_field(*fields, "faults")) {
    load_faults(*faults, context, experiment.faults, sink);
  }
  if (const Field* gates = find_field(*fields, "gates")) {
    load_gates(*gates, context, experiment.gates, sink);
  }
}

}  // namespace

const Field* find_field(const std::vector<Field>& fields, std::string_view key) {
  auto found =
      std::find_if(fields.begin(), fields.end(), [&](const Field& f) { return f.key == key; });
  return found == fields.end() ? nullptr : &*found;
}

ExperimentLoad load_experiment_text(const std::string& yaml_text, const std::string& display_name,
                                    const std::string& base_dir) {
  DiagnosticSink sink(display_name);
  ExperimentLoad result;
  if (yaml_text.size() > kMaxExperimentBytes) {
    sink.error({}, "the experiment is " + std::to_string(yaml_text.size()) + " bytes; at most " +
                       std::to_string(kMaxExperimentBytes) + " are accepted");
    result.diagnostics = sink.take_in_file_order();
    return result;
  }
  Experiment experiment;
  if (auto root = policy::load_one_document(yaml_text, "an experiment", sink)) {
    load_document(*root, base_dir, experiment, sink);
  }
  if (sink.error_count() == 0) result.experiment = std::move(experiment);
  result.diagnostics = sink.take_in_file_order();
  return result;
}

ExperimentLoad load_experiment_file(const std::string& path) {
  std::string text;
  try {
    // Bounded, and refuses devices: the policy files' reader serves any small YAML file.
    text = policy::read_policy_file(path);
  } catch (const policy::PolicyFileError& e) {
    // Line 0: the problem has no place in the file.
    return {std::nullopt, {Diagnostic{Severity::error, common::printable(path), {}, e.what()}}};
  }
  return load_experiment_text(text, path, std::filesystem::path(path).parent_path().string());
}

}  // namespace westworld::cradle
