#include "westworld/quests/crisis.h"

#include <algorithm>
#include <tuple>

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

std::string crisis_name(const Crisis& crisis) {
  if (crisis.opener.empty()) return "crisis " + std::to_string(crisis.id);
  return "the crisis " + crisis.opener + " opened at " +
         std::to_string(crisis.opened_at.time_since_epoch().count());
}

std::vector<Crisis> counted_crises(std::vector<Crisis> crises) {
  std::sort(crises.begin(), crises.end(), [](const Crisis& a, const Crisis& b) {
    return std::tie(a.opened_at, a.opener) < std::tie(b.opened_at, b.opener);
  });
  std::vector<Crisis> counted;
  for (Crisis& crisis : crises) {
    const bool overlaps = std::any_of(counted.begin(), counted.end(), [&](const Crisis& c) {
      return c.kind == crisis.kind && c.open_at(crisis.opened_at);
    });
    if (!overlaps) counted.push_back(std::move(crisis));
  }
  return counted;
}

std::optional<Crisis> newest_open_crisis(const std::vector<Crisis>& crises, CrisisKind kind,
                                         common::UnixSeconds now) {
  std::optional<Crisis> newest;
  for (const Crisis& crisis : crises)
    if (crisis.kind == kind && crisis.open_at(now) &&
        (!newest || crisis.opened_at > newest->opened_at))
      newest = crisis;
  return newest;
}

const Crisis* find_crisis(const std::vector<Crisis>& crises, CrisisKind kind,
                          std::string_view opener, common::UnixSeconds opened_at) {
  const auto it = std::find_if(crises.begin(), crises.end(), [&](const Crisis& c) {
    return c.kind == kind && c.opener == opener && c.opened_at == opened_at;
  });
  return it == crises.end() ? nullptr : &*it;
}

}  // namespace westworld::quests
