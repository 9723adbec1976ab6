#include "westworld/quests/crisis.h"

namespace westworld::quests {
namespace {

struct CrisisKindName {
  CrisisKind kind;
  std::string_view name;
};

constexpr CrisisKindName kKinds[] = {
    {CrisisKind::flood, "flood"},
};

}  // namespace

std::string_view crisis_kind_name(CrisisKind kind) {
  for (const CrisisKindName& entry : kKinds)
    if (entry.kind == kind) return entry.name;
  return "?";
}

std::optional<CrisisKind> parse_crisis_kind(std::string_view text) {
  for (const CrisisKindName& entry : kKinds)
    if (entry.name == text) return entry.kind;
  return std::nullopt;
}

std::string crisis_kind_names() {
  std::string names;
  for (const CrisisKindName& entry : kKinds) {
    if (!names.empty()) names += ", ";
    names += entry.name;
  }
  return names;
}

}  // namespace westworld::quests
