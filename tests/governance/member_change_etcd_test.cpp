// The member set changes only by a passed change_members proposal, over a real etcd: the
// change takes effect when its window closes, proposals belong to the set that was current
// when they were created, a removed member's vote stops counting on new proposals, and a
// change that failed, was tampered with or lost the race to another changes nothing.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "built_binaries.h"
#include "governance_etcd_fixture.h"
#include "scratch_dir.h"
#include "westworld/governance/decision.h"
#include "westworld/governance/membership.h"
#include "westworld/harness/command.h"
#include "westworld/harness/polling.h"
#include "westworld/harness/text_file.h"

namespace westworld::governance {
namespace {

class MemberChangeTest : public GovernanceEtcdTest {
 protected:
  // The genesis members m0..m3 and a newcomer m5 with its own key; m4 is left out.
  void SetUp() override {
    GovernanceEtcdTest::SetUp();
    next_ = mesh_.members;
    next_.members.pop_back();
    next_.members.push_back({"m5", newcomer_.public_key(), 1});
  }

  // A change to `members`, proposed by m0 under the genesis set; its id.
  std::string propose_change(const MemberSet& members, common::UnixSeconds created,
                             std::chrono::seconds window = 1h) {
    Proposal p = change(members, created, window);
    proposal_ = sign_proposal(p, mesh_.keys[0]);
    EXPECT_TRUE(gov().add_proposal({proposal_, "", "", format_members(members)}));
    return hex_id(proposal_id(p));
  }
  Proposal change(const MemberSet& members, common::UnixSeconds created,
                  std::chrono::seconds window) const {
    Proposal p = mesh_.proposal();
    p.mesh = mesh_name_;
    p.action = ProposalAction::change_members;
    p.policy_digest = {};
    p.subject = members_digest(members);
    p.waves.clear();
    p.gates.clear();
    p.bake = 0s;
    p.created = created;
    p.window = window;
    return p;
  }
  // A policy proposal by `proposer` (whose key is `key`) under `snapshot`; its id.
  std::string propose_policy(const MemberSet& snapshot, const std::string& proposer,
                             const capability::Ed25519KeyPair& key, common::UnixSeconds created) {
    Proposal p = mesh_.proposal();
    p.mesh = mesh_name_;
    p.proposer = proposer;
    p.members_digest = members_digest(snapshot);
    p.created = created;
    p.window = 1h;
    proposal_ = sign_proposal(p, key);
    EXPECT_TRUE(gov().add_proposal({proposal_, "version: 1\n", "", ""}));
    return hex_id(proposal_id(p));
  }
  void vote_as(const std::string& voter, const capability::Ed25519KeyPair& key, Choice choice) {
    Vote v;
    v.mesh = proposal_.proposal.mesh;
    v.proposal = proposal_id(proposal_.proposal);
    v.kind = proposal_.proposal.kind;
    v.choice = choice;
    v.voter = voter;
    v.at = proposal_.proposal.created + 60s;
    EXPECT_TRUE(gov().add_vote(sign_vote(v, key)));
  }
  MemberHistory history_at(common::UnixSeconds now) {
    GovernanceStore g = gov();
    return member_history(g, genesis_, now);
  }
  Decision decide_at(const std::string& id, common::UnixSeconds now) {
    GovernanceStore g = gov();
    return decide(g, genesis_, id, now);
  }

