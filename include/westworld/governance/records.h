// The governance records as etcd keeps them (JSON, one format tag each). Decoding is
// strict: a record with an unknown or missing field, a wrong type or a malformed key or
// signature is a RecordError naming the field. Decoding checks form only; whether a
// record is authentic (signatures, the genesis digest) is decided by its reader.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

#include "westworld/governance/genesis.h"
#include "westworld/governance/proposal.h"
#include "westworld/governance/vote.h"

namespace westworld::governance {

class RecordError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

inline constexpr std::string_view kGenesisFormat = "westworld/gov-genesis/v1";
inline constexpr std::string_view kProposalFormat = "westworld/gov-proposal/v1";
inline constexpr std::string_view kVoteFormat = "westworld/gov-vote/v1";

std::string encode_genesis(const Genesis& genesis);
Genesis decode_genesis(std::string_view text);

// A proposal with the policy it deploys: routers compile the text and check that it is
// what the signed digest names, so the text itself needs no signature. Records from before
// actions existed have no "action" field and read as deploy_policy.
struct ProposalRecord {
  SignedProposal proposal;
  std::string policy_text;
  // The twin report the proposal cites by digest (its JSON, as `wwctl cradle run` wrote it);
  // empty when it cites none. Checked by experiment_error(), signed by its own author.
  std::string experiment_report_text;
  // A change_members proposal's new member set, as a members file: readers parse it and
  // check that it hashes to the signed subject. Empty for every other action.
  std::string members_text;
};

std::string encode_proposal(const ProposalRecord& record);
ProposalRecord decode_proposal(std::string_view text);

std::string encode_vote(const SignedVote& vote);
SignedVote decode_vote(std::string_view text);

// Lowercase hex of a digest or id, as the keys and the CLI print them.
std::string hex_id(const capability::Digest& digest);

}  // namespace westworld::governance
