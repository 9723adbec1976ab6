// The mesh's ledger of record over a real etcd: a claim's create-only record grants it once
// however many nodes race; every reader re-judges each record and names the forged and the
// tampered; governance evidence is recounted from the signed votes; and `wwctl quest sync`
// mirrors exactly the verified claims into a node's ledger.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "built_binaries.h"
#include "governance_etcd_fixture.h"
#include "scratch_dir.h"
#include "westworld/governance/decision.h"
#include "westworld/harness/command.h"
#include "westworld/quests/evidence_signing.h"
#include "westworld/quests/governance_evidence.h"
#include "westworld/quests/mesh_claims.h"
#include "westworld/quests/quest_loader.h"

namespace westworld::quests {
namespace {

using namespace std::chrono_literals;

class MeshClaimsEtcdTest : public governance::GovernanceEtcdTest {
 protected:
  void SetUp() override {
    GovernanceEtcdTest::SetUp();
    const QuestSetLoad loaded = load_quest_directory(WW_QUESTS_DIR);
    ASSERT_TRUE(loaded.diagnostics.empty());
    quests_ = loaded.quests;
  }

  // Member `member`'s first-vote claim on its own evidence, observed at `at`.
  ClaimRecord vote_claim(std::size_t member, common::UnixSeconds at) const {
    ClaimRecord record{"vote", "first-vote", 0, {}, {}};
    record.evidence.node_id = "m" + std::to_string(member);
    record.evidence.observed_at = at;
    record.evidence.votes_cast = 1;
    sign_evidence(record.evidence, mesh_.keys[member]);
    return record;
  }

  // Member `member`'s claim signed by a key that is not its own: what anyone with etcd access
  // could write.
  ClaimRecord forged_claim(std::size_t member, common::UnixSeconds at) const {
    ClaimRecord forged = vote_claim(member, at);
    sign_evidence(forged.evidence, capability::Ed25519KeyPair::generate());
    return forged;
  }

  governance::MemberHistory history(common::UnixSeconds now) {
    governance::GovernanceStore store = gov();
    return governance::member_history(store, genesis_, now);
  }

