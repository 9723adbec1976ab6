// Emergency overrides: who may allow one (a quorum of this node's operators, by real
// Ed25519 signatures), how long it may last (2 h at most, expiry signed in), and the store
// that keeps them across restarts and refuses a tampered row by id.
#include "westworld/charter/emergency_override.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>

#include "scratch_dir.h"
#include "westworld/charter/override_store.h"

namespace westworld::charter {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;
const common::UnixSeconds kNow{seconds(1'790'000'000)};

struct Operators {
  std::vector<capability::Ed25519KeyPair> keys;
  OperatorQuorum quorum;

  explicit Operators(size_t n) {
    for (size_t i = 0; i < n; ++i) {
      keys.push_back(capability::Ed25519KeyPair::generate());
      quorum.operators.push_back({"op" + std::to_string(i), keys.back().public_key()});
    }
    quorum.quorum = default_override_quorum(n);
  }
  std::vector<OperatorSignature> sign(const EmergencyOverride& o, std::vector<size_t> who) const {
    std::vector<OperatorSignature> out;
    for (size_t i : who) out.push_back(sign_override(o, keys[i]));
    return out;
  }
};

EmergencyOverride lift_telnet(minutes lasting = minutes(90)) {
  EmergencyOverride o;
  o.rules = {"deny-telnet"};
  o.reason = "a flood relief team needs the old console";
  o.affected_nodes = {"r1", "r2"};
  o.issued_at = kNow;
  o.expires_at = kNow + lasting;
  o.nonce.fill(7);
  return o;
}

TEST(EmergencyOverride, TheDefaultQuorumIsTwoThirdsAndNeverOne) {
  EXPECT_EQ(default_override_quorum(1), 2u);  // a lone operator can never override
  EXPECT_EQ(default_override_quorum(2), 2u);
  EXPECT_EQ(default_override_quorum(3), 2u);
  EXPECT_EQ(default_override_quorum(4), 3u);
  EXPECT_EQ(default_override_quorum(6), 4u);
  EXPECT_EQ(default_override_quorum(10), 7u);
}

TEST(EmergencyOverride, AQuorumOfOperatorsAllowsIt) {
  const Operators ops(3);
  const EmergencyOverride o = lift_telnet();
  const OverrideVerdict verdict = check_override(o, ops.sign(o, {2, 0}), ops.quorum, "r1", kNow);
  ASSERT_TRUE(verdict.ok()) << verdict.detail;
  EXPECT_EQ(verdict.signers, (std::vector<std::string>{"op2", "op0"}));
}

TEST(EmergencyOverride, EveryWayOfFallingShortIsNamed) {
  const Operators ops(3);
  const Operators strangers(1);
  const EmergencyOverride o = lift_telnet();
  auto refusal = [&](const EmergencyOverride& x, const std::vector<OperatorSignature>& s,
                     std::string_view node = "r1", common::UnixSeconds now = kNow) {
    const OverrideVerdict v = check_override(x, s, ops.quorum, node, now);
    return std::string(to_string(v.refusal)) + ": " + v.detail;
  };
  EXPECT_EQ(refusal(o, ops.sign(o, {1})),
            "too_few_signatures: 1 operator signature(s), the quorum is 2 of 3");
  EXPECT_EQ(refusal(o, ops.sign(o, {1, 1})), "duplicate_operator: operator 'op1' signed twice");
  auto foreign = ops.sign(o, {0});
  foreign.push_back(strangers.sign(o, {0})[0]);
  EXPECT_EQ(refusal(o, foreign).substr(0, 24), "unknown_operator: signer");

  // A signature over another override (here: a longer one) does not carry over.
  auto stretched = ops.sign(o, {0, 1});
  EmergencyOverride longer = o;
  longer.expires_at += minutes(30);
  EXPECT_EQ(refusal(longer, stretched),
            "bad_signature: operator 'op0': the signature does not verify");

  EXPECT_EQ(refusal(o, ops.sign(o, {0, 1}), "r9"),
            "not_affected: this node ('r9') is not among the affected nodes");
  EXPECT_EQ(refusal(o, ops.sign(o, {0, 1}), "r1", o.expires_at).substr(0, 19),
            "expired: expired at");
  EXPECT_EQ(refusal(o, ops.sign(o, {0, 1}), "r1", kNow - minutes(5)).substr(0, 14),
            "not_yet_issued");
  // Issued within the clock skew of this node is fine.
  EXPECT_TRUE(check_override(o, ops.sign(o, {0, 1}), ops.quorum, "r1", kNow - seconds(59)).ok());

  OperatorQuorum lone = ops.quorum;
  lone.operators.resize(1);
  EXPECT_EQ(check_override(o, ops.sign(o, {0}), lone, "r1", kNow).refusal,
            OverrideRefusal::not_configured);
}

TEST(EmergencyOverride, TwoHoursIsTheHardMaximum) {
  const Operators ops(3);
  const EmergencyOverride exactly = lift_telnet(minutes(120));
  EXPECT_TRUE(check_override(exactly, ops.sign(exactly, {0, 1}), ops.quorum, "r1", kNow).ok());
  EmergencyOverride longer = lift_telnet(minutes(120));
  longer.expires_at += seconds(1);
  const OverrideVerdict v =
      check_override(longer, ops.sign(longer, {0, 1, 2}), ops.quorum, "r1", kNow);
  EXPECT_EQ(v.refusal, OverrideRefusal::malformed);
  EXPECT_EQ(v.detail, "an override lasts at most 2 h, this one 7201 s");

  EmergencyOverride twice = lift_telnet();
  twice.rules.push_back("deny-telnet");
  EXPECT_EQ(override_form_error(twice), "rule 'deny-telnet' is named twice");
  EmergencyOverride silent = lift_telnet();
  silent.reason.clear();
  EXPECT_EQ(override_form_error(silent), "an override says why (a reason)");
}

TEST(EmergencyOverride, TheIdCoversEveryFieldAndNotTheOrderOfLists) {
  const EmergencyOverride o = lift_telnet();
  EmergencyOverride reordered = o;
  reordered.affected_nodes = {"r2", "r1"};
  EXPECT_EQ(override_id(o), override_id(reordered));
  std::vector<EmergencyOverride> changed(6, o);
  changed[0].rules = {"deny-ssh"};
  changed[1].reason += ".";
  changed[2].affected_nodes = {"r1"};
  changed[3].issued_at -= seconds(1);
  changed[4].expires_at -= seconds(1);
  changed[5].nonce[0] ^= 1;
  for (const EmergencyOverride& c : changed) EXPECT_NE(override_id(c), override_id(o));
}

class OverrideStoreTest : public ::testing::Test {
 protected:
  std::filesystem::path path() const { return dir_ / "charter.db"; }

  OverrideRecord accepted(const EmergencyOverride& o) {
    return {o, ops_.sign(o, {0, 1}), {"op0", "op1"}, "", kNow, std::nullopt};
  }

  harness::ScratchDir dir_{"ww-overrides"};
  Operators ops_{3};
};

TEST_F(OverrideStoreTest, KeepsOverridesAcrossAReopenAndAcceptsEachOnce) {
  const EmergencyOverride o = lift_telnet();
  {
    OverrideStore store = OverrideStore::open(path());
    EXPECT_TRUE(store.add(accepted(o)));
    EXPECT_FALSE(store.add(accepted(o)));  // the same override again
  }
  OverrideStore store = OverrideStore::open(path());
  const std::vector<OverrideRecord> all = store.all();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].id(), override_id(o));
  EXPECT_EQ(all[0].signers, (std::vector<std::string>{"op0", "op1"}));
  EXPECT_TRUE(all[0].active(kNow));
  // The signatures survive byte for byte: anyone can check them again.
  EXPECT_TRUE(check_override(all[0].override_, all[0].signatures, ops_.quorum, "r2", kNow).ok());
  EXPECT_EQ((std::filesystem::status(path()).permissions() & std::filesystem::perms::all),
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
}

TEST_F(OverrideStoreTest, KeepsTheDecisionThatAllowedAnOverride) {
  const EmergencyOverride o = lift_telnet();
  OverrideRecord record = accepted(o);
  record.signatures.clear();
  record.signers = {"m1", "m2", "m3", "m4"};
  record.decision = std::string(64, 'd');
  ASSERT_TRUE(OverrideStore::open(path()).add(record));
  const std::vector<OverrideRecord> all = OverrideStore::open(path()).all();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].decision, record.decision);
  EXPECT_EQ(all[0].signers, record.signers);
}

