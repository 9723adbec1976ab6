// Shared by the governance tests: a mesh of members with real Ed25519 keys, a proposal
// signed by one of them under that member set, and votes signed by any of them.
#pragma once

#include <string>
#include <vector>

#include "westworld/capability/ed25519.h"
#include "westworld/governance/members.h"
#include "westworld/governance/proposal.h"
#include "westworld/governance/thresholds.h"
#include "westworld/governance/vote.h"

namespace westworld::governance::testing {

inline const common::UnixSeconds kCreated{std::chrono::seconds(1'790'000'000)};

struct Mesh {
  std::vector<capability::Ed25519KeyPair> keys;
  MemberSet members;

  // Members m0, m1, ... with the given powers.
  explicit Mesh(std::vector<std::uint64_t> powers) {
    for (std::size_t i = 0; i < powers.size(); ++i) {
      keys.push_back(capability::Ed25519KeyPair::generate());
      members.members.push_back({"m" + std::to_string(i), keys.back().public_key(), powers[i]});
    }
  }

  Proposal proposal(ProposalKind kind = ProposalKind::standard) const {
    Proposal p;
    p.mesh = "riverside";
    p.kind = kind;
    p.policy_digest.fill(0xab);
    p.targets = {"all"};
    p.waves = {"1", "10%", "100%"};
    p.proposer = "m0";
    p.created = kCreated;
    p.window = default_window(kind);
    p.members_digest = members_digest(members);
    p.title = "deny telnet";
    p.bake = std::chrono::seconds(1800);
    p.gates = {"drop_rate.rule <= 50", "restarts == 0"};
    return p;
  }

  SignedProposal signed_proposal(ProposalKind kind = ProposalKind::standard) const {
    return sign_proposal(proposal(kind), keys[0]);
  }

  SignedVote vote(const SignedProposal& on, std::size_t voter, Choice choice,
                  std::chrono::seconds after_creation = std::chrono::seconds(60)) const {
    Vote v;
    v.mesh = on.proposal.mesh;
    v.proposal = proposal_id(on.proposal);
    v.kind = on.proposal.kind;
    v.choice = choice;
    v.voter = "m" + std::to_string(voter);
    v.at = on.proposal.created + after_creation;
    return sign_vote(v, keys[voter]);
  }
};

}  // namespace westworld::governance::testing