  std::vector<Quest> quests_;
};

TEST_F(MeshClaimsEtcdTest, RacingClaimsOfOneStepGrantOnce) {
  const ClaimRecord record = vote_claim(1, common::system_clock().now());
  std::atomic<int> created{0};
  std::vector<std::thread> nodes;
  for (int i = 0; i < 6; ++i) {
    nodes.emplace_back([&] {
      auto store = open();  // each racer its own client, as separate nodes would have
      if (MeshClaimStore(*store, keys_).publish(record)) ++created;
    });
  }
  for (std::thread& node : nodes) node.join();
  EXPECT_EQ(created.load(), 1);
  EXPECT_FALSE(MeshClaimStore(*store_, keys_).publish(record)) << "claimed before";
}

TEST_F(MeshClaimsEtcdTest, EveryReaderRefusesTheForgedAndTheTamperedByName) {
  const common::UnixSeconds now = common::system_clock().now();
  MeshClaimStore claims(*store_, keys_);
  ASSERT_TRUE(claims.publish(vote_claim(1, now)));

  ASSERT_TRUE(claims.publish(forged_claim(2, now)));

  // m3's genuine claim, then its count raised in etcd behind its back.
  const ClaimRecord genuine = vote_claim(3, now);
  ASSERT_TRUE(claims.publish(genuine));
  const std::string key = keys_.quest_claim("vote", "first-vote", 0, "m3");
  std::string text = store_->get(key).kvs.at(0).value;
  text.replace(text.find("\"votes_cast\":1"), 14, "\"votes_cast\":7");
  store_->put({key, text});

  const MeshClaims read = claims.read(quests_, history(now), now);
  ASSERT_EQ(read.verified.size(), 1u);
  EXPECT_EQ(read.verified[0].node, "m1");
  ASSERT_EQ(read.refused.size(), 2u);
  EXPECT_EQ(read.refused[0].key, keys_.quest_claim("vote", "first-vote", 0, "m2"));
  EXPECT_EQ(read.refused[0].reason,
            "the evidence's signature does not verify with the member key of 'm2'");
  EXPECT_EQ(read.refused[1].key, key);
  EXPECT_EQ(read.refused[1].reason,
            "the evidence's signature does not verify with the member key of 'm3'");
}

TEST_F(MeshClaimsEtcdTest, VotesCastAreRecountedFromTheSignedVotes) {
  const std::string id = store_proposal();
  const common::UnixSeconds during = governance::testing::kCreated + 10min;
  const common::UnixSeconds after_window = governance::testing::kCreated + 2h;
  governance::GovernanceStore store = gov();
  const governance::MemberHistory members = history(after_window);
  auto evidence_of = [&](const std::string& node, common::UnixSeconds now) {
    return governance_evidence(store, genesis_, members, node, now);
  };

  vote(1, governance::Choice::yes);
  vote(2, governance::Choice::yes);
  EXPECT_EQ(evidence_of("m1", during).votes_cast, 1u);
  EXPECT_TRUE(evidence_of("m1", during).latest_approved.empty())
      << "two yes of five decide nothing yet: nothing is approved";

  vote(3, governance::Choice::yes);
  vote(4, governance::Choice::yes);
  // A vote in m0's name signed by m1: refused by the tally, so m0 has cast none.
  governance::SignedVote forged = mesh_.vote(proposal_, 0, governance::Choice::no);
  forged.signature = governance::sign_vote(forged.vote, mesh_.keys[1]).signature;
  EXPECT_TRUE(gov().add_vote(forged));

  const GovernanceEvidence m1 = evidence_of("m1", after_window);
  EXPECT_EQ(m1.votes_cast, 1u);
  EXPECT_EQ(evidence_of("m0", after_window).votes_cast, 0u) << "a forged vote is not m0's";
  ASSERT_TRUE(governance::decide(store, genesis_, members, id, after_window).tally.passed);
  EXPECT_EQ(m1.latest_approved, id);
  EXPECT_EQ(m1.latest_approved_digest, governance::hex_id(proposal_.proposal.policy_digest));
}

// wwctl quest sync: the verified claims land in this node's ledger, once; the forged one and
// the one reporting a vote the ballots do not show are named on stderr, and the exit code says
// something was refused.
TEST_F(MeshClaimsEtcdTest, WwctlSyncMirrorsOnlyVerifiedClaims) {
  harness::ScratchDir data("ww-quest-sync");
  store_proposal();
  vote(1, governance::Choice::yes);  // m1 has voted once; m3 never has
  const common::UnixSeconds now = common::system_clock().now();
  MeshClaimStore claims(*store_, keys_);
  ASSERT_TRUE(claims.publish(vote_claim(1, now)));
  ASSERT_TRUE(claims.publish(forged_claim(2, now)));
  // m3's own key, its own evidence, but a vote the mesh's ballots do not show.
  ASSERT_TRUE(claims.publish(vote_claim(3, now)));

  const std::string genesis = governance::hex_id(governance::genesis_digest(genesis_));
  auto sync = [&](bool with_genesis) {
    std::vector<std::string> args = {harness::kWwctlBinary,
                                     "--data-dir",
                                     data.path().string(),
                                     "quest",
                                     "sync",
                                     "--dir",
                                     WW_QUESTS_DIR,
                                     "--mesh",
                                     cluster_->endpoints(),
                                     "--mesh-name",
                                     mesh_name_};
    if (with_genesis) args.insert(args.end(), {"--gov-genesis", genesis});
    return harness::run_command(args);
  };
  const auto unpinned = sync(false);
  EXPECT_EQ(unpinned.exit_status, 2) << unpinned.describe();
  EXPECT_NE(unpinned.err.find("--mesh needs --gov-genesis"), std::string::npos);

  const auto first = sync(true);
  EXPECT_EQ(first.exit_status, 1) << first.describe();
  EXPECT_NE(first.out.find("1 claims verified, 1 new"), std::string::npos) << first.describe();
  EXPECT_NE(first.err.find("refused " + keys_.quest_claim("vote", "first-vote", 0, "m2") +
                           ": the evidence's signature does not verify"),
            std::string::npos)
      << first.describe();
  EXPECT_NE(first.err.find("refused " + keys_.quest_claim("vote", "first-vote", 0, "m3") +
                           ": the evidence reports 1 votes cast, the mesh's signed ballots show 0"),
            std::string::npos)
      << first.describe();
  EXPECT_NE(first.out.find("2 refused"), std::string::npos) << first.describe();
  const auto again = sync(true);
  EXPECT_NE(again.out.find("1 claims verified, 0 new"), std::string::npos) << again.describe();

  Ledger ledger(data / "quests.db", false, common::system_clock());
  EXPECT_EQ(ledger.balance("m1"), 10);
  EXPECT_EQ(ledger.balance("m2"), 0);
  EXPECT_EQ(ledger.balance("m3"), 0);
  EXPECT_EQ(ledger.balance(kMintAccount), -10);
  EXPECT_TRUE(ledger.verify().empty());
}

}  // namespace
}  // namespace westworld::quests
