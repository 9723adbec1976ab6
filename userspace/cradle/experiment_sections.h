// The parts of an experiment file, each checked on its own (like the policy loader's
// sections.h). Later parts refer to earlier ones: flows name routers, faults name links,
// gates name flows and count sample windows. LoadContext carries what the earlier parts
// established; a cross-check against a part that had errors, or that is only known when the
// run starts (`topology: {from: mesh}`), is skipped, so one mistake is reported once and not
// again at every reference to it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "experiment_units.h"
#include "westworld/cradle/experiment.h"

namespace westworld::cradle {

using policy::Field;
using policy::SourceLocation;

// Flow, attack, gate and experiment names: they become signal qualifiers and report keys.
inline constexpr size_t kMaxNameLength = 63;
// Each arm runs this long: long enough for detectors to warm up and a few samples to judge,
// short enough that both arms together stay within the two minutes by default and
// ten at most.
inline constexpr uint32_t kMinArmMs = 5000;
inline constexpr uint32_t kMaxArmMs = 300000;

// Router ids become parts of namespace and interface names, which Linux caps at 15 bytes.
inline constexpr size_t kMaxRouterIdLength = 16;

struct LoadContext {
  // Null when the routers are unknown: `from: mesh`, or a topology with errors.
  const TopologySpec* topology = nullptr;
  std::optional<uint32_t> arm_ms;          // each arm's duration, when valid
  std::optional<uint32_t> sample_windows;  // samples per arm, when both durations are valid
  // Every flow name that was read, and whether there were flows and every one had a name: a
  // gate's flow qualifier is checked only against a complete list.
  std::vector<std::string> flow_names;
  bool flow_names_complete = false;
  bool has_attacks = false;
  // The same for attacks (a time_to_quarantine qualifier names one).
  std::vector<std::string> attack_names;
  bool attack_names_complete = false;
};

// --- sections: each fills its part of `experiment` and reports the rest ---

// Returns whether the routers are known and valid (so the context may point at them).
bool load_topology(const Field& field, TopologySpec& topology, DiagnosticSink& sink);
// Also records the flow names and whether there are attacks, for the gates.
void load_workload(const Field& field, LoadContext& context, Experiment& experiment,
                   DiagnosticSink& sink);
void load_faults(const Field& field, const LoadContext& context, std::vector<FaultSpec>& faults,
                 DiagnosticSink& sink);
void load_gates(const Field& field, const LoadContext& context, std::vector<GateSpec>& gates,
                DiagnosticSink& sink);

// --- references into the topology ---

// A router id; an error when the topology is known and lacks it.
std::optional<std::string> read_router(const Value& value, const LoadContext& context,
                                       DiagnosticSink& sink);
// A link as "A-B", in either order; returned in the topology's own order. An error when the
// topology is known and has no such link, or when router ids with dashes make it ambiguous.
std::optional<std::string> read_link(const Value& value, const LoadContext& context,
                                     DiagnosticSink& sink);
// Reports, at `at`, that no chain of links joins `from` and `to`, when the topology is known.
void check_path(const std::string& from, const std::string& to, SourceLocation at,
                std::string_view what, const LoadContext& context, DiagnosticSink& sink);

// --- time within an arm ---

struct Window {
  uint32_t start_ms = 0;
  uint32_t duration_ms = 0;  // 0: to the end of the arm
};

// `start` and the optional `duration` of an attack or fault; both must fall within the arm
// when its length is known. nullopt after an error.
std::optional<Window> read_window(const Field* start, const Field* duration,
                                  const LoadContext& context, DiagnosticSink& sink);

// The field named `key` of `fields`, or null.
const Field* find_field(const std::vector<Field>& fields, std::string_view key);

}  // namespace westworld::cradle
