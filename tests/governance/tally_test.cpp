// The tally from signed votes alone: early execution when the missing votes cannot change
// the outcome, a final result once the window closes, refused votes listed and not
// counted, and members' power as weight.
#include "westworld/governance/tally.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "governance_fixture.h"

namespace westworld::governance {
namespace {

using std::chrono::hours;
using std::chrono::seconds;
using testing::kCreated;
using testing::Mesh;

const Thresholds kStandard = default_thresholds(ProposalKind::standard);
const common::UnixSeconds kDuring = kCreated + hours(1);
const common::UnixSeconds kClosed = kCreated + hours(72);  // the first second after the window

TEST(Tally, ThreeOfFiveYesPassesEarly) {
  const Mesh mesh({1, 1, 1, 1, 1});
  const SignedProposal p = mesh.signed_proposal();
  const std::vector<SignedVote> votes = {mesh.vote(p, 0, Choice::yes), mesh.vote(p, 1, Choice::yes),
                                         mesh.vote(p, 2, Choice::yes)};
  const Tally t = tally(p, mesh.members, votes, kDuring, kStandard);
  EXPECT_EQ(t.yes, 3u);
  EXPECT_EQ(t.total, 5u);
  EXPECT_TRUE(t.open);
  EXPECT_TRUE(t.passed);  // even two more no votes leave 3:2
  EXPECT_TRUE(t.decided);
  EXPECT_TRUE(t.refused.empty());

  // Two yes of five could still be outvoted 2:3.
  const Tally two = tally(p, mesh.members, std::span(votes).first(2), kDuring, kStandard);
  EXPECT_TRUE(two.open);
  EXPECT_FALSE(two.passed);
  EXPECT_FALSE(two.decided);
}

// A vote dated ahead of the tallying clock (beyond the skew) is not counted yet, so it
// cannot make a proposal pass early before it was cast; once the clock reaches it, it counts.
TEST(Tally, VotesFromTheFutureDoNotCountYet) {
  const Mesh mesh({1, 1, 1, 1, 1});
  const SignedProposal p = mesh.signed_proposal();
  const std::vector<SignedVote> votes = {mesh.vote(p, 0, Choice::yes), mesh.vote(p, 1, Choice::yes),
                                         mesh.vote(p, 2, Choice::yes, hours(10))};
  const Tally early = tally(p, mesh.members, votes, kDuring, kStandard);
  EXPECT_EQ(early.yes, 2u);
  EXPECT_FALSE(early.passed);
  ASSERT_EQ(early.refused.size(), 1u);
  EXPECT_EQ(early.refused[0], std::make_pair(std::string("m2"), VoteRefusal::from_the_future));
  // Within the skew it counts already; at its time it counts too.
  EXPECT_TRUE(tally(p, mesh.members, votes, kCreated + hours(10) - seconds(60), kStandard).passed);
  EXPECT_TRUE(tally(p, mesh.members, votes, kCreated + hours(10), kStandard).passed);
}

TEST(Tally, TwoYesOneNoOfFiveStaysUndecidedWhileOpen) {
  const Mesh mesh({1, 1, 1, 1, 1});
  const SignedProposal p = mesh.signed_proposal();
  const std::vector<SignedVote> votes = {mesh.vote(p, 0, Choice::yes), mesh.vote(p, 1, Choice::yes),
                                         mesh.vote(p, 2, Choice::no)};
  const Tally open = tally(p, mesh.members, votes, kDuring, kStandard);
  EXPECT_EQ(open.yes, 2u);
  EXPECT_EQ(open.no, 1u);
  EXPECT_TRUE(open.open);
  EXPECT_FALSE(open.passed);
  EXPECT_FALSE(open.decided);

  // At the closing second it is final: 2:1 with 60% participation passes.
  const Tally closed = tally(p, mesh.members, votes, kClosed, kStandard);
  EXPECT_FALSE(closed.open);
  EXPECT_TRUE(closed.passed);
  EXPECT_TRUE(closed.decided);
  // One second earlier it was still open.
  EXPECT_TRUE(tally(p, mesh.members, votes, kClosed - seconds(1), kStandard).open);
}

TEST(Tally, FailureCanBeCertainEarly) {
  const Mesh mesh({1, 1, 1, 1, 1});
  const SignedProposal p = mesh.signed_proposal();
  const std::vector<SignedVote> votes = {mesh.vote(p, 0, Choice::no), mesh.vote(p, 1, Choice::no),
                                         mesh.vote(p, 2, Choice::no)};
  const Tally t = tally(p, mesh.members, votes, kDuring, kStandard);
  EXPECT_TRUE(t.open);
  EXPECT_FALSE(t.passed);
  EXPECT_TRUE(t.decided);  // 2 yes at best against 3 no

  // 2 no of 5: three yes could still win.
  EXPECT_FALSE(tally(p, mesh.members, std::span(votes).first(2), kDuring, kStandard).decided);
}

TEST(Tally, AfterTheWindowTheResultIsFinal) {
  const Mesh mesh({1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1});  // 20 members
  const SignedProposal p = mesh.signed_proposal();
  std::vector<SignedVote> votes = {mesh.vote(p, 0, Choice::yes), mesh.vote(p, 1, Choice::yes)};
  // 2 of 20 is below the 15% participation (3): it fails, and is decided.
  Tally t = tally(p, mesh.members, votes, kClosed, kStandard);
  EXPECT_FALSE(t.passed);
  EXPECT_TRUE(t.decided);
  // A late vote, even a signed one, changes nothing.
  votes.push_back(mesh.vote(p, 2, Choice::yes, hours(72)));
  t = tally(p, mesh.members, votes, kClosed + hours(1), kStandard);
  EXPECT_EQ(t.yes, 2u);
  EXPECT_FALSE(t.passed);
  ASSERT_EQ(t.refused.size(), 1u);
  EXPECT_EQ(t.refused[0], std::make_pair(std::string("m2"), VoteRefusal::after_window));
  // The third vote in time reaches the minimum exactly, and passes.
  votes.back() = mesh.vote(p, 2, Choice::abstain, hours(71));
  t = tally(p, mesh.members, votes, kClosed, kStandard);
  EXPECT_TRUE(t.passed);
  EXPECT_EQ(t.abstain, 1u);
}

TEST(Tally, RefusedVotesAreListedAndNotCounted) {
  const Mesh mesh({1, 1, 1, 1, 1});
  const Mesh outsiders({1});
  const SignedProposal p = mesh.signed_proposal();
  SignedVote tampered = mesh.vote(p, 3, Choice::no);
  tampered.vote.choice = Choice::yes;
  SignedVote stranger = outsiders.vote(p, 0, Choice::yes);
  stranger.vote.voter = "x";
  stranger = sign_vote(stranger.vote, outsiders.keys[0]);
  const std::vector<SignedVote> votes = {
      mesh.vote(p, 0, Choice::yes),
      mesh.vote(p, 0, Choice::no, seconds(120)),  // changes its mind: only the first counts
      tampered,
      stranger,
      mesh.vote(p, 4, Choice::yes, seconds(-5)),
      mesh.vote(p, 1, Choice::no),
  };
  const Tally t = tally(p, mesh.members, votes, kDuring, kStandard);
  EXPECT_EQ(t.yes, 1u);
  EXPECT_EQ(t.no, 1u);
  EXPECT_EQ(t.abstain, 0u);
  const std::vector<std::pair<std::string, VoteRefusal>> expected = {
      {"m0", VoteRefusal::duplicate},
      {"m3", VoteRefusal::bad_signature},
      {"x", VoteRefusal::not_a_member},
      {"m4", VoteRefusal::before_window},
  };
  EXPECT_EQ(t.refused, expected);
  EXPECT_FALSE(t.decided);
}

TEST(Tally, PowersWeigh) {
  const Mesh mesh({5, 1, 1, 1, 1});  // total 9
  const SignedProposal p = mesh.signed_proposal();
  // The big member alone: 5 yes against at most 4 no is certain.
  const std::vector<SignedVote> big = {mesh.vote(p, 0, Choice::yes)};
  Tally t = tally(p, mesh.members, big, kDuring, kStandard);
  EXPECT_EQ(t.yes, 5u);
  EXPECT_EQ(t.total, 9u);
  EXPECT_TRUE(t.passed);
  EXPECT_TRUE(t.decided);
  // Four small members yes against the big one's no: 4:5 fails when the window closes.
  const std::vector<SignedVote> small = {mesh.vote(p, 1, Choice::yes), mesh.vote(p, 2, Choice::yes),
                                         mesh.vote(p, 3, Choice::yes), mesh.vote(p, 4, Choice::yes),
                                         mesh.vote(p, 0, Choice::no)};
  t = tally(p, mesh.members, small, kClosed, kStandard);
  EXPECT_EQ(t.yes, 4u);
  EXPECT_EQ(t.no, 5u);
  EXPECT_FALSE(t.passed);
  EXPECT_TRUE(t.decided);
}

TEST(Tally, EmergencyNeedsItsQuorumBeforePassingEarly) {
  const Mesh mesh({1, 1, 1, 1, 1, 1});  // 67% of 6 -> 5 must vote
  const SignedProposal p = mesh.signed_proposal(ProposalKind::emergency);
  const Thresholds emergency = default_thresholds(ProposalKind::emergency);
  std::vector<SignedVote> votes;
  for (std::size_t i = 0; i < 4; ++i) votes.push_back(mesh.vote(p, i, Choice::yes));
  Tally t = tally(p, mesh.members, votes, kCreated + hours(1), emergency);
  EXPECT_FALSE(t.passed);  // support is certain, participation is not yet met
  EXPECT_FALSE(t.decided);
  // Closed after its 2 h with only four votes: fails.
  t = tally(p, mesh.members, votes, kCreated + hours(2), emergency);
  EXPECT_FALSE(t.open);
  EXPECT_FALSE(t.passed);
  votes.push_back(mesh.vote(p, 4, Choice::no));
  t = tally(p, mesh.members, votes, kCreated + hours(1), emergency);
  EXPECT_TRUE(t.passed);
  EXPECT_TRUE(t.decided);
}

TEST(Tally, BeforeTheWindowOpensNothingIsDecided) {
  const Mesh mesh({1, 1, 1});
  const SignedProposal p = mesh.signed_proposal();
  const Tally t = tally(p, mesh.members, {}, kCreated - seconds(1), kStandard);
  EXPECT_FALSE(t.open);
  EXPECT_FALSE(t.passed);
  EXPECT_FALSE(t.decided);  // not closed: it has not even begun
  EXPECT_TRUE(tally(p, mesh.members, {}, kCreated, kStandard).open);
}

TEST(Tally, AnUnfitProposalIsNotTallied) {
  const Mesh mesh({1, 1});
  SignedProposal p = mesh.signed_proposal();
  p.proposal.window += seconds(1);  // no longer what the proposer signed
  EXPECT_THROW(tally(p, mesh.members, {}, kDuring, kStandard), std::invalid_argument);
}

// `counted` is the audit trail of the tally: each vote that counted, in the order given,
// with its choice; refused votes and a voter's later votes are not in it.
TEST(Tally, CountedListsEachCountedVoterWithItsChoice) {
  const Mesh mesh({1, 1, 1, 1, 1});
  const SignedProposal p = mesh.signed_proposal();
  SignedVote tampered = mesh.vote(p, 1, Choice::no);
  tampered.vote.choice = Choice::yes;
  const std::vector<SignedVote> votes = {
      mesh.vote(p, 2, Choice::no),
      mesh.vote(p, 0, Choice::yes),
      mesh.vote(p, 0, Choice::no, seconds(120)),  // a duplicate
      tampered,
      mesh.vote(p, 3, Choice::abstain),
      mesh.vote(p, 4, Choice::yes, hours(10)),  // from the future at kDuring
  };
  const Tally t = tally(p, mesh.members, votes, kDuring, kStandard);
  const std::vector<std::pair<std::string, Choice>> expected = {
      {"m2", Choice::no}, {"m0", Choice::yes}, {"m3", Choice::abstain}};
  EXPECT_EQ(t.counted, expected);
  EXPECT_EQ(t.refused.size(), 3u);
  EXPECT_TRUE(tally(p, mesh.members, {}, kDuring, kStandard).counted.empty());
}

TEST(Tally, DescribeSaysPowersAndTheOutcome) {
  const Mesh mesh({2, 1, 1, 1});  // total 5
  const SignedProposal p = mesh.signed_proposal();
  // The big member's 2 yes could still be outvoted by the other 3.
  std::vector<SignedVote> votes = {mesh.vote(p, 0, Choice::yes)};
  EXPECT_EQ(describe(tally(p, mesh.members, votes, kDuring, kStandard)),
            "2 of 5 yes, 0 no, 0 abstain; still open");
  // 3 yes against at most 2 no: passed early.
  votes.push_back(mesh.vote(p, 1, Choice::yes));
  EXPECT_EQ(describe(tally(p, mesh.members, votes, kDuring, kStandard)),
            "3 of 5 yes, 0 no, 0 abstain; passed");
  // 3 no and 2 abstain: support cannot hold, so it has failed, even while open.
  votes = {mesh.vote(p, 1, Choice::no), mesh.vote(p, 2, Choice::no), mesh.vote(p, 3, Choice::no),
           mesh.vote(p, 0, Choice::abstain)};
  EXPECT_EQ(describe(tally(p, mesh.members, votes, kDuring, kStandard)),
            "0 of 5 yes, 3 no, 2 abstain; failed");
  // The window closed with nobody voting.
  EXPECT_EQ(describe(tally(p, mesh.members, {}, kClosed, kStandard)),
            "0 of 5 yes, 0 no, 0 abstain; failed");
}

}  // namespace
}  // namespace westworld::governance
