// Crises shared by the mesh, the pure part: a crisis record reads back exactly as written and
// refuses anything else by name; a stored record announces a crisis only when a member signed it
// with its member key, under the key its fields name; every reader counts the same crises (one
// per window and kind, however many routers saw the flood); and a crisis quest's claim on
// another member's crisis counts only inside a crisis the mesh counts.
#include <gtest/gtest.h>

#include "governance_fixture.h"
#include "record_edits.h"
#include "westworld/governance/records.h"
#include "westworld/quests/activation.h"
#include "westworld/quests/evidence_signing.h"
#include "westworld/quests/mesh_claims.h"
#include "westworld/quests/mesh_crises.h"
#include "westworld/quests/quest_loader.h"

namespace westworld::quests {
namespace {

using namespace std::chrono_literals;
using governance::testing::Mesh;

const common::UnixSeconds kOpened{std::chrono::seconds(1'800'000'000)};

std::string refusal_of(const auto& verdict) {
  if (const auto* why = std::get_if<std::string>(&verdict)) return *why;
  return "(verified)";
}

Crisis flood_at(common::UnixSeconds at, std::string opener, std::string subject = "10.0.0.66") {
  return {0, CrisisKind::flood, std::move(subject), 7, at, at + kCrisisWindow, std::move(opener)};
}

// A crisis quest for the members that helped: any member with a guarded link.
Quest helper_quest() {
  QuestLoad load = load_quest_text(
      "version: 1\n"
      "id: hold-the-line\n"
      "title: Hold the line\n"
      "category: crisis_helper\n"
      "opens_on: flood\n"
      "expires: 12h\n"
      "steps:\n"
      "  - id: keep-enforcing\n"
      "    title: Keep enforcing\n"
      "    criteria: [links >= 1]\n"
      "    reward: {points: 20}\n",
      "hold-the-line.yaml");
  EXPECT_TRUE(load.quest) << (load.diagnostics.empty() ? "" : load.diagnostics[0].format());
  return load.quest.value_or(Quest{});
}

class MeshCrisisTest : public ::testing::Test {
 protected:
  MeshCrisisTest() : history_(genesis()) {}

  governance::Genesis genesis() const {
    governance::Genesis g;
    g.mesh = "riverside";
    g.members = mesh_.members;
    return g;
  }

  // m0's flood crisis, signed with member `signer`'s key.
  CrisisRecord record(std::size_t signer = 0) const {
    return signed_crisis_record(flood_at(kOpened, ""), "m0", mesh_.keys[signer]);
  }

  std::string key_of(const CrisisRecord& r) const {
    return keys_.quest_crisis("flood", r.opened_at.time_since_epoch().count(), r.node);
  }

  std::variant<Crisis, std::string> verify(const CrisisRecord& r,
                                           std::optional<std::string> key = std::nullopt) const {
    return verify_crisis_record(key.value_or(key_of(r)), r, history_, keys_, kOpened + 1h);
  }

  // m1's claim of the helper quest on the crisis `opener` opened at `opened`, observed at `at`.
  ClaimRecord helper_claim(const std::string& opener, common::UnixSeconds opened,
                           common::UnixSeconds at) const {
    ClaimRecord r{"hold-the-line", "keep-enforcing", opened.time_since_epoch().count(), {}, opener};
    r.evidence.node_id = "m1";
    r.evidence.observed_at = at;
    r.evidence.links = 2;
    sign_evidence(r.evidence, mesh_.keys[1]);
    return r;
  }

  std::variant<Claim, std::string> verify_claim(const ClaimRecord& r,
                                                const std::vector<Crisis>& crises) const {
    const MeshWitness witness{{}, crises};
    return verify_claim_record(keys_.quest_claim(r.quest, r.step, r.period, r.evidence.node_id), r,
                               quests_, history_, keys_, kOpened + 13h, witness);
  }

  Mesh mesh_{{1, 1, 1}};
  governance::MemberHistory history_;
  mesh::MeshKeys keys_{"riverside"};
  std::vector<Quest> quests_{helper_quest()};
};

TEST_F(MeshCrisisTest, ARecordReadsBackAsWritten) {
  const CrisisRecord read = decode_crisis_record(encode_crisis_record(record()));
  EXPECT_EQ(read.kind, CrisisKind::flood);
  EXPECT_EQ(read.node, "m0");
  EXPECT_EQ(read.subject, "10.0.0.66");
  EXPECT_EQ(read.alert_id, 7u);
  EXPECT_EQ(read.opened_at, kOpened);
  EXPECT_TRUE(verify_crisis_signature(read, mesh_.keys[0].public_key()));
  const Crisis crisis = read.crisis();
  EXPECT_EQ(crisis.opener, "m0");
  EXPECT_EQ(crisis.closes_at, kOpened + kCrisisWindow) << "the window is the protocol's";
}

TEST_F(MeshCrisisTest, ADamagedRecordIsRefusedByName) {
  const std::string good = encode_crisis_record(record());
  auto refused = [](const std::string& text) {
    return record_edits::decode_refusal(decode_crisis_record, text);
  };
  auto edited = [&](const std::string& from, const std::string& to) {
    return record_edits::edited(good, from, to);
  };
  EXPECT_EQ(refused(edited("\"kind\":\"flood\"", "\"kind\":\"drought\"")),
            "quest crisis record: field 'kind' must be one of flood");
  EXPECT_EQ(refused(edited("\"alert\":7", "\"alert\":-7")),
            "quest crisis record: field 'alert' must be a non-negative integer");
  EXPECT_EQ(refused(edited("\"alert\":7", "\"alert\":7,\"closes_at\":1")),
            "quest crisis record: field 'closes_at' is not a field of this record");
  EXPECT_EQ(refused(edited("\"format\":\"westworld/quest-crisis/v1\"", "\"format\":\"v0\"")),
            "quest crisis record: field 'format' must be 'westworld/quest-crisis/v1'");
}

TEST_F(MeshCrisisTest, AMembersSignedCrisisVerifies) {
  const auto verdict = verify(record());
  ASSERT_TRUE(std::holds_alternative<Crisis>(verdict)) << refusal_of(verdict);
  EXPECT_EQ(std::get<Crisis>(verdict).opener, "m0");
  EXPECT_EQ(std::get<Crisis>(verdict).opened_at, kOpened);
}

TEST_F(MeshCrisisTest, ForgedTamperedAndMisplacedCrisesAreRefusedByName) {
  EXPECT_EQ(refusal_of(verify(record(1))),
            "the crisis's signature does not verify with the member key of 'm0'");
  CrisisRecord altered = record();
  altered.subject = "10.0.0.1";
  EXPECT_EQ(refusal_of(verify(altered)),
            "the crisis's signature does not verify with the member key of 'm0'");
  const auto stranger_key = capability::Ed25519KeyPair::generate();
  const CrisisRecord stranger = signed_crisis_record(flood_at(kOpened, ""), "mx", stranger_key);
  EXPECT_EQ(refusal_of(verify(stranger)),
            "'mx' was not a member of the mesh when it opened the crisis");
  const std::string elsewhere = keys_.quest_crisis("flood", 1, "m0");
  EXPECT_EQ(refusal_of(verify(record(), elsewhere)),
            "the record names " + key_of(record()) + ", not the key it is stored under");
  const CrisisRecord future = signed_crisis_record(flood_at(kOpened + 3h, ""), "m0", mesh_.keys[0]);
  EXPECT_NE(refusal_of(verify(future)).find("later than this node's clock allows"),
            std::string::npos);
}

TEST_F(MeshCrisisTest, EveryReaderCountsOneCrisisPerWindowWhoeverSawTheFlood) {
  // m2 and m1 contained the same flood in the same second, m0 an hour later: one crisis, m1's
  // (the earliest, then the lowest id); m2's next one, 12 h after m1's, counts again.
  const std::vector<Crisis> seen = {flood_at(kOpened + 1h, "m0"), flood_at(kOpened, "m2"),
                                    flood_at(kOpened, "m1"), flood_at(kOpened + 12h, "m2")};
  const std::vector<Crisis> counted = counted_crises(seen);
  ASSERT_EQ(counted.size(), 2u);
  EXPECT_EQ(counted[0].opener, "m1");
  EXPECT_EQ(counted[0].opened_at, kOpened);
  EXPECT_EQ(counted[1].opener, "m2");
  EXPECT_EQ(counted[1].opened_at, kOpened + 12h);
  // In whatever order the records were read.
  const std::vector<Crisis> reversed(seen.rbegin(), seen.rend());
  const std::vector<Crisis> again = counted_crises(reversed);
  ASSERT_EQ(again.size(), 2u);
  EXPECT_EQ(again[0].opener, "m1");
  EXPECT_EQ(again[1].opened_at, kOpened + 12h);

  EXPECT_EQ(newest_open_crisis(counted, CrisisKind::flood, kOpened + 11h)->opener, "m1");
  EXPECT_EQ(newest_open_crisis(counted, CrisisKind::flood, kOpened + 13h)->opener, "m2");
  EXPECT_FALSE(newest_open_crisis(counted, CrisisKind::flood, kOpened - 1s));
}

TEST_F(MeshCrisisTest, ACrisisQuestOpensOnTheNewestCrisisTheMeshCounts) {
  const Quest quest = helper_quest();
  const std::vector<Crisis> crises = counted_crises({flood_at(kOpened, "m2")});
  const ActivationLookup open = activation_of(quest, nullptr, kOpened + 1h, &crises);
  ASSERT_TRUE(open.activation) << open.why_not;
  EXPECT_EQ(open.activation->at, kOpened);
  ASSERT_TRUE(open.activation->crisis);
  EXPECT_EQ(open.activation->crisis->opener, "m2");
  EXPECT_EQ(crisis_name(*open.activation->crisis),
            "the crisis m2 opened at " + std::to_string(kOpened.time_since_epoch().count()));

  const ActivationLookup over = activation_of(quest, nullptr, kOpened + 12h, &crises);
  EXPECT_FALSE(over.activation);
  EXPECT_EQ(over.why_not, "no open flood crisis on this node or in its mesh");
  EXPECT_EQ(activation_of(quest, nullptr, kOpened + 1h).why_not,
            "no open flood crisis on this node")
      << "alone, only this node's crises open it";
}

TEST_F(MeshCrisisTest, AHelpersClaimCountsInsideACrisisTheMeshCounts) {
  const std::vector<Crisis> crises = {flood_at(kOpened, "m0")};
  const auto verdict = verify_claim(helper_claim("m0", kOpened, kOpened + 2h), crises);
  ASSERT_TRUE(std::holds_alternative<Claim>(verdict)) << refusal_of(verdict);
  EXPECT_EQ(std::get<Claim>(verdict).node, "m1");
  EXPECT_EQ(std::get<Claim>(verdict).period, kOpened.time_since_epoch().count())
      << "a crisis quest's period is its crisis's opening: once per crisis";
}

TEST_F(MeshCrisisTest, AHelpersClaimOutsideOrWithoutACountedCrisisIsRefused) {
  const std::vector<Crisis> crises = {flood_at(kOpened, "m0")};
  EXPECT_EQ(refusal_of(verify_claim(helper_claim("m0", kOpened, kOpened + 2h), {})),
            "the mesh counts no flood crisis opened by 'm0' at " +
                std::to_string(kOpened.time_since_epoch().count()));
  EXPECT_EQ(refusal_of(verify_claim(helper_claim("m2", kOpened, kOpened + 2h), crises)),
            "the mesh counts no flood crisis opened by 'm2' at " +
                std::to_string(kOpened.time_since_epoch().count()));
  EXPECT_NE(refusal_of(verify_claim(helper_claim("m0", kOpened, kOpened + 12h + 1s), crises))
                .find("outside the crisis it claims"),
            std::string::npos);
  EXPECT_NE(refusal_of(verify_claim(helper_claim("m0", kOpened, kOpened - 1s), crises))
                .find("outside the crisis it claims"),
            std::string::npos);
  ClaimRecord unnamed = helper_claim("m0", kOpened, kOpened + 2h);
  unnamed.crisis_opener.clear();
  EXPECT_EQ(refusal_of(verify_claim(unnamed, crises)),
            "quest 'hold-the-line' is a crisis quest, and the record names no crisis");
}

TEST_F(MeshCrisisTest, ACrisisNamedInAClaimReadsBackAndOnlyACrisisQuestMayNameOne) {
  const ClaimRecord written = helper_claim("m0", kOpened, kOpened + 2h);
  const ClaimRecord read = decode_claim_record(encode_claim_record(written));
  EXPECT_EQ(read.crisis_opener, "m0");
  EXPECT_TRUE(std::holds_alternative<Claim>(verify_claim(read, {flood_at(kOpened, "m0")})));

  quests_.push_back(load_quest_text("version: 1\nid: guard\ntitle: Guard\ncategory: "
                                    "mesh_builder\nsteps:\n  - id: link\n    title: A link\n"
                                    "    criteria: [links >= 1]\n    reward: {points: 1}\n",
                                    "guard.yaml")
                        .quest.value());
  ClaimRecord standing{"guard", "link", 0, {}, "m0"};
  standing.evidence.node_id = "m1";
  standing.evidence.observed_at = kOpened;
  standing.evidence.links = 1;
  sign_evidence(standing.evidence, mesh_.keys[1]);
  EXPECT_EQ(refusal_of(verify_claim(standing, {flood_at(kOpened, "m0")})),
            "quest 'guard' is not a crisis quest, but the record names a crisis");
}

}  // namespace
}  // namespace westworld::quests
