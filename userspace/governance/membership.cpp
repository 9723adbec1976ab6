#include "westworld/governance/membership.h"

#include <spdlog/spdlog.h>

#include "westworld/capability/clock.h"
#include "westworld/governance/decision.h"

namespace westworld::governance {
namespace {

common::UnixSeconds window_close(const Proposal& p) { return p.created + p.window; }

}  // namespace

MemberHistory::MemberHistory(const Genesis& genesis) {
  epochs_.push_back({genesis.members, members_digest(genesis.members), std::nullopt, {}});
}

const MemberEpoch& MemberHistory::current(common::UnixSeconds at) const {
  const MemberEpoch* found = &epochs_.front();
  for (const MemberEpoch& epoch : epochs_)
    if (epoch.since && *epoch.since <= at) found = &epoch;
  return *found;
}

std::variant<const MemberEpoch*, std::string> MemberHistory::snapshot_of(const Proposal& p) const {
  bool named = false;
  for (std::size_t i = 0; i < epochs_.size(); ++i) {
    if (epochs_[i].digest != p.members_digest) continue;
    named = true;
    const bool begun = !epochs_[i].since || *epochs_[i].since <= p.created;
    const bool ended = i + 1 < epochs_.size() && *epochs_[i + 1].since <= p.created;
    if (begun && !ended) return &epochs_[i];
  }
  if (!named) return std::string("the proposal names a member set this mesh never had");
  return std::string(
      "the proposal names a member set that was not the mesh's when it was created (created " +
      capability::format_rfc3339_utc(p.created) + ")");
}

std::variant<MemberSet, std::string> proposed_members(const ProposalRecord& record) {
  const Proposal& p = record.proposal.proposal;
  MemberSet members;
  try {
    members = parse_members(record.members_text, "the proposed member set");
  } catch (const std::exception& e) {
    return std::string(e.what());
  }
  if (members.members.empty()) return std::string("the proposed member set is empty");
  if (members_digest(members) != p.subject)
    return std::string("the proposed member set hashes to " +
                       hex_id(members_digest(members)).substr(0, 16) + ", not to the subject " +
                       hex_id(p.subject).substr(0, 16) + " the proposer signed");
  return members;
}

MemberHistory member_history(GovernanceStore& store, const Genesis& genesis,
                             common::UnixSeconds now) {
  MemberHistory history(genesis);
  std::vector<std::pair<std::string, ProposalRecord>> changes;
  for (auto& [id, entry] : store.proposals())
    if (auto* record = std::get_if<ProposalRecord>(&entry))
      if (record->proposal.proposal.action == ProposalAction::change_members &&
          window_close(record->proposal.proposal) <= now)
        changes.emplace_back(id, std::move(*record));

  // Each round finds the change that replaced the newest set, until none did. A change is
  // used at most once, so a set proposed twice cannot loop.
  for (;;) {
    const capability::Digest newest = history.epochs().back().digest;
    std::optional<std::size_t> next;
    for (std::size_t i = 0; i < changes.size(); ++i) {
      const Proposal& p = changes[i].second.proposal.proposal;
      if (p.members_digest != newest) continue;
      if (next) {
        const auto& best = changes[*next];
        if (std::pair(window_close(best.second.proposal.proposal), best.first) <
            std::pair(window_close(p), changes[i].first))
          continue;
      }
      try {
        if (!decide(store, genesis, history, changes[i].first, now).tally.passed) continue;
      } catch (const DecisionError& e) {
        spdlog::debug("governance: member change {} skipped: {}", changes[i].first.substr(0, 16),
                      e.what());
        continue;
      }
      next = i;
    }
    if (!next) return history;
    const auto& [id, record] = changes[*next];
    const Proposal& p = record.proposal.proposal;
    history.append({std::get<MemberSet>(proposed_members(record)), p.subject, window_close(p), id});
    changes.erase(changes.begin() + static_cast<std::ptrdiff_t>(*next));
  }
}

}  // namespace westworld::governance
