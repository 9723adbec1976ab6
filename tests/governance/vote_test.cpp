// Every reason a vote is refused, each on its own, and a valid vote that counts.
#include "westworld/governance/vote.h"

#include <gtest/gtest.h>

#include <functional>

#include "governance_fixture.h"

namespace westworld::governance {
namespace {

using std::chrono::seconds;
using testing::Mesh;

struct Case {
  std::string name;
  std::function<SignedVote(const Mesh&, const SignedProposal&)> make;
  VoteRefusal expected;
  std::set<std::string> already_voted = {};
};

TEST(Vote, EachRefusalClass) {
  const Mesh mesh({1, 1, 1});
  const Mesh outsiders({1});
  const SignedProposal proposal = mesh.signed_proposal();
  const std::vector<Case> cases = {
      {"valid", [](const Mesh& m, const SignedProposal& p) { return m.vote(p, 1, Choice::yes); },
       VoteRefusal::none},
      {"valid at the opening second",
       [](const Mesh& m, const SignedProposal& p) { return m.vote(p, 1, Choice::no, seconds(0)); },
       VoteRefusal::none},
      {"valid at the last second",
       [](const Mesh& m, const SignedProposal& p) {
         return m.vote(p, 1, Choice::abstain, p.proposal.window - seconds(1));
       },
       VoteRefusal::none},
      {"non-member",
       [&outsiders](const Mesh&, const SignedProposal& p) {
         SignedVote v = outsiders.vote(p, 0, Choice::yes);
         v.vote.voter = "stranger";
         return sign_vote(v.vote, outsiders.keys[0]);
       },
       VoteRefusal::not_a_member},
      {"a member's id signed with another key",
       [&outsiders](const Mesh& m, const SignedProposal& p) {
         return sign_vote(m.vote(p, 2, Choice::yes).vote, outsiders.keys[0]);
       },
       VoteRefusal::bad_signature},
      {"tampered choice",
       [](const Mesh& m, const SignedProposal& p) {
         SignedVote v = m.vote(p, 1, Choice::no);
         v.vote.choice = Choice::yes;
         return v;
       },
       VoteRefusal::bad_signature},
      {"tampered time",
       [](const Mesh& m, const SignedProposal& p) {
         SignedVote v = m.vote(p, 1, Choice::yes);
         v.vote.at += seconds(1);
         return v;
       },
       VoteRefusal::bad_signature},
      {"another proposal",
       [](const Mesh& m, const SignedProposal& p) {
         Proposal other = p.proposal;
         other.policy_digest[0] ^= 1;
         return m.vote(sign_proposal(other, m.keys[0]), 1, Choice::yes);
       },
       VoteRefusal::foreign_proposal},
      {"another mesh",
       [](const Mesh& m, const SignedProposal& p) {
         SignedVote v = m.vote(p, 1, Choice::yes);
         v.vote.mesh = "hillside";
         return sign_vote(v.vote, m.keys[1]);
       },
       VoteRefusal::foreign_proposal},
      {"another kind",
       [](const Mesh& m, const SignedProposal& p) {
         SignedVote v = m.vote(p, 1, Choice::yes);
         v.vote.kind = ProposalKind::emergency;
         return sign_vote(v.vote, m.keys[1]);
       },
       VoteRefusal::foreign_proposal},
      {"before the window",
       [](const Mesh& m, const SignedProposal& p) {
         return m.vote(p, 1, Choice::yes, seconds(-1));
       },
       VoteRefusal::before_window},
      {"exactly at the window's end",
       [](const Mesh& m, const SignedProposal& p) {
         return m.vote(p, 1, Choice::yes, p.proposal.window);
       },
       VoteRefusal::after_window},
      {"a second vote",
       [](const Mesh& m, const SignedProposal& p) { return m.vote(p, 1, Choice::yes); },
       VoteRefusal::duplicate,
       {"m1"}},
  };
  for (const Case& c : cases) {
    const VoteVerdict verdict =
        check_vote(c.make(mesh, proposal), proposal, mesh.members, c.already_voted);
    EXPECT_EQ(verdict.refusal, c.expected)
        << c.name << ": " << to_string(verdict.refusal) << " (" << verdict.detail << ")";
    EXPECT_EQ(verdict.ok(), c.expected == VoteRefusal::none) << c.name;
    EXPECT_EQ(verdict.detail.empty(), c.expected == VoteRefusal::none) << c.name;
  }
}

TEST(Vote, AnotherVotersBallotIsNoDuplicate) {
  const Mesh mesh({1, 1});
  const SignedProposal proposal = mesh.signed_proposal();
  EXPECT_TRUE(check_vote(mesh.vote(proposal, 1, Choice::yes), proposal, mesh.members, {"m0"}).ok());
}

TEST(Vote, TheDigestCoversEveryField) {
  const Mesh mesh({1, 1});
  const Vote base = mesh.vote(mesh.signed_proposal(), 1, Choice::yes).vote;
  const std::vector<std::function<void(Vote&)>> changes = {
      [](Vote& v) { v.mesh += "x"; },
      [](Vote& v) { v.proposal[5] ^= 1; },
      [](Vote& v) { v.kind = ProposalKind::emergency; },
      [](Vote& v) { v.choice = Choice::abstain; },
      [](Vote& v) { v.voter = "m0"; },
      [](Vote& v) { v.at += seconds(1); },
  };
  for (std::size_t i = 0; i < changes.size(); ++i) {
    Vote changed = base;
    changes[i](changed);
    EXPECT_NE(vote_digest(changed), vote_digest(base)) << "change " << i;
  }
}

TEST(Vote, NamesSpellBothWays) {
  for (Choice c : {Choice::yes, Choice::no, Choice::abstain})
    EXPECT_EQ(parse_choice(to_string(c)), c);
  EXPECT_EQ(parse_choice("YES"), std::nullopt);
  EXPECT_STREQ(to_string(VoteRefusal::after_window), "after_window");
  EXPECT_STREQ(to_string(VoteRefusal::foreign_proposal), "foreign_proposal");
  EXPECT_STREQ(to_string(VoteRefusal::from_the_future), "from_the_future");
}

}  // namespace
}  // namespace westworld::governance
