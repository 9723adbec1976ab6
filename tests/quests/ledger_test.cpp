// The ledger on a real database file: double entry sums to zero, balances are derived from
// entries, a claim grants once however often and however concurrently it is made, verify()
// notices rows changed by raw SQL, and leaderboards and settlement digests add up.
#include "westworld/quests/ledger.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <latch>
#include <thread>
#include <vector>

namespace westworld::quests {
namespace {

using namespace std::chrono_literals;

class LedgerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::filesystem::temp_directory_path() /
           ("ww-ledger-" + std::to_string(::getpid()) + "-" + test->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    path_ = dir_ / "ledger.db";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  Ledger open() { return Ledger(path_, true, clock_); }

  // Changes the file behind the ledger's back, as an attacker with the file would.
  void raw_sql(const std::string& sql) {
    audit::sqlite::Database db(path_, false);
    db.exec(sql);
  }

  static Claim claim_of(std::string node, std::string step, uint64_t points,
                        Category category = Category::mesh_builder, int64_t period = 0) {
    Claim claim;
    claim.quest = "build-a-node";
    claim.category = category;
    claim.node = std::move(node);
    claim.step = std::move(step);
    claim.period = period;
    claim.reward.points = points;
    return claim;
  }

  std::filesystem::path dir_;
  std::filesystem::path path_;
  common::ManualClock clock_{common::UnixSeconds(std::chrono::seconds(1'800'000'000))};
};

TEST_F(LedgerTest, EveryRewardIsTwoEntriesSummingToZero) {
  Ledger ledger = open();
  const ClaimResult result = ledger.claim(claim_of("n1", "enforce", 50));
  ASSERT_TRUE(result.granted);
  const std::vector<Entry> entries = ledger.entries(result.transaction);
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].account, kMintAccount);
  EXPECT_EQ(entries[0].amount, -50);
  EXPECT_EQ(entries[1].account, "n1");
  EXPECT_EQ(entries[1].amount, 50);
  EXPECT_EQ(ledger.balance("n1"), 50);
  EXPECT_EQ(ledger.balance(kMintAccount), -50);
  EXPECT_TRUE(ledger.verify().empty());
}

TEST_F(LedgerTest, BalancesAreDerivedFromEntries) {
  Ledger ledger = open();
  ledger.claim(claim_of("n1", "enforce", 50));
  ledger.claim(claim_of("n1", "connect", 100));
  ledger.claim(claim_of("n2", "enforce", 50));
  EXPECT_EQ(ledger.balance("n1"), 150);
  EXPECT_EQ(ledger.balance("n2"), 50);
  EXPECT_EQ(ledger.balance(kMintAccount), -200);
  EXPECT_EQ(ledger.balance("nobody"), 0);
  // No stored balance to drift: an entry added by hand shows in the balance at once (and
  // verify() reports its transaction no longer sums to zero).
  raw_sql("INSERT INTO entries (txn, account, amount) VALUES (1, 'n1', 7)");
  EXPECT_EQ(ledger.balance("n1"), 157);
  EXPECT_FALSE(ledger.verify().empty());
}

TEST_F(LedgerTest, RepeatedClaimGrantsOnce) {
  Ledger ledger = open();
  const ClaimResult first = ledger.claim(claim_of("n1", "enforce", 50));
  const ClaimResult again = ledger.claim(claim_of("n1", "enforce", 50));
  EXPECT_TRUE(first.granted);
  EXPECT_FALSE(again.granted);
  EXPECT_EQ(again.transaction, first.transaction);
  EXPECT_EQ(ledger.balance("n1"), 50);
  // Reopening the file (a restarted agent) does not reset anything.
  Ledger reopened = open();
  EXPECT_FALSE(reopened.claim(claim_of("n1", "enforce", 50)).granted);
  EXPECT_EQ(reopened.balance("n1"), 50);
  // The next period of a repeating quest is a new key.
  EXPECT_TRUE(reopened.claim(claim_of("n1", "enforce", 50, Category::mesh_builder, 1)).granted);
  EXPECT_EQ(reopened.balance("n1"), 100);
}

TEST_F(LedgerTest, ConcurrentClaimsFromThreadsGrantOnce) {
  open();  // creates the file and schema
  constexpr int kThreads = 16;
  std::latch start(kThreads);
  std::atomic<int> granted{0};
  std::vector<int64_t> transactions(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      // Each thread its own connection to the one file, as separate processes would be.
      Ledger ledger(path_, false, clock_);
      start.arrive_and_wait();
      const ClaimResult result = ledger.claim(claim_of("n1", "enforce", 50));
      if (result.granted) ++granted;
      transactions[static_cast<size_t>(i)] = result.transaction;
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(granted.load(), 1);
  for (int64_t transaction : transactions) EXPECT_EQ(transaction, transactions[0]);
  Ledger ledger = open();
  EXPECT_EQ(ledger.balance("n1"), 50);
  EXPECT_EQ(ledger.entries(transactions[0]).size(), 2u);
  EXPECT_TRUE(ledger.verify().empty());
}

TEST_F(LedgerTest, OneLedgerSharedByThreads) {
  Ledger ledger = open();
  constexpr int kThreads = 8;
  std::latch start(kThreads);
  std::atomic<int> granted{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      start.arrive_and_wait();
      // Every thread claims the shared step and one of its own.
      if (ledger.claim(claim_of("n1", "enforce", 50)).granted) ++granted;
      EXPECT_TRUE(ledger.claim(claim_of("n" + std::to_string(i + 10), "enforce", 5)).granted);
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(granted.load(), 1);
  EXPECT_EQ(ledger.balance("n1"), 50);
  EXPECT_EQ(ledger.balance(kMintAccount), -(50 + kThreads * 5));
  EXPECT_TRUE(ledger.verify().empty());
}

TEST_F(LedgerTest, BadgesAndRolesAreRecordedOnce) {
  Ledger ledger = open();
  Claim claim = claim_of("n1", "connect", 100);
  claim.reward.badge = "node-builder";
  ledger.claim(claim);
  ledger.claim(claim);
  Claim role_only = claim_of("n1", "share", 0, Category::guardian);
  role_only.quest = "guard-the-vault";
  role_only.reward.role = "guardian";
  const ClaimResult role = ledger.claim(role_only);
  EXPECT_TRUE(role.granted);
  EXPECT_TRUE(ledger.entries(role.transaction).empty());  // no points, no entries
  const std::vector<Award> awards = ledger.awards("n1");
  ASSERT_EQ(awards.size(), 2u);
  EXPECT_EQ(awards[0].kind, "badge");
  EXPECT_EQ(awards[0].name, "node-builder");
  EXPECT_EQ(awards[1].kind, "role");
  EXPECT_EQ(awards[1].quest, "guard-the-vault");
  EXPECT_TRUE(ledger.awards("n2").empty());
}

TEST_F(LedgerTest, HistoryListsGrantsInOrder) {
  Ledger ledger = open();
  ledger.claim(claim_of("n1", "enforce", 50));
  clock_.advance(1h);
  ledger.claim(claim_of("n1", "connect", 100));
  ledger.claim(claim_of("n2", "enforce", 50));
  const std::vector<HistoryItem> history = ledger.history("n1");
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[0].step, "enforce");
  EXPECT_EQ(history[0].points, 50);
  EXPECT_EQ(history[1].step, "connect");
  EXPECT_EQ(history[1].granted_at - history[0].granted_at, 1h);
}

TEST_F(LedgerTest, RefusesClaimsThatGrantNothingOrMint) {
  Ledger ledger = open();
  EXPECT_THROW(ledger.claim(claim_of("n1", "enforce", 0)), std::invalid_argument);
  EXPECT_THROW(ledger.claim(claim_of(std::string(kMintAccount), "enforce", 5)),
               std::invalid_argument);
  EXPECT_THROW(ledger.claim(claim_of("", "enforce", 5)), std::invalid_argument);
}

TEST_F(LedgerTest, LeaderboardByCategory) {
  Ledger ledger = open();
  ledger.claim(claim_of("n1", "enforce", 50));
  ledger.claim(claim_of("n2", "enforce", 50));
  ledger.claim(claim_of("n2", "connect", 100));
  ledger.claim(claim_of("n3", "enforce", 50));
  Claim vote = claim_of("n3", "first-vote", 500, Category::governance_active);
  vote.quest = "vote";
  ledger.claim(vote);

  const std::vector<Standing> builders = ledger.leaderboard(Category::mesh_builder);
  ASSERT_EQ(builders.size(), 3u);
  EXPECT_EQ(builders[0].node, "n2");
  EXPECT_EQ(builders[0].points, 150);
  EXPECT_EQ(builders[1].node, "n1");  // ties by node id
  EXPECT_EQ(builders[2].node, "n3");
  EXPECT_EQ(builders[2].points, 50);

  const std::vector<Standing> overall = ledger.leaderboard();
  ASSERT_EQ(overall.size(), 3u);
  EXPECT_EQ(overall[0].node, "n3");
  EXPECT_EQ(overall[0].points, 550);
  EXPECT_TRUE(ledger.leaderboard(Category::crisis_helper).empty());
  // The leaderboard reconciles with the mint: everything credited was minted.
  int64_t total = 0;
  for (const Standing& standing : overall) total += standing.points;
  EXPECT_EQ(total, -ledger.balance(kMintAccount));
}

TEST_F(LedgerTest, VerifyFindsATamperedRow) {
  Ledger ledger = open();
  ledger.claim(claim_of("n1", "enforce", 50));
  const ClaimResult second = ledger.claim(claim_of("n2", "enforce", 50));
  ASSERT_TRUE(ledger.verify().empty());
  raw_sql("UPDATE entries SET amount = 5000 WHERE account = 'n2'");
  const std::vector<LedgerProblem> problems = ledger.verify();
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].transaction, second.transaction);
  EXPECT_NE(problems[0].description.find("sums to 4950"), std::string::npos)
      << problems[0].description;
}

TEST_F(LedgerTest, VerifyFindsCreditsRedirectedAndOrphaned) {
  Ledger ledger = open();
  const ClaimResult first = ledger.claim(claim_of("n1", "enforce", 50));
  // Still sums to zero, but pays someone who never claimed.
  raw_sql("UPDATE entries SET account = 'thief' WHERE account = 'n1'");
  std::vector<LedgerProblem> problems = ledger.verify();
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].transaction, first.transaction);
  EXPECT_NE(problems[0].description.find("'thief'"), std::string::npos);
  raw_sql("UPDATE entries SET account = 'n1' WHERE account = 'thief'");
  raw_sql("INSERT INTO entries (txn, account, amount) VALUES (99, 'n1', 10), (99, 'mint', -10)");
  problems = ledger.verify();
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_NE(problems[0].description.find("belongs to no transaction"), std::string::npos);
}

