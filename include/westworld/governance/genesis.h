// A mesh's governance as it was founded: the member set and the settings every tally and
// rollout obeys. Routers are started with its digest (`--gov-genesis`), so whoever controls
// etcd can neither swap the members nor lower a threshold: a genesis that does not hash to
// the digest a router was given is refused by that router.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "westworld/capability/crypto.h"
#include "westworld/governance/members.h"
#include "westworld/governance/proposal.h"
#include "westworld/governance/thresholds.h"

namespace westworld::governance {

struct KindSettings {
  Thresholds thresholds;
  std::chrono::seconds window{0};  // the voting window unless the proposer gives one
};

struct GovernanceSettings {
  KindSettings standard{default_thresholds(ProposalKind::standard),
                        default_window(ProposalKind::standard)};
  KindSettings emergency{default_thresholds(ProposalKind::emergency),
                         default_window(ProposalKind::emergency)};
  // A proposer's --window must lie in [min_window, max_window]; an emergency window may not
  // exceed the emergency default (no emergency outlasts the charter's 2 h).
  std::chrono::seconds min_window{std::chrono::minutes(10)};
  std::chrono::seconds max_window{std::chrono::days(14)};
  std::chrono::seconds default_bake{std::chrono::minutes(30)};  // the original design's
  // A proposal for more than this share of the mesh needs a passing twin report (Cradle).
  // kPpm (100%) switches the rule off, which `wwctl gov init` says loudly.
  std::uint32_t experiment_above_ppm = 100'000;
  // The rollout's gates: a health sample of every router of the wave this often; a wave
  // is promoted after its bake with at least min_samples good samples and no failed one,
  // and aborted after nodata_limit samples in a row without data from some router.
  std::chrono::seconds sample_interval{10};
  std::uint32_t min_samples = 3;
  std::uint32_t nodata_limit = 30;

  const KindSettings& of(ProposalKind kind) const {
    return kind == ProposalKind::emergency ? emergency : standard;
  }
  // The longest window a proposal of `kind` may ask for.
  std::chrono::seconds window_cap(ProposalKind kind) const {
    return kind == ProposalKind::emergency ? emergency.window : max_window;
  }
};

// Why the settings cannot govern anything (a threshold above 100%, windows out of order,
// no samples), or nothing.
std::optional<std::string> settings_error(const GovernanceSettings& settings);

struct Genesis {
  std::string mesh;
  MemberSet members;
  GovernanceSettings settings;
};

// SHA-256 over "westworld.governance.genesis.v1", the mesh name, members_digest() and every
// setting in fixed framing: the value of `--gov-genesis`.
capability::Digest genesis_digest(const Genesis& genesis);

}  // namespace westworld::governance