TEST_F(OverrideStoreTest, AStoreFromBeforeDecisionsOpensAndReadsAsOperatorSigned) {
  {  // the table as the previous version created it, with one override in it
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path().c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db,
                           "CREATE TABLE overrides(id TEXT PRIMARY KEY, rules TEXT NOT NULL, "
                           "reason TEXT NOT NULL, affected_nodes TEXT NOT NULL, issued_at INTEGER "
                           "NOT NULL, expires_at INTEGER NOT NULL, nonce TEXT NOT NULL, "
                           "signatures TEXT NOT NULL, signers TEXT NOT NULL, accepted_at INTEGER "
                           "NOT NULL, ended_at INTEGER)",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(db);
  }
  const EmergencyOverride o = lift_telnet();
  {
    OverrideStore store = OverrideStore::open(path());
    ASSERT_TRUE(store.add(accepted(o)));
  }
  const std::vector<OverrideRecord> all = OverrideStore::open(path()).all();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].decision, "");
  EXPECT_TRUE(check_override(all[0].override_, all[0].signatures, ops_.quorum, "r2", kNow).ok());
}

TEST_F(OverrideStoreTest, EndsOverridesExactlyAtTheirExpiry) {
  OverrideStore store = OverrideStore::open(path());
  const EmergencyOverride short_one = lift_telnet(minutes(30));
  EmergencyOverride long_one = lift_telnet(minutes(120));
  long_one.rules = {"deny-ssh"};
  store.add(accepted(long_one));
  store.add(accepted(short_one));

  EXPECT_TRUE(store.end_due(short_one.expires_at - seconds(1)).empty());
  const std::vector<OverrideRecord> ended = store.end_due(short_one.expires_at);
  ASSERT_EQ(ended.size(), 1u);
  EXPECT_EQ(ended[0].id(), override_id(short_one));
  EXPECT_EQ(ended[0].ended_at, short_one.expires_at);
  EXPECT_TRUE(store.end_due(short_one.expires_at).empty());  // ended once

  // Long after both expired (an agent that was down): each ends at its own expiry.
  const std::vector<OverrideRecord> late = store.end_due(long_one.expires_at + hours(5));
  ASSERT_EQ(late.size(), 1u);
  EXPECT_EQ(late[0].ended_at, long_one.expires_at);
  for (const OverrideRecord& r : store.all()) EXPECT_FALSE(r.active(long_one.expires_at));
}

TEST_F(OverrideStoreTest, ATamperedRowIsRefusedById) {
  const EmergencyOverride o = lift_telnet();
  OverrideStore::open(path()).add(accepted(o));
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path().c_str(), &db), SQLITE_OK);
  // Someone with the file stretches the override to a day: the id no longer matches.
  ASSERT_EQ(sqlite3_exec(db, "UPDATE overrides SET expires_at = expires_at + 600", nullptr, nullptr,
                         nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  OverrideStore store = OverrideStore::open(path());
  try {
    (void)store.all();
    FAIL() << "a tampered override was read";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("override " + override_id(o) +
                                         " is not as accepted: its content does not hash to "
                                         "its id"),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace westworld::charter
