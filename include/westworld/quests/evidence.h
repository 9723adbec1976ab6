// What a node reports about itself for the quest criteria: one typed field per catalogue entry
// (criteria.h), each absent until something observed it. An absent value is never read as
// zero or false: a criterion over it is "missing evidence", never met.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "westworld/capability/bytes.h"
#include "westworld/common/clock.h"
#include "westworld/quests/criteria.h"

namespace westworld::quests {

struct Evidence {
  std::string node_id;              // the node the values describe
  common::UnixSeconds observed_at;  // when they were read
  // The node's Ed25519 signature over the values; filled and checked by the step that collects
  // evidence from the agent. Evaluation does not read it.
  capability::Bytes signature;

  std::optional<std::chrono::milliseconds> uptime;
  std::optional<std::chrono::milliseconds> continuous_enforcement;
  std::optional<uint64_t> peers;
  std::optional<uint64_t> links;
  std::optional<bool> runs_latest_approved_policy;
  std::optional<uint64_t> votes_cast;
  std::optional<uint64_t> twin_experiments_run;
  std::optional<uint64_t> twin_experiments_passed;
  std::optional<bool> guardian_share_verified;
  std::optional<uint64_t> flood_contained;
  std::optional<std::chrono::milliseconds> mttr;
  // Set only when evidence is collected for a crisis quest: the reports started since its crisis.
  std::optional<uint64_t> twin_experiments_in_crisis;
};

// The value `kind` reads, in its catalogue unit (milliseconds, a count, 0 or 1), or nullopt
// when the evidence lacks it.
std::optional<int64_t> evidence_value(const Evidence& evidence, CriterionKind kind);

// The inverse, for evidence read back from a record: sets `kind` to `value` in its catalogue
// unit. Throws std::invalid_argument for a value no observation gives (a negative duration or
// count, a boolean other than 0 or 1), so a record cannot smuggle one in.
void set_evidence_value(Evidence& evidence, CriterionKind kind, int64_t value);

}  // namespace westworld::quests