TEST_F(LedgerTest, SettlementDigestsBatchesAndDetectsLaterChanges) {
  Ledger ledger = open();
  ledger.claim(claim_of("n1", "enforce", 50));
  ledger.claim(claim_of("n2", "enforce", 50));
  const std::optional<Batch> first = ledger.settle();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->first_transaction, 1);
  EXPECT_EQ(first->last_transaction, 2);
  EXPECT_EQ(first->entries, 4);
  EXPECT_EQ(first->minted, 100);
  EXPECT_FALSE(ledger.settle());  // nothing new to settle

  ledger.claim(claim_of("n3", "enforce", 70));
  const std::optional<Batch> second = ledger.settle();
  ASSERT_TRUE(second);
  EXPECT_EQ(second->first_transaction, 3);
  EXPECT_EQ(second->minted, 70);
  EXPECT_NE(second->digest, first->digest);
  const std::vector<Batch> stored = ledger.batches();
  ASSERT_EQ(stored.size(), 2u);
  EXPECT_EQ(stored[0].digest, first->digest);
  EXPECT_TRUE(ledger.verify().empty());

  // Both sides changed together still sum to zero; the settled digest catches it.
  raw_sql("UPDATE entries SET amount = amount * 10 WHERE txn = 1");
  const std::vector<LedgerProblem> problems = ledger.verify();
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].description.find("batch 1 no longer matches"), std::string::npos);
}

TEST_F(LedgerTest, SameClaimsGiveTheSameDigest) {
  // The digest depends on the ledger's content, not the file: two ledgers written alike agree.
  capability::Digest digests[2];
  for (int i = 0; i < 2; ++i) {
    path_ = dir_ / ("ledger" + std::to_string(i) + ".db");
    Ledger ledger = open();
    ledger.claim(claim_of("n1", "enforce", 50));
    digests[i] = ledger.settle()->digest;
  }
  EXPECT_EQ(digests[0], digests[1]);
}

}  // namespace
}  // namespace westworld::quests
