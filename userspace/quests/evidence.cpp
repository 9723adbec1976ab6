#include "westworld/quests/evidence.h"

#include <cstdint>
#include <stdexcept>
#include <type_traits>

namespace westworld::quests {
namespace {

// Calls `f` with the field `kind` reads: the one place that pairs criteria with fields.
template <typename E, typename F>
decltype(auto) with_field(E& evidence, CriterionKind kind, F&& f) {
  switch (kind) {
    case CriterionKind::uptime:
      return f(evidence.uptime);
    case CriterionKind::continuous_enforcement:
      return f(evidence.continuous_enforcement);
    case CriterionKind::peers:
      return f(evidence.peers);
    case CriterionKind::links:
      return f(evidence.links);
    case CriterionKind::runs_latest_approved_policy:
      return f(evidence.runs_latest_approved_policy);
    case CriterionKind::votes_cast:
      return f(evidence.votes_cast);
    case CriterionKind::twin_experiments_run:
      return f(evidence.twin_experiments_run);
    case CriterionKind::twin_experiments_passed:
      return f(evidence.twin_experiments_passed);
    case CriterionKind::guardian_share_verified:
      return f(evidence.guardian_share_verified);
    case CriterionKind::flood_contained:
      return f(evidence.flood_contained);
    case CriterionKind::mttr:
      return f(evidence.mttr);
    case CriterionKind::twin_experiments_in_crisis:
      return f(evidence.twin_experiments_in_crisis);
  }
  throw std::logic_error("a criterion kind outside the catalogue");
}

template <typename T>
std::optional<int64_t> as_value(const std::optional<T>& field) {
  if (!field) return std::nullopt;
  if constexpr (std::is_same_v<T, std::chrono::milliseconds>) {
    return field->count();
  } else if constexpr (std::is_same_v<T, bool>) {
    return *field ? 1 : 0;
  } else {
    // Counts past int64 are not a real node's; clamp rather than wrap negative.
    return *field > static_cast<uint64_t>(INT64_MAX) ? INT64_MAX : static_cast<int64_t>(*field);
  }
}

template <typename T>
void from_value(std::optional<T>& field, int64_t value) {
  if constexpr (std::is_same_v<T, bool>) {
    if (value != 0 && value != 1) throw std::invalid_argument("must be 0 or 1");
    field = value == 1;
  } else {
    if (value < 0) throw std::invalid_argument("must not be negative");
    if constexpr (std::is_same_v<T, std::chrono::milliseconds>)
      field = std::chrono::milliseconds(value);
    else
      field = static_cast<T>(value);
  }
}

}  // namespace

std::optional<int64_t> evidence_value(const Evidence& evidence, CriterionKind kind) {
  return with_field(evidence, kind, [](const auto& field) { return as_value(field); });
}

void set_evidence_value(Evidence& evidence, CriterionKind kind, int64_t value) {
  with_field(evidence, kind, [value](auto& field) { from_value(field, value); });
}

}  // namespace westworld::quests