  const common::UnixSeconds t0_ = testing::kCreated;
  capability::Ed25519KeyPair newcomer_ = capability::Ed25519KeyPair::generate();
  MemberSet next_;
};

TEST_F(MemberChangeTest, APassedChangeTakesEffectWhenItsWindowCloses) {
  const std::string change_id = propose_change(next_, t0_);
  for (std::size_t m : {0, 1, 2}) vote(m, Choice::yes);
  EXPECT_TRUE(decide_at(change_id, t0_ + 30min).tally.passed) << "passed early, 3 of 5";
  EXPECT_EQ(history_at(t0_ + 30min).epochs().size(), 1u) << "but not in effect before it closes";

  const MemberHistory after = history_at(t0_ + 1h);
  ASSERT_EQ(after.epochs().size(), 2u);
  const MemberEpoch& current = after.current(t0_ + 1h);
  EXPECT_EQ(current.digest, members_digest(next_));
  EXPECT_EQ(current.proposal, change_id);
  EXPECT_EQ(current.since, t0_ + 1h);
  EXPECT_EQ(after.current(t0_ + 1h - 1s).digest, members_digest(genesis_.members));

  // The newcomer proposes under the new set; the removed member's vote no longer counts.
  const std::string policy_id = propose_policy(next_, "m5", newcomer_, t0_ + 2h);
  vote_as("m5", newcomer_, Choice::yes);
  vote(4, Choice::yes);
  const Decision d = decide_at(policy_id, t0_ + 2h + 2min);
  EXPECT_EQ(members_digest(d.members), members_digest(next_));
  EXPECT_EQ(d.tally.yes, 1u) << "m5 counted";
  ASSERT_EQ(d.tally.refused.size(), 1u);
  EXPECT_EQ(d.tally.refused[0], std::pair(std::string("m4"), VoteRefusal::not_a_member));
}

TEST_F(MemberChangeTest, AProposalBelongsToTheSetOfItsCreation) {
  const std::string change_id = propose_change(next_, t0_);
  for (std::size_t m : {0, 1, 2}) vote(m, Choice::yes);

  // Made under the genesis set while the change was open: decided against the genesis set,
  // so the member since removed still counts on it.
  const std::string before_id = propose_policy(genesis_.members, "m0", mesh_.keys[0], t0_ + 10min);
  vote(4, Choice::yes);
  const Decision before = decide_at(before_id, t0_ + 2h);
  EXPECT_EQ(members_digest(before.members), members_digest(genesis_.members));
  EXPECT_EQ(before.tally.yes, 1u);

  // Under the genesis set after the change took effect: refused, by name.
  const std::string stale_id = propose_policy(genesis_.members, "m0", mesh_.keys[0], t0_ + 2h);
  try {
    decide_at(stale_id, t0_ + 2h + 1min);
    ADD_FAILURE() << "a proposal under a replaced member set was decided";
  } catch (const DecisionError& e) {
    EXPECT_NE(std::string(e.what()).find("not the mesh's when it was created"), std::string::npos)
        << e.what();
  }
  // Under the new set before it took effect: refused too.
  const std::string early_id = propose_policy(next_, "m5", newcomer_, t0_ + 20min);
  EXPECT_THROW(decide_at(early_id, t0_ + 2h), DecisionError);
  (void)change_id;
}

TEST_F(MemberChangeTest, AFailedOrTamperedChangeChangesNothing) {
  const std::string failed = propose_change(next_, t0_);
  vote(0, Choice::yes);
  vote(1, Choice::yes);
  for (std::size_t m : {2, 3, 4}) vote(m, Choice::no);
  EXPECT_EQ(history_at(t0_ + 2h).epochs().size(), 1u) << "2 yes, 3 no";

  // The signed subject is one set, the text beside it another (written straight into etcd):
  // named, and never the members even with every vote yes.
  MemberSet swapped = next_;
  swapped.members.push_back({"m6", capability::Ed25519KeyPair::generate().public_key(), 9});
  const Proposal p = change(next_, t0_ + 5min, 1h);
  proposal_ = sign_proposal(p, mesh_.keys[0]);
  ASSERT_TRUE(gov().add_proposal({proposal_, "", "", format_members(swapped)}));
  const std::string tampered = hex_id(proposal_id(p));
  for (std::size_t m : {0, 1, 2, 3, 4}) vote(m, Choice::yes);
  try {
    decide_at(tampered, t0_ + 2h);
    ADD_FAILURE() << "a member change whose set does not hash to its subject was decided";
  } catch (const DecisionError& e) {
    EXPECT_NE(std::string(e.what()).find("not to the subject"), std::string::npos) << e.what();
  }
  EXPECT_EQ(history_at(t0_ + 2h).epochs().size(), 1u);
  (void)failed;
}

TEST_F(MemberChangeTest, TheFirstPassedChangeToCloseWinsAndTheOtherIsVoid) {
  MemberSet other = mesh_.members;
  other.members[1].power = 3;
  const std::string slow = propose_change(other, t0_, 2h);
  for (std::size_t m : {0, 1, 2}) vote(m, Choice::yes);
  const std::string fast = propose_change(next_, t0_ + 10min, 1h);
  for (std::size_t m : {0, 1, 2}) vote(m, Choice::yes);

  const MemberHistory history = history_at(t0_ + 3h);
  ASSERT_EQ(history.epochs().size(), 2u) << "the slower change names a set no longer current";
  EXPECT_EQ(history.epochs()[1].proposal, fast);
  EXPECT_EQ(history.current(t0_ + 3h).digest, members_digest(next_));
  (void)slow;
}

TEST_F(MemberChangeTest, AChangeIsNotRolledOutAndCarriesNoWaves) {
  Proposal p = change(next_, t0_, 1h);
  p.waves = {"100%"};
  const std::optional<std::string> error =
      proposal_error(sign_proposal(p, mesh_.keys[0]), mesh_.members);
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(*error, "a change_members proposal is not rolled out: it has no waves, gates or bake");
}

// The same through wwctl, on the real clock: a mesh founded with `gov init`, a change
// proposed with `gov propose --members`, voted, and in effect once its 3 s window closes.
TEST_F(MemberChangeTest, WwctlProposesAndShowsAMemberChange) {
  harness::ScratchDir dir("wwgm");
  const std::string mesh = mesh_name_ + "-cli";
  auto wwctl = [&](std::vector<std::string> args) {
    args.insert(args.begin(), harness::kWwctlBinary);
    args.insert(args.end(), {"--mesh", cluster_->endpoints(), "--mesh-name", mesh});
    return harness::run_command(args);
  };
  auto key = [&](const std::string& id) { return (dir / (id + ".key")).string(); };
  std::string genesis_members, next_members;
  for (const std::string id : {"a", "b", "c", "d", "e"}) {
    const auto made =
        harness::run_command({harness::kWwctlBinary, "peer", "keygen", key(id), "--peer", id});
    ASSERT_TRUE(made.ok()) << made.describe();
    if (id != "e") genesis_members += made.out;
    if (id != "d") next_members += made.out;  // d leaves, e joins
  }
  harness::write_text_file(dir / "genesis.members", genesis_members);
  harness::write_text_file(dir / "next.members", next_members);
  const auto founded = wwctl({"gov", "init", "--members", (dir / "genesis.members").string(),
                              "--min-window", "2s", "--experiment-above-ppm", "1000000"});
  ASSERT_TRUE(founded.ok()) << founded.describe();
  const std::string genesis = founded.out.substr(0, 64);

  auto gov = [&](std::vector<std::string> args) {
    args.insert(args.end(), {"--gov-genesis", genesis});
    return wwctl(args);
  };
  const auto refused =
      gov({"gov", "propose", "--members", (dir / "next.members").string(), "--title", "e joins",
           "--key", key("a"), "--member", "a", "--window", "3s", "--waves", "100%"});
  EXPECT_FALSE(refused.ok());
  EXPECT_NE(refused.err.find("a member change takes effect when its window closes"),
            std::string::npos)
      << refused.describe();
  const auto proposed =
      gov({"gov", "propose", "--members", (dir / "next.members").string(), "--title",
           "e joins, d leaves", "--key", key("a"), "--member", "a", "--window", "3s"});
  ASSERT_TRUE(proposed.ok()) << proposed.describe();
  const std::string id = proposed.out.substr(0, 64);
  for (const std::string voter : {"a", "b", "c"}) {
    const auto voted = gov({"gov", "vote", id, "yes", "--key", key(voter), "--member", voter});
    ASSERT_TRUE(voted.ok()) << voted.describe();
  }
  const auto newcomer_early =
      gov({"gov", "propose", "--members", (dir / "genesis.members").string(), "--title", "too soon",
           "--key", key("e"), "--member", "e", "--window", "3s"});
  EXPECT_FALSE(newcomer_early.ok()) << "e is not a member until the window closes";

  nlohmann::json sets;
  ASSERT_TRUE(harness::eventually(30s, [&] {
    const auto shown = gov({"gov", "members", "--json"});
    if (!shown.ok()) return false;
    sets = nlohmann::json::parse(shown.out);
    return sets.size() == 2;
  })) << sets.dump();
  EXPECT_EQ(sets[1]["proposal"], id);
  EXPECT_TRUE(sets[1]["current"].get<bool>());
  EXPECT_EQ(gov({"gov", "members", "--file"}).out,
            format_members(parse_members(next_members, "next")));

  // The newcomer proposes now; d, who left, may not vote on it.
  const auto later =
      gov({"gov", "propose", "--members", (dir / "genesis.members").string(), "--title",
           "d returns", "--key", key("e"), "--member", "e", "--window", "1h"});
  ASSERT_TRUE(later.ok()) << later.describe();
  const auto left =
      gov({"gov", "vote", later.out.substr(0, 64), "yes", "--key", key("d"), "--member", "d"});
  EXPECT_FALSE(left.ok());
  EXPECT_NE(left.err.find("not a member"), std::string::npos) << left.describe();
}

}  // namespace
}  // namespace westworld::governance
