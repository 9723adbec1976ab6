// The mesh's ledger of record, the pure part: a claim record reads back exactly as written and
// refuses anything else by name; a stored record proves a claim only when a member of the mesh
// signed evidence that meets the step, under the key its fields name, in the period it says.
#include <gtest/gtest.h>

#include "governance_fixture.h"
#include "record_edits.h"
#include "westworld/governance/records.h"
#include "westworld/quests/evidence_signing.h"
#include "westworld/quests/mesh_claims.h"
#include "westworld/quests/quest_loader.h"

namespace westworld::quests {
namespace {

using namespace std::chrono_literals;
using governance::testing::Mesh;

const common::UnixSeconds kObserved{std::chrono::seconds(1'800'000'000)};

Quest vote_quest(const std::string& extra = "") {
  QuestLoad load = load_quest_text(
      "version: 1\n"
      "id: vote\n"
      "title: Vote\n"
      "category: governance_active\n" +
          extra +
          "steps:\n"
          "  - id: first-vote\n"
          "    title: Vote once\n"
          "    criteria: [votes_cast >= 1]\n"
          "    reward: {points: 10, badge: voter}\n",
      "vote.yaml");
  EXPECT_TRUE(load.quest) << (load.diagnostics.empty() ? "" : load.diagnostics[0].format());
  return load.quest.value_or(Quest{});
}

class MeshClaimTest : public ::testing::Test {
 protected:
  MeshClaimTest() : history_(genesis()) {}

  governance::Genesis genesis() const {
    governance::Genesis g;
    g.mesh = "riverside";
    g.members = mesh_.members;
    return g;
  }

  // m1's vote claim, signed with member `signer`'s key.
  ClaimRecord record(std::size_t signer = 1, uint64_t votes = 2) const {
    ClaimRecord r{"vote", "first-vote", 0, {}, {}};
    r.evidence.node_id = "m1";
    r.evidence.observed_at = kObserved;
    r.evidence.votes_cast = votes;
    r.evidence.uptime = 90min;
    sign_evidence(r.evidence, mesh_.keys[signer]);
    return r;
  }

  std::variant<Claim, std::string> verify(const ClaimRecord& r,
                                          std::optional<std::string> key = std::nullopt) const {
    const std::string where =
        key.value_or(keys_.quest_claim(r.quest, r.step, r.period, r.evidence.node_id));
    return verify_claim_record(where, r, quests_, history_, keys_, kObserved + 1h);
  }

  static std::string refusal(const std::variant<Claim, std::string>& verdict) {
    if (const auto* why = std::get_if<std::string>(&verdict)) return *why;
    return "(verified)";
  }

  Mesh mesh_{{1, 1, 1}};
  governance::MemberHistory history_;
  mesh::MeshKeys keys_{"riverside"};
  std::vector<Quest> quests_{vote_quest()};
};

TEST_F(MeshClaimTest, ARecordReadsBackAsWritten) {
  const ClaimRecord written = record();
  const ClaimRecord read = decode_claim_record(encode_claim_record(written));
  EXPECT_EQ(read.quest, "vote");
  EXPECT_EQ(read.step, "first-vote");
  EXPECT_EQ(read.period, 0);
  EXPECT_EQ(read.evidence.node_id, "m1");
  EXPECT_EQ(read.evidence.observed_at, kObserved);
  EXPECT_EQ(read.evidence.votes_cast, 2u);
  EXPECT_EQ(read.evidence.uptime, std::chrono::milliseconds(90min));
  EXPECT_FALSE(read.evidence.peers) << "absent stays absent, never zero";
  EXPECT_TRUE(verify_evidence(read.evidence, mesh_.keys[1].public_key()));
}

TEST_F(MeshClaimTest, ADamagedRecordIsRefusedByName) {
  const std::string good = encode_claim_record(record());
  auto refused = [](const std::string& text) {
    return record_edits::decode_refusal(decode_claim_record, text);
  };
  auto edited = [&](const std::string& from, const std::string& to) {
    return record_edits::edited(good, from, to);
  };
  EXPECT_EQ(refused(edited("\"votes_cast\":2", "\"votes_cast\":2,\"karma\":9")),
            "quest claim record: field 'values.karma' is not a criterion of the catalogue");
  EXPECT_EQ(refused(edited("\"votes_cast\":2", "\"votes_cast\":-2")),
            "quest claim record: field 'values.votes_cast' must not be negative");
  EXPECT_EQ(refused(edited("\"votes_cast\":2", "\"votes_cast\":\"2\"")),
            "quest claim record: field 'values.votes_cast' must be an integer");
  EXPECT_EQ(refused(edited("\"period\":0", "\"period\":0,\"granted\":true")),
            "quest claim record: field 'granted' is not a field of this record");
  EXPECT_EQ(refused(edited("\"format\":\"westworld/quest-claim/v1\"", "\"format\":\"v0\"")),
            "quest claim record: field 'format' must be 'westworld/quest-claim/v1'");
  EXPECT_EQ(refused("[]"), "quest claim record: the record is not a JSON object");
}

TEST_F(MeshClaimTest, AMembersSignedMetEvidenceProvesTheClaim) {
  const auto verdict = verify(record());
  ASSERT_TRUE(std::holds_alternative<Claim>(verdict)) << refusal(verdict);
  const Claim& claim = std::get<Claim>(verdict);
  EXPECT_EQ(claim.node, "m1");
  EXPECT_EQ(claim.quest, "vote");
  EXPECT_EQ(claim.step, "first-vote");
  EXPECT_EQ(claim.category, Category::governance_active);
  EXPECT_EQ(claim.reward.points, 10u);
}

TEST_F(MeshClaimTest, EvidenceSignedByAnotherMemberIsRefused) {
  EXPECT_EQ(refusal(verify(record(2))),
            "the evidence's signature does not verify with the member key of 'm1'");
}

TEST_F(MeshClaimTest, ValuesChangedAfterSigningAreRefused) {
  ClaimRecord r = record();
  r.evidence.votes_cast = 40;
  EXPECT_EQ(refusal(verify(r)),
            "the evidence's signature does not verify with the member key of 'm1'");
}

TEST_F(MeshClaimTest, OnlyMembersEarn) {
  ClaimRecord r = record();
  r.evidence.node_id = "stranger";
  const auto stranger = capability::Ed25519KeyPair::generate();
  sign_evidence(r.evidence, stranger);
  EXPECT_EQ(refusal(verify(r)), "'stranger' was not a member of the mesh when it observed");
}

TEST_F(MeshClaimTest, UnmetEvidenceProvesNothing) {
  EXPECT_EQ(refusal(verify(record(1, 0))).rfind("not met: ", 0), 0u)
      << refusal(verify(record(1, 0)));
}

TEST_F(MeshClaimTest, ARecordUnderAnotherKeyIsRefused) {
  const ClaimRecord r = record();
  const std::string elsewhere = keys_.quest_claim("vote", "first-vote", 0, "m2");
  EXPECT_EQ(refusal(verify(r, elsewhere)), "the record names " +
                                               keys_.quest_claim("vote", "first-vote", 0, "m1") +
                                               ", not the key it is stored under");
}

TEST_F(MeshClaimTest, APeriodTheEvidenceDoesNotHoldIsRefused) {
  quests_ = {vote_quest("repeat: 1d\n")};
  ClaimRecord r = record();
  r.period = kObserved.time_since_epoch().count() / 86400 + 1;  // tomorrow's reward, today
  EXPECT_EQ(refusal(verify(r)), "the record claims period " + std::to_string(r.period) +
                                    ", but the evidence was observed in period " +
                                    std::to_string(r.period - 1));
  r.period -= 1;
  EXPECT_TRUE(std::holds_alternative<Claim>(verify(r))) << refusal(verify(r));
}

TEST_F(MeshClaimTest, EvidenceFromTheFutureIsRefused) {
  ClaimRecord r = record();
  r.evidence.observed_at = kObserved + 3h;  // the reader's clock is at kObserved + 1h
  sign_evidence(r.evidence, mesh_.keys[1]);
  EXPECT_NE(refusal(verify(r)).find("later than this node's clock allows"), std::string::npos);
}

TEST_F(MeshClaimTest, MoreVotesThanTheMeshsBallotsShowAreRefused) {
  const MeshWitness ballots{[](const std::string& node) { return node == "m1" ? 1u : 0u; }, {}};
  const ClaimRecord r = record(1, 2);  // m1 reports 2 votes
  const auto verdict = verify_claim_record(keys_.quest_claim("vote", "first-vote", 0, "m1"), r,
                                           quests_, history_, keys_, kObserved + 1h, ballots);
  EXPECT_EQ(refusal(verdict),
            "the evidence reports 2 votes cast, the mesh's signed ballots show 1");
  const auto honest =
      verify_claim_record(keys_.quest_claim("vote", "first-vote", 0, "m1"), record(1, 1), quests_,
                          history_, keys_, kObserved + 1h, ballots);
  EXPECT_TRUE(std::holds_alternative<Claim>(honest)) << refusal(honest);
}

TEST_F(MeshClaimTest, AQuestThisNodeDoesNotHaveIsRefused) {
  ClaimRecord r = record();
  r.quest = "free-points";
  EXPECT_EQ(refusal(verify(r)), "no quest 'free-points' in this node's quest set");
}

}  // namespace
}  // namespace westworld::quests
