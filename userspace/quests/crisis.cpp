#include "westworld/quests/crisis.h"

#include "name_table.h"

namespace westworld::quests {
namespace {

constexpr detail::Named<CrisisKind> kKinds[] = {
    {CrisisKind::flood, "flood"},
};

}  // namespace

std::string_view crisis_kind_name(CrisisKind kind) { return detail::name_of(kKinds, kind); }

std::optional<CrisisKind> parse_crisis_kind(std::string_view text) {
  return detail::value_named(kKinds, text);
}

std::string crisis_kind_names() { return detail::joined_names(kKinds); }

}  // namespace westworld::quests
