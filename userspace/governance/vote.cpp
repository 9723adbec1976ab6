#include "westworld/governance/vote.h"

#include "westworld/capability/bytes.h"
#include "westworld/capability/clock.h"

namespace westworld::governance {
namespace {

using capability::as_bytes;

constexpr std::string_view kVoteDomain = "westworld.governance.vote.v1";

VoteVerdict refuse(VoteRefusal refusal, std::string detail) {
  return VoteVerdict{refusal, std::move(detail)};
}

}  // namespace

const char* to_string(Choice choice) {
  switch (choice) {
    case Choice::yes:
      return "yes";
    case Choice::no:
      return "no";
    case Choice::abstain:
      return "abstain";
  }
  return "unknown";
}

std::optional<Choice> parse_choice(std::string_view text) {
  if (text == "yes") return Choice::yes;
  if (text == "no") return Choice::no;
  if (text == "abstain") return Choice::abstain;
  return std::nullopt;
}

capability::Digest vote_digest(const Vote& v) {
  capability::Sha256 hash;
  hash.update_framed(as_bytes(kVoteDomain));
  hash.update_framed(as_bytes(v.mesh));
  hash.update(v.proposal);
  hash.update_u32_be(static_cast<std::uint32_t>(v.kind));
  hash.update_u32_be(static_cast<std::uint32_t>(v.choice));
  hash.update_framed(as_bytes(v.voter));
  hash.update_u64_be(static_cast<std::uint64_t>(v.at.time_since_epoch().count()));
  return hash.finish();
}

SignedVote sign_vote(Vote vote, const capability::Ed25519KeyPair& voter) {
  const capability::Digest digest = vote_digest(vote);
  return {std::move(vote), voter.sign(digest)};
}

const char* to_string(VoteRefusal refusal) {
  switch (refusal) {
    case VoteRefusal::none:
      return "none";
    case VoteRefusal::not_a_member:
      return "not_a_member";
    case VoteRefusal::bad_signature:
      return "bad_signature";
    case VoteRefusal::foreign_proposal:
      return "foreign_proposal";
    case VoteRefusal::before_window:
      return "before_window";
    case VoteRefusal::after_window:
      return "after_window";
    case VoteRefusal::duplicate:
      return "duplicate";
    case VoteRefusal::from_the_future:
      return "from_the_future";
  }
  return "unknown";
}

VoteVerdict check_vote(const SignedVote& signed_vote, const SignedProposal& signed_proposal,
                       const MemberSet& snapshot, const std::set<std::string>& already_voted) {
  const Vote& v = signed_vote.vote;
  const Proposal& p = signed_proposal.proposal;
  const Member* voter = snapshot.find(v.voter);
  if (!voter)
    return refuse(VoteRefusal::not_a_member,
                  "'" + v.voter + "' is not a member of the proposal's snapshot");
  if (v.mesh != p.mesh)
    return refuse(VoteRefusal::foreign_proposal, "'" + v.voter + "' voted in mesh '" + v.mesh +
                                                     "', the proposal is in '" + p.mesh + "'");
  if (v.kind != p.kind)
    return refuse(VoteRefusal::foreign_proposal, "'" + v.voter + "' voted on a " +
                                                     to_string(v.kind) + " proposal, this one is " +
                                                     to_string(p.kind));
  if (v.proposal != proposal_id(p))
    return refuse(VoteRefusal::foreign_proposal,
                  "'" + v.voter + "' voted on proposal " + capability::to_hex(v.proposal));
  // The signature before the time and the duplicate check: an unsigned claim says nothing.
  if (!capability::ed25519_verify(vote_digest(v), signed_vote.signature, voter->key))
    return refuse(VoteRefusal::bad_signature,
                  "'" + v.voter + "': the signature does not verify with the member's key");
  if (v.at < p.created)
    return refuse(VoteRefusal::before_window,
                  "'" + v.voter + "' voted at " + capability::format_rfc3339_utc(v.at) +
                      ", before the window opened at " + capability::format_rfc3339_utc(p.created));
  if (v.at >= p.created + p.window)
    return refuse(VoteRefusal::after_window,
                  "'" + v.voter + "' voted at " + capability::format_rfc3339_utc(v.at) +
                      ", the window closed at " +
                      capability::format_rfc3339_utc(p.created + p.window));
  if (already_voted.contains(v.voter))
    return refuse(VoteRefusal::duplicate, "'" + v.voter + "' has already voted");
  return {};
}

}  // namespace westworld::governance
