#include "westworld/quests/criteria.h"

namespace westworld::quests {
namespace {

using enum CriterionKind;
using enum CriterionUnit;

// The one table of criteria (the header documents each). Adding a criterion means adding it
// here, to Evidence and to evidence_value(): nothing else names them.
constexpr CatalogueEntry kCatalogue[] = {
    {uptime, "uptime", duration, "agent status: agent uptime"},
    {continuous_enforcement, "continuous_enforcement", duration,
     "agent status: time the guard has enforced without a gap"},
    {peers, "peers", count, "mesh registry: routers seen alive"},
    {links, "links", count, "mesh registry: links held up"},
    {runs_latest_approved_policy, "runs_latest_approved_policy", boolean,
     "agent status and governance: running policy digest equals the latest approved"},
    {votes_cast, "votes_cast", count, "governance: ballots cast"},
    {twin_experiments_run, "twin_experiments_run", count, "Cradle: signed twin reports"},
    {twin_experiments_passed, "twin_experiments_passed", count,
     "Cradle: signed twin reports that passed"},
    {guardian_share_verified, "guardian_share_verified", boolean, "vault: guardian share verified"},
    {flood_contained, "flood_contained", count,
     "detector: alerts followed by quarantine with no protected source harmed"},
    {mttr, "mttr", duration, "Cradle: time to quarantine measured in a twin experiment"},
    {twin_experiments_in_crisis, "twin_experiments_in_crisis", count,
     "Cradle: signed twin reports started since the crisis opened (crisis quests)"},
};

}  // namespace

std::span<const CatalogueEntry> catalogue() { return kCatalogue; }

const CatalogueEntry& catalogue_entry(CriterionKind kind) {
  for (const CatalogueEntry& entry : kCatalogue)
    if (entry.kind == kind) return entry;
  return kCatalogue[0];  // unreachable: every kind has an entry
}

const CatalogueEntry* find_criterion(std::string_view name) {
  for (const CatalogueEntry& entry : kCatalogue)
    if (entry.name == name) return &entry;
  return nullptr;
}

std::string criterion_names() {
  std::string names;
  for (const CatalogueEntry& entry : kCatalogue) {
    if (!names.empty()) names += ", ";
    names += entry.name;
  }
  return names;
}

std::string_view unit_name(CriterionUnit unit) {
  switch (unit) {
    case duration:
      return "duration";
    case count:
      return "count";
    case boolean:
      return "boolean";
  }
  return "?";
}

}  // namespace westworld::quests
