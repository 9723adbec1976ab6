// Evidence signing: a claim rests only on evidence about the claiming node, signed by that
// node's key, unchanged since. Another key, an altered value, an added or removed value, a
// different node or time: each is refused before evaluation.
#include "westworld/quests/evidence_signing.h"

#include <gtest/gtest.h>

#include "westworld/quests/quest_loader.h"

namespace westworld::quests {
namespace {

using namespace std::chrono_literals;

const common::UnixSeconds kNow{std::chrono::seconds(1'800'000'000)};

Quest build_a_node() {
  QuestLoad load = load_quest_text(
      "version: 1\n"
      "id: build-a-node\n"
      "title: Build a node\n"
      "category: mesh_builder\n"
      "steps:\n"
      "  - id: links\n"
      "    title: Two links up\n"
      "    criteria: [links >= 2]\n"
      "    reward: {points: 10}\n",
      "quest.yaml");
  EXPECT_TRUE(load.quest) << (load.diagnostics.empty() ? "" : load.diagnostics[0].format());
  return load.quest.value_or(Quest{});
}

Evidence evidence_of(const std::string& node) {
  Evidence evidence;
  evidence.node_id = node;
  evidence.observed_at = kNow;
  evidence.links = 2;
  evidence.continuous_enforcement = 3h;
  return evidence;
}

TEST(EvidenceSigning, SignedEvidenceVerifiesUnderItsKeyOnly) {
  const auto key = capability::Ed25519KeyPair::generate();
  const auto other = capability::Ed25519KeyPair::generate();
  Evidence evidence = evidence_of("n1");
  EXPECT_FALSE(verify_evidence(evidence, key.public_key())) << "unsigned";
  sign_evidence(evidence, key);
  EXPECT_EQ(evidence.signature.size(), 64u);
  EXPECT_TRUE(verify_evidence(evidence, key.public_key()));
  EXPECT_FALSE(verify_evidence(evidence, other.public_key()));
}

TEST(EvidenceSigning, AnyChangeAfterSigningBreaksTheSignature) {
  const auto key = capability::Ed25519KeyPair::generate();
  Evidence signed_evidence = evidence_of("n1");
  sign_evidence(signed_evidence, key);

  auto altered = [&](auto change) {
    Evidence copy = signed_evidence;
    change(copy);
    return !verify_evidence(copy, key.public_key());
  };
  EXPECT_TRUE(altered([](Evidence& e) { e.links = 3; }));
  EXPECT_TRUE(altered([](Evidence& e) { e.links.reset(); }));
  EXPECT_TRUE(altered([](Evidence& e) { e.peers = 0; })) << "a value added after signing";
  EXPECT_TRUE(altered([](Evidence& e) { e.continuous_enforcement = 4h; }));
  EXPECT_TRUE(altered([](Evidence& e) { e.node_id = "n2"; }));
  EXPECT_TRUE(altered([](Evidence& e) { e.observed_at += 1s; }));
  EXPECT_TRUE(altered([](Evidence& e) { e.signature[0] ^= 1; }));
  EXPECT_TRUE(altered([](Evidence& e) { e.signature.pop_back(); }));
}

TEST(EvidenceSigning, TheEncodingIsDomainSeparatedAndFramed) {
  const capability::Bytes bytes = evidence_signing_bytes(evidence_of("n1"));
  const std::string text(bytes.begin(), bytes.end());
  EXPECT_EQ(text.rfind(std::string("westworld/quests/evidence/v1\0", 29), 0), 0u);
  // The node id is length-prefixed: "n1" + a field cannot read as "n" + another.
  Evidence a = evidence_of("n1"), b = evidence_of("n");
  EXPECT_NE(evidence_signing_bytes(a), evidence_signing_bytes(b));
  // Absent and zero are different statements.
  Evidence zero = evidence_of("n1");
  zero.peers = 0;
  EXPECT_NE(evidence_signing_bytes(zero), evidence_signing_bytes(a));
}

TEST(DecideSignedClaim, GrantsOnlyOnTheClaimingNodesOwnSignature) {
  const Quest quest = build_a_node();
  common::ManualClock clock(kNow);
  const auto key = capability::Ed25519KeyPair::generate();
  const auto other = capability::Ed25519KeyPair::generate();

  Evidence evidence = evidence_of("n1");
  sign_evidence(evidence, key);
  const ClaimDecision granted =
      decide_signed_claim(quest, "links", evidence, "n1", key.public_key(), kNow, clock);
  ASSERT_TRUE(granted.claim) << granted.evaluation.reason;
  EXPECT_EQ(granted.claim->node, "n1");

  // Signed by another key: refused, whatever the values say.
  Evidence forged = evidence_of("n1");
  sign_evidence(forged, other);
  const ClaimDecision by_other =
      decide_signed_claim(quest, "links", forged, "n1", key.public_key(), kNow, clock);
  EXPECT_FALSE(by_other.claim);
  EXPECT_EQ(by_other.evaluation.outcome, Outcome::missing_evidence);
  EXPECT_NE(by_other.evaluation.reason.find("signature"), std::string::npos);

  // Altered after signing: refused.
  Evidence inflated = evidence;
  inflated.links = 9;
  EXPECT_FALSE(
      decide_signed_claim(quest, "links", inflated, "n1", key.public_key(), kNow, clock).claim);

  // Unsigned: refused.
  EXPECT_FALSE(
      decide_signed_claim(quest, "links", evidence_of("n1"), "n1", key.public_key(), kNow, clock)
          .claim);

  // Another node's evidence, even validly signed, is not this node's claim.
  Evidence theirs = evidence_of("n2");
  sign_evidence(theirs, key);
  const ClaimDecision foreign =
      decide_signed_claim(quest, "links", theirs, "n1", key.public_key(), kNow, clock);
  EXPECT_FALSE(foreign.claim);
  EXPECT_NE(foreign.evaluation.reason.find("n2"), std::string::npos);
}

TEST(DecideSignedClaim, SignedButUnmetEvidenceIsStillNotMet) {
  const Quest quest = build_a_node();
  common::ManualClock clock(kNow);
  const auto key = capability::Ed25519KeyPair::generate();
  Evidence evidence = evidence_of("n1");
  evidence.links = 1;
  sign_evidence(evidence, key);
  const ClaimDecision decision =
      decide_signed_claim(quest, "links", evidence, "n1", key.public_key(), kNow, clock);
  EXPECT_FALSE(decision.claim);
  EXPECT_EQ(decision.evaluation.outcome, Outcome::not_met);
}

}  // namespace
}  // namespace westworld::quests
