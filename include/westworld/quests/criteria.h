// The catalogue of quest criteria: every name a quest may test, its unit, and the evidence it
// reads. One table (criteria.cpp) holds them all, so a criterion the project cannot check is
// refused when the quest loads instead of passing by default at claim time.
//
//   uptime                       duration  agent status: how long the agent has run
//   continuous_enforcement       duration  agent status: how long the guard has enforced without
//                                          a gap (a restart that kept the maps counts)
//   peers                        count     mesh registry: routers this node sees alive
//   links                        count     mesh registry: links this node holds up
//   runs_latest_approved_policy  boolean   agent status against governance: the running policy's
//                                          digest equals the latest approved one
//   votes_cast                   count     governance: ballots this node's member cast
//   twin_experiments_run         count     Cradle: signed twin reports this node produced
//   twin_experiments_passed      count     Cradle: those of them that passed
//   guardian_share_verified      boolean   vault: this node's guardian share was verified
//   flood_contained              count     detector alerts on this node followed by a
//                                          quarantine, with no protected source harmed
//   mttr                         duration  Cradle: measured time to quarantine in a twin
//                                          experiment (lower is better)
//   twin_experiments_in_crisis   count     Cradle: signed twin reports started since the crisis
//                                          that opened the quest (crisis quests only)
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "westworld/common/comparison.h"

namespace westworld::quests {

enum class CriterionKind : uint8_t {
  uptime,
  continuous_enforcement,
  peers,
  links,
  runs_latest_approved_policy,
  votes_cast,
  twin_experiments_run,
  twin_experiments_passed,
  guardian_share_verified,
  flood_contained,
  mttr,
  twin_experiments_in_crisis,
};

// Durations are held in milliseconds, booleans as 0 or 1.
enum class CriterionUnit : uint8_t { duration, count, boolean };

struct CatalogueEntry {
  CriterionKind kind;
  std::string_view name;
  CriterionUnit unit;
  std::string_view evidence;  // which part of the project produces it, for people
};

std::span<const CatalogueEntry> catalogue();
const CatalogueEntry& catalogue_entry(CriterionKind kind);
const CatalogueEntry* find_criterion(std::string_view name);
// "uptime, continuous_enforcement, ...", for messages.
std::string criterion_names();
std::string_view unit_name(CriterionUnit unit);  // "duration", "count", "boolean"

// The operators are common::Comparison's (comparison_text, parse_comparison, compare),
// spelled and judged the same everywhere.
using CompareOp = common::Comparison;

}  // namespace westworld::quests
