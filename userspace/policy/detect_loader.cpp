// anti_meave.detect: the watchman's detectors and responses. Every field is
// optional; what is given is checked as strictly as the rest of the policy,
// because a detector that can never fire (or always fires) is a silent hole.
#include <limits>
#include <string>

#include "sections.h"
#include "westworld/abi.h"

namespace westworld::policy {
namespace {

constexpr uint32_t kMaxWindows = 100000;
constexpr uint32_t kMaxBanSeconds = 30 * 24 * 3600;
constexpr double kMaxRate = 1e12;

// Numbers in [min, max]; `positive` excludes the minimum itself.
struct Range {
  double min;
  double max;
  bool positive = false;
};

std::string number_text(double value) {
  std::string text = std::to_string(value);
  text.erase(text.find_last_not_of('0') + 1);
  if (text.back() == '.') text.pop_back();
  return text;
}

std::optional<double> read_in_range(const Value& value, Range range, DiagnosticSink& sink) {
  auto number = read_number(value, sink);
  if (!number) return std::nullopt;
  bool below = range.positive ? *number <= range.min : *number < range.min;
  if (!below && *number <= range.max) return number;
  std::string lower = range.positive ? "greater than " + number_text(range.min)
                                     : "at least " + number_text(range.min);
  sink.error(value.at, value.name + " must be " + lower + " and at most " + number_text(range.max) +
                           ", not " + value.node.Scalar());
  return std::nullopt;
}

template <typename Integer>
void read_count(const Field& field, uint64_t min, uint64_t max, Integer& out,
                DiagnosticSink& sink) {
  if (auto number = read_integer(field, min, max, sink)) out = static_cast<Integer>(*number);
}

void read_range(const Field& field, Range range, double& out, DiagnosticSink& sink) {
  if (auto number = read_in_range(field, range, sink)) out = *number;
}

// Per-source detectors may quarantine; the others have no single source to hold.
std::optional<Response> read_response(const Field& field, std::string_view detector,
                                      bool per_source, DiagnosticSink& sink) {
  auto response = read_enum<Response>(field,
                                      {{"none", Response::none},
                                       {"quarantine", Response::quarantine},
                                       {"freeze", Response::freeze}},
                                      sink);
  if (response == Response::quarantine && !per_source) {
    sink.error(field.value_at, std::string(detector) +
                                   " cannot respond with quarantine: it has no single source "
                                   "to hold; expected none or freeze");
    return std::nullopt;
  }
  return response;
}

// rate_jump and source_churn: the same detector over different series.
void load_jump(const Field& section, std::string_view rate_field, bool per_source,
               JumpSettings& settings, DiagnosticSink& sink) {
  auto fields = read_fields(section,
                            {"enabled", "z", "min_ratio", rate_field, "baseline_windows",
                             "warmup_windows", "persistence", "response"},
                            sink);
  if (!fields) return;
  for (const Field& field : *fields) {
    if (field.key == "enabled") {
      settings.enabled = read_bool(field, sink).value_or(settings.enabled);
    } else if (field.key == "z") {
      read_range(field, {0, 1000, true}, settings.z, sink);
    } else if (field.key == "min_ratio") {
      read_range(field, {1, 1e6}, settings.min_ratio, sink);
    } else if (field.key == rate_field) {
      read_range(field, {0, kMaxRate}, settings.min_rate, sink);
    } else if (field.key == "baseline_windows") {
      read_count(field, 2, kMaxWindows, settings.baseline_windows, sink);
    } else if (field.key == "warmup_windows") {
      // The first baseline is a median and a MAD: they need a few samples.
      read_count(field, 3, kMaxWindows, settings.warmup_windows, sink);
    } else if (field.key == "persistence") {
      read_count(field, 1, 1000, settings.persistence, sink);
    } else if (auto response = read_response(field, section.key, per_source, sink)) {
      settings.response = *response;
    }
  }
}

void load_share_creep(const Field& section, ShareCreepSettings& settings, DiagnosticSink& sink) {
  auto fields = read_fields(
      section,
      {"enabled", "bound", "slack", "limit", "min_interface_pps", "min_sources", "response"}, sink);
  if (!fields) return;
  const Field* bound_field = nullptr;
  for (const Field& field : *fields) {
    if (field.key == "enabled") {
      settings.enabled = read_bool(field, sink).value_or(settings.enabled);
    } else if (field.key == "bound") {
      bound_field = &field;
      read_range(field, {0, 1, true}, settings.bound, sink);
    } else if (field.key == "slack") {
      read_range(field, {0, 1}, settings.slack, sink);
    } else if (field.key == "limit") {
      read_range(field, {0, 1e6, true}, settings.limit, sink);
    } else if (field.key == "min_interface_pps") {
      read_range(field, {0, kMaxRate}, settings.min_interface_pps, sink);
    } else if (field.key == "min_sources") {
      read_count(field, 1, std::numeric_limits<uint32_t>::max(), settings.min_sources, sink);
    } else if (auto response = read_response(field, section.key, true, sink)) {
      settings.response = *response;
    }
  }
  if (settings.bound + settings.slack >= 1) {
    sink.error(bound_field ? bound_field->value_at : section.key_at,
               "share_creep bound + slack must be below 1 (now " +
                   number_text(settings.bound + settings.slack) +
                   "): no share can exceed it, so the detector could never fire");
  }
}

void load_control_plane(const Field& section, ControlPlaneSettings& settings,
                        DiagnosticSink& sink) {
  auto fields = read_fields(
      section, {"enabled", "max_applies_per_minute", "max_changed_fraction", "response"}, sink);
  if (!fields) return;
  for (const Field& field : *fields) {
    if (field.key == "enabled") {
      settings.enabled = read_bool(field, sink).value_or(settings.enabled);
    } else if (field.key == "max_applies_per_minute") {
      read_count(field, 1, 10000, settings.max_applies_per_minute, sink);
    } else if (field.key == "max_changed_fraction") {
      read_range(field, {0, 1, true}, settings.max_changed_fraction, sink);
    } else if (auto response = read_response(field, section.key, false, sink)) {
      settings.response = *response;
    }
  }
}

void load_quarantine(const Field& section, QuarantineSettings& settings, DiagnosticSink& sink) {
  auto fields = read_fields(
      section, {"action", "pps", "burst", "ban_s", "quiet_pps", "quiet_s", "max_entries"}, sink);
  if (!fields) return;
  std::vector<const Field*> limit_only;
  for (const Field& field : *fields) {
    if (field.key == "action") {
      auto action = read_enum<QuarantineAction>(
          field, {{"drop", QuarantineAction::drop}, {"limit", QuarantineAction::limit}}, sink);
      if (action) settings.action = *action;
    } else if (field.key == "pps" || field.key == "burst") {
      limit_only.push_back(&field);
      read_count(field, 1, std::numeric_limits<uint32_t>::max(),
                 field.key == "pps" ? settings.pps : settings.burst, sink);
    } else if (field.key == "ban_s") {
      read_count(field, 1, kMaxBanSeconds, settings.ban_seconds, sink);
    } else if (field.key == "quiet_pps") {
      read_range(field, {0, kMaxRate}, settings.quiet_pps, sink);
    } else if (field.key == "quiet_s") {
      read_count(field, 0, kMaxBanSeconds, settings.quiet_seconds, sink);
    } else {
      read_count(field, 1, WW_MAX_QUARANTINE, settings.max_entries, sink);
    }
  }
  if (settings.action == QuarantineAction::drop) {
    for (const Field* field : limit_only)
      sink.warning(field->key_at, field->key + " has no effect with action: drop");
  }
}

}  // namespace

void load_detect(const Value& detect, DetectSettings& settings, DiagnosticSink& sink) {
  auto fields = read_fields(detect,
                            {"interval_ms", "track_sources", "rate_jump", "share_creep",
                             "source_churn", "control_plane", "quarantine"},
                            sink);
  if (!fields) return;
  for (const Field& field : *fields) {
    if (field.key == "interval_ms") {
      read_count(field, 100, 60000, settings.interval_ms, sink);
    } else if (field.key == "track_sources") {
      read_count(field, 1, kMaxWindows, settings.track_sources, sink);
    } else if (field.key == "rate_jump") {
      load_jump(field, "min_pps", true, settings.rate_jump, sink);
    } else if (field.key == "share_creep") {
      load_share_creep(field, settings.share_creep, sink);
    } else if (field.key == "source_churn") {
      load_jump(field, "min_new_per_sec", false, settings.source_churn, sink);
    } else if (field.key == "control_plane") {
      load_control_plane(field, settings.control_plane, sink);
    } else {
      load_quarantine(field, settings.quarantine, sink);
    }
  }
}

}  // namespace westworld::policy
