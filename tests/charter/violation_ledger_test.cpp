// The violation ledger: each escalation step at its boundary on an injected clock, repeats
// of one offence, persistence across a reopen, and a tampered row refused by name.
#include "westworld/charter/violation_ledger.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>

#include "scratch_dir.h"

namespace westworld::charter {
namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::seconds;
const common::UnixSeconds kStart{seconds(1'790'000'000)};
const std::string kExporter = "http://127.0.0.1:9100/metrics";

ViolationReport offered(const std::string& metric, const std::string& offender = kExporter) {
  return {offender, ViolationType::forbidden_metric, metric, policy::ViolationSeverity::critical};
}

class ViolationLedgerTest : public ::testing::Test {
 protected:
  std::filesystem::path path() const { return dir_ / "charter.db"; }
  ViolationLedger open() { return ViolationLedger::open(path(), clock_); }

  harness::ScratchDir dir_{"ww-ledger"};
  common::ManualClock clock_{kStart};
};

TEST_F(ViolationLedgerTest, TheFirstIsAWarningAndRepeatsThatDayAreNotRecordedAgain) {
  ViolationLedger ledger = open();
  const auto first = ledger.record(offered("user_location"));
  ASSERT_TRUE(first);
  EXPECT_EQ(first->step, EscalationStep::warning);
  EXPECT_EQ(first->at, kStart);
  clock_.advance(hours(23));
  EXPECT_FALSE(ledger.record(offered("user_location")));  // the same offence, still today
  EXPECT_EQ(ledger.violations().size(), 1u);
  EXPECT_FALSE(ledger.standing(kExporter).withheld());
}

TEST_F(ViolationLedgerTest, ASecondOnDay29BlocksForExactly24Hours) {
  ViolationLedger ledger = open();
  ledger.record(offered("user_location"));
  clock_.set(kStart + days(29));
  const auto second = ledger.record(offered("user_identity"));
  ASSERT_TRUE(second);
  EXPECT_EQ(second->step, EscalationStep::telemetry_blocked);
  Standing standing = ledger.standing(kExporter);
  ASSERT_TRUE(standing.blocked_until);
  EXPECT_EQ(*standing.blocked_until, kStart + days(30));
  EXPECT_TRUE(standing.withheld());
  clock_.set(kStart + days(30) - seconds(1));
  EXPECT_TRUE(ledger.standing(kExporter).withheld());
  clock_.set(kStart + days(30));
  EXPECT_FALSE(ledger.standing(kExporter).withheld());
}

TEST_F(ViolationLedgerTest, ASecondOnDay31IsAWarningAgain) {
  ViolationLedger ledger = open();
  ledger.record(offered("user_location"));
  clock_.set(kStart + days(31));
  const auto second = ledger.record(offered("user_identity"));
  ASSERT_TRUE(second);
  EXPECT_EQ(second->step, EscalationStep::warning);
  EXPECT_EQ(ledger.standing(kExporter).in_window, 1u);
  EXPECT_EQ(ledger.standing(kExporter).total, 2u);
}

TEST_F(ViolationLedgerTest, AThirdQuarantinesUntilADecisionAndAFourthFlagsAPattern) {
  ViolationLedger ledger = open();
  for (int day = 0; day < 3; ++day) {
    clock_.set(kStart + days(day));
    ASSERT_TRUE(ledger.record(offered("user_location")));  // once a day, a continuing offence
  }
  EXPECT_EQ(ledger.violations(1).at(0).step, EscalationStep::quarantined);
  clock_.set(kStart + days(90));  // long after: the quarantine does not lapse by itself
  Standing standing = ledger.standing(kExporter);
  EXPECT_TRUE(standing.quarantined);
  EXPECT_FALSE(standing.blocked_until);
  EXPECT_FALSE(standing.flagged);
  EXPECT_TRUE(standing.withheld());

  clock_.set(kStart + days(3));
  ledger.record(offered("user_location"));
  EXPECT_TRUE(ledger.standing(kExporter).flagged);
}

TEST_F(ViolationLedgerTest, ADecisionNamingTheQuarantiningViolationLiftsItAndOnlyThat) {
  ViolationLedger ledger = open();
  EXPECT_EQ(*ledger.restore(kExporter, 1, "p1"),
            "'" + kExporter + "' is not quarantined by the charter on this node");
  for (int day = 0; day < 3; ++day) {
    clock_.set(kStart + days(day));
    ASSERT_TRUE(ledger.record(offered("user_location")));
  }
  const std::int64_t holding = ledger.violations(1).at(0).id;
  EXPECT_EQ(ledger.standing(kExporter).quarantined_by, holding);
  EXPECT_EQ(*ledger.restore(kExporter, holding - 1, "p1"),
            "the quarantine of '" + kExporter + "' is held by violation " +
                std::to_string(holding) + ", not " + std::to_string(holding - 1));
  EXPECT_TRUE(ledger.standing(kExporter).quarantined) << "a wrong violation lifts nothing";

  clock_.set(kStart + days(4));
  EXPECT_EQ(ledger.restore(kExporter, holding, "p1"), std::nullopt);
  Standing restored = ledger.standing(kExporter);
  EXPECT_FALSE(restored.quarantined);
  EXPECT_FALSE(restored.quarantined_by);
  EXPECT_FALSE(restored.withheld());
  EXPECT_EQ(restored.total, 3u) << "the history stays";
  ASSERT_EQ(ledger.restorations().size(), 1u);
  EXPECT_EQ(ledger.restorations()[0].decision, "p1");
  EXPECT_EQ(ledger.restorations()[0].at, kStart + days(4));
  EXPECT_TRUE(ledger.restore(kExporter, holding, "p1").has_value()) << "not twice";

  // Offending again within the window climbs on from where it was: quarantined again, by the
  // new violation, which the old decision does not name.
  clock_.set(kStart + days(5));
  const auto again = ledger.record(offered("user_location"));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->step, EscalationStep::legal_escalation);
  EXPECT_EQ(open().standing(kExporter).quarantined_by, again->id) << "and after a reopen";
}

TEST(RestoreDigest, NamesOneQuarantineOnOneNode) {
  const capability::Digest d = restore_digest("r1", "source 10.0.0.5", 7);
  EXPECT_EQ(d, restore_digest("r1", "source 10.0.0.5", 7));
  EXPECT_NE(d, restore_digest("r2", "source 10.0.0.5", 7));
  EXPECT_NE(d, restore_digest("r1", "source 10.0.0.6", 7));
  EXPECT_NE(d, restore_digest("r1", "source 10.0.0.5", 8));
  EXPECT_NE(restore_digest("r1", "1", 7), restore_digest("r", "11", 7)) << "framed";
}

TEST_F(ViolationLedgerTest, OffendersAreJudgedApart) {
  ViolationLedger ledger = open();
  ledger.record(offered("user_location", "http://127.0.0.1:9100/metrics"));
  const auto other = ledger.record(offered("user_location", "http://127.0.0.1:9200/metrics"));
  ASSERT_TRUE(other);
  EXPECT_EQ(other->step, EscalationStep::warning);
  const auto standings = ledger.standings();
  ASSERT_EQ(standings.size(), 2u);
  EXPECT_EQ(standings[0].offender, "http://127.0.0.1:9200/metrics");  // most recent first
}

TEST_F(ViolationLedgerTest, ARestartForgetsNothing) {
  {
    ViolationLedger ledger = open();
    ledger.record(offered("user_location"));
    clock_.advance(days(1));
    ledger.record(offered("user_location"));
  }
  ViolationLedger reopened = open();
  EXPECT_EQ(reopened.violations().size(), 2u);
  EXPECT_TRUE(reopened.standing(kExporter).withheld());
  EXPECT_EQ(std::filesystem::status(path()).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
}

TEST_F(ViolationLedgerTest, ARowThisAgentDidNotWriteIsRefusedByName) {
  {
    ViolationLedger ledger = open();
    ledger.record(offered("user_location"));
  }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path().c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "UPDATE violations SET step = 'pardoned'", nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  ViolationLedger ledger = open();
  try {
    ledger.violations();
    FAIL() << "a tampered row was read";
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find("violation 1 has step 'pardoned'"), std::string::npos)
        << e.what();
  }
  EXPECT_THROW(ledger.record(offered("user_identity")), std::exception);
}

}  // namespace
}  // namespace westworld::charter
