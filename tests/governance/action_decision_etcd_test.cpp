// What a router checks before it acts on a decision that is not a rollout (an emergency
// override, lifting a charter quarantine), over a real etcd: a passed proposal allows exactly
// its action, about exactly its subject, on the nodes it names, and an emergency where one is
// needed; every other case is refused with the reason.
#include <gtest/gtest.h>

#include "governance_etcd_fixture.h"
#include "westworld/governance/action_decision.h"

namespace westworld::governance {
namespace {

class ActionDecisionTest : public GovernanceEtcdTest {
 protected:
  // An override proposal about `subject` for node r2, by m0; its id.
  std::string propose(ProposalKind kind, const capability::Digest& subject,
                      ProposalAction action = ProposalAction::charter_override) {
    Proposal p = mesh_.proposal(kind);
    p.mesh = mesh_name_;
    p.action = action;
    p.policy_digest = {};
    p.subject = subject;
    p.targets = {"r2"};
    p.waves.clear();
    p.gates.clear();
    p.bake = 0s;
    p.window = 1h;
    proposal_ = sign_proposal(p, mesh_.keys[0]);
    EXPECT_TRUE(gov().add_proposal({proposal_, "", "", ""}));
    return hex_id(proposal_id(p));
  }
  // The refusal's text, or "(allowed)".
  std::string check(const std::string& id, const ActionRequest& request) {
    GovernanceStore g = gov();
    try {
      decision_allowing(g, genesis_, id, request, testing::kCreated + 10min);
      return "(allowed)";
    } catch (const DecisionError& e) {
      return e.what();
    }
  }

  capability::Digest subject_ = [] {
    capability::Digest d{};
    d.fill(0x0e);
    return d;
  }();
};

TEST_F(ActionDecisionTest, AllowsExactlyWhatPassed) {
  const std::string id = propose(ProposalKind::emergency, subject_);
  const ActionRequest request{ProposalAction::charter_override, subject_, "r2", true};
  EXPECT_NE(check(id, request).find("has not passed"), std::string::npos);
  for (std::size_t m : {0, 1, 2, 3}) vote(m, Choice::yes);  // the 67% quorum: 4 of 5
  EXPECT_EQ(check(id, request), "(allowed)");

  ActionRequest other = request;
  other.subject[0] ^= 1;
  EXPECT_NE(check(id, other).find("another charter_override"), std::string::npos)
      << check(id, other);
  other = request;
  other.node = "r3";
  EXPECT_NE(check(id, other).find("does not name node 'r3'"), std::string::npos);
  other = request;
  other.action = ProposalAction::charter_restore;
  EXPECT_NE(check(id, other).find("is a charter_override, not a charter_restore"),
            std::string::npos);
}

TEST_F(ActionDecisionTest, AnOverrideNeedsAnEmergencyDecision) {
  const std::string id = propose(ProposalKind::standard, subject_);
  for (std::size_t m : {0, 1, 2, 3, 4}) vote(m, Choice::yes);
  const ActionRequest request{ProposalAction::charter_override, subject_, "r2", true};
  EXPECT_NE(check(id, request).find("needs an emergency decision"), std::string::npos)
      << check(id, request);
  ActionRequest standard_will_do = request;
  standard_will_do.emergency = false;
  EXPECT_EQ(check(id, standard_will_do), "(allowed)");
}

TEST_F(ActionDecisionTest, APolicyProposalAllowsNoAction) {
  const std::string id = store_proposal();
  for (std::size_t m : {0, 1, 2}) vote(m, Choice::yes);
  EXPECT_NE(check(id, {ProposalAction::charter_restore, subject_, "r2", false})
                .find("is a deploy_policy, not a charter_restore"),
            std::string::npos);
}

}  // namespace
}  // namespace westworld::governance
