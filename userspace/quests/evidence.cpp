#include "westworld/quests/evidence.h"

#include <cstdint>
#include <type_traits>

namespace westworld::quests {
namespace {

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

}  // namespace

std::optional<int64_t> evidence_value(const Evidence& evidence, CriterionKind kind) {
  switch (kind) {
    case CriterionKind::uptime:
      return as_value(evidence.uptime);
    case CriterionKind::continuous_enforcement:
      return as_value(evidence.continuous_enforcement);
    case CriterionKind::peers:
      return as_value(evidence.peers);
    case CriterionKind::links:
      return as_value(evidence.links);
    case CriterionKind::runs_latest_approved_policy:
      return as_value(evidence.runs_latest_approved_policy);
    case CriterionKind::votes_cast:
      return as_value(evidence.votes_cast);
    case CriterionKind::twin_experiments_run:
      return as_value(evidence.twin_experiments_run);
    case CriterionKind::twin_experiments_passed:
      return as_value(evidence.twin_experiments_passed);
    case CriterionKind::guardian_share_verified:
      return as_value(evidence.guardian_share_verified);
    case CriterionKind::flood_contained:
      return as_value(evidence.flood_contained);
    case CriterionKind::mttr:
      return as_value(evidence.mttr);
  }
  return std::nullopt;
}

}  // namespace westworld::quests
