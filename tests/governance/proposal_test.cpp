// Proposal ids: every field is signed (the targets as a set, the waves in order), and the
// proposer's signature fails on any change.
#include "westworld/governance/proposal.h"

#include <gtest/gtest.h>

#include <functional>

#include "governance_fixture.h"

namespace westworld::governance {
namespace {

using testing::Mesh;

// Each change to a proposal that must change its id.
std::vector<std::pair<std::string, std::function<void(Proposal&)>>> every_field_change() {
  return {
      {"mesh", [](Proposal& p) { p.mesh = "hillside"; }},
      {"kind", [](Proposal& p) { p.kind = ProposalKind::emergency; }},
      {"policy", [](Proposal& p) { p.policy_digest[31] ^= 1; }},
      {"targets", [](Proposal& p) { p.targets = {"r1"}; }},
      {"another target", [](Proposal& p) { p.targets.push_back("r2"); }},
      {"waves",
       [](Proposal& p) {
         p.waves = {"1", "100%"};
       }},
      {"wave order",
       [](Proposal& p) {
         p.waves = {"10%", "1", "100%"};
       }},
      {"report added", [](Proposal& p) { p.experiment_report = capability::Digest{}; }},
      {"proposer", [](Proposal& p) { p.proposer = "m1"; }},
      {"created", [](Proposal& p) { p.created += std::chrono::seconds(1); }},
      {"window", [](Proposal& p) { p.window += std::chrono::seconds(1); }},
      {"snapshot", [](Proposal& p) { p.members_digest[0] ^= 1; }},
      {"title", [](Proposal& p) { p.title += "!"; }},
      {"bake", [](Proposal& p) { p.bake += std::chrono::seconds(1); }},
      {"gates", [](Proposal& p) { p.gates.push_back("restarts <= 1"); }},
      {"gate order", [](Proposal& p) { std::swap(p.gates[0], p.gates[1]); }},
  };
}

TEST(Proposal, TheIdChangesWithEveryField) {
  const Mesh mesh({1, 1});
  const Proposal base = mesh.proposal();
  const auto id = proposal_id(base);
  EXPECT_EQ(id, proposal_id(mesh.proposal()));  // deterministic
  for (const auto& [field, change] : every_field_change()) {
    Proposal changed = base;
    change(changed);
    EXPECT_NE(proposal_id(changed), id) << field;
  }
  // One report is not another.
  Proposal one = base, other = base;
  one.experiment_report = capability::Digest{};
  other.experiment_report = capability::Digest{};
  other.experiment_report->at(0) = 1;
  EXPECT_NE(proposal_id(one), proposal_id(other));
}

TEST(Proposal, TargetsAreASet) {
  const Mesh mesh({1});
  Proposal a = mesh.proposal(), b = mesh.proposal();
  a.targets = {"r1", "r2", "r3"};
  b.targets = {"r3", "r1", "r2"};
  EXPECT_EQ(proposal_id(a), proposal_id(b));
  // Framing: two targets are not one target spelled with both.
  b.targets = {"r1r2", "r3"};
  EXPECT_NE(proposal_id(a), proposal_id(b));
}

TEST(Proposal, TheSignatureVerifiesAndFailsOnAnyChange) {
  const Mesh mesh({1, 1});
  const SignedProposal signed_proposal = mesh.signed_proposal();
  EXPECT_TRUE(verify_proposal(signed_proposal, mesh.keys[0].public_key()));
  EXPECT_FALSE(verify_proposal(signed_proposal, mesh.keys[1].public_key()));  // not the signer
  EXPECT_EQ(proposal_error(signed_proposal, mesh.members), std::nullopt);
  for (const auto& [field, change] : every_field_change()) {
    SignedProposal changed = signed_proposal;
    change(changed.proposal);
    EXPECT_FALSE(verify_proposal(changed, mesh.keys[0].public_key())) << field;
    EXPECT_NE(proposal_error(changed, mesh.members), std::nullopt) << field;
  }
}

TEST(Proposal, AnUnfitProposalSaysWhy) {
  const Mesh mesh({1, 1});
  Proposal p = mesh.proposal();
  p.proposer = "stranger";
  EXPECT_EQ(*proposal_error(sign_proposal(p, mesh.keys[0]), mesh.members),
            "the proposer 'stranger' is not a member");
  p = mesh.proposal();
  p.window = std::chrono::seconds(0);
  EXPECT_EQ(*proposal_error(sign_proposal(p, mesh.keys[0]), mesh.members),
            "the proposal has no voting window");
  p = mesh.proposal();
  p.targets.clear();
  EXPECT_EQ(*proposal_error(sign_proposal(p, mesh.keys[0]), mesh.members),
            "the proposal names no target node");
  // Signed under another member set: a member added later cannot make it theirs.
  const Mesh other({1, 1});
  EXPECT_EQ(*proposal_error(mesh.signed_proposal(), other.members),
            "the proposal names another member set than this snapshot");
}

// A proposal that acts instead of deploying: its action and subject are signed like the rest.
Proposal member_change(const Mesh& mesh) {
  Proposal p = mesh.proposal();
  p.action = ProposalAction::change_members;
  p.policy_digest = {};
  p.subject.fill(0x5e);
  p.waves.clear();
  p.gates.clear();
  p.bake = std::chrono::seconds(0);
  return p;
}

TEST(Proposal, TheActionAndItsSubjectAreSigned) {
  const Mesh mesh({1, 1});
  const Proposal change = member_change(mesh);
  EXPECT_EQ(proposal_error(sign_proposal(change, mesh.keys[0]), mesh.members), std::nullopt);
  Proposal other_subject = change, other_action = change;
  other_subject.subject[31] ^= 1;
  other_action.action = ProposalAction::charter_override;
  EXPECT_NE(proposal_id(other_subject), proposal_id(change));
  EXPECT_NE(proposal_id(other_action), proposal_id(change));
  SignedProposal moved = sign_proposal(change, mesh.keys[0]);
  moved.proposal.subject[0] ^= 1;
  EXPECT_FALSE(verify_proposal(moved, mesh.keys[0].public_key()));
}

TEST(Proposal, OnlyAPolicyIsRolledOut) {
  const Mesh mesh({1, 1});
  Proposal p = member_change(mesh);
  p.gates = {"restarts == 0"};
  EXPECT_EQ(*proposal_error(sign_proposal(p, mesh.keys[0]), mesh.members),
            "a change_members proposal is not rolled out: it has no waves, gates or bake");
  p = member_change(mesh);
  p.policy_digest.fill(1);
  EXPECT_EQ(*proposal_error(sign_proposal(p, mesh.keys[0]), mesh.members),
            "a change_members proposal deploys no policy");
  p = mesh.proposal();
  p.subject.fill(1);
  EXPECT_EQ(*proposal_error(sign_proposal(p, mesh.keys[0]), mesh.members),
            "a policy deployment carries no subject");
}

TEST(Proposal, ActionsSpellBothWays) {
  for (ProposalAction action : {ProposalAction::deploy_policy, ProposalAction::change_members,
                                ProposalAction::charter_override, ProposalAction::charter_restore})
    EXPECT_EQ(parse_proposal_action(to_string(action)), action);
  EXPECT_EQ(parse_proposal_action("change-members"), std::nullopt);
}

TEST(Proposal, KindsSpellBothWays) {
  for (ProposalKind kind : {ProposalKind::standard, ProposalKind::emergency})
    EXPECT_EQ(parse_proposal_kind(to_string(kind)), kind);
  EXPECT_EQ(parse_proposal_kind("Emergency"), std::nullopt);
  EXPECT_EQ(parse_proposal_kind(""), std::nullopt);
}

}  // namespace
}  // namespace westworld::governance
