#include "westworld/vault/access_decisions.h"

#include <algorithm>

#include "westworld/vault/share_box.h"

namespace westworld::vault {

bool type_needs_vote(ItemType type) { return type != ItemType::kArchive; }

std::uint32_t standard_vote_quorum(const EpochInfo& epoch) { return epoch.threshold; }

std::uint32_t emergency_vote_quorum(const EpochInfo& epoch) {
  const auto n = static_cast<std::uint32_t>(epoch.guardians.size());
  return std::max(epoch.threshold, (2 * n + 2) / 3);
}

Decision GuardianVoteDecisions::decide(const DecisionInput& in) const {
  const RequestRecord& r = in.request;
  if (!in.request.emergency && !type_needs_vote(in.type))
    return {true, std::string(to_string(in.type)) + " items need no vote"};
  std::uint32_t yes = 0, no = 0;
  for (const VoteRecord& v : in.votes) {
    if (v.request != r.id || v.cast > r.expires) continue;
    const auto slot =
        std::find_if(in.epoch.guardians.begin(), in.epoch.guardians.end(),
                     [&](const GuardianSlot& g) { return g.guardian.id == v.guardian; });
    if (slot == in.epoch.guardians.end()) continue;  // not a current guardian
    const auto statement = vote_statement(r.id, r.item, r.emergency, v.yes, v.guardian);
    if (!capability::ed25519_verify(statement, v.signature, slot->guardian.sign_key)) continue;
    (v.yes ? yes : no) += 1;
  }
  const std::string tally = std::to_string(yes) + " yes, " + std::to_string(no) + " no";
  if (r.emergency) {
    const std::uint32_t needed = emergency_vote_quorum(in.epoch);
    if (yes >= needed) return {true, "emergency decision passed (" + tally + ")"};
    return {false, "the emergency decision has not passed: " + tally + ", needs " +
                       std::to_string(needed) + " yes votes"};
  }
  const std::uint32_t needed = standard_vote_quorum(in.epoch);
  if (yes >= needed && yes > no) return {true, "vote passed (" + tally + ")"};
  return {false, "the vote has not passed: " + tally + ", needs " + std::to_string(needed) +
                     " yes votes and more yes than no"};
}

}  // namespace westworld::vault
