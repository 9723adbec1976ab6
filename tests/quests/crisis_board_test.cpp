// The crises table on a real quests database: a crisis opens, stays the only one of its kind
// while open (a burst of alerts, a second flooder, a second process), closes exactly one crisis
// window after it opened, and then lets the next one open. The ledger shares the file.
#include "westworld/quests/crisis_board.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "scratch_dir.h"
#include "westworld/quests/ledger.h"

namespace westworld::quests {
namespace {

using namespace std::chrono_literals;

const common::UnixSeconds kOpened{std::chrono::seconds(1'800'000'000)};

class CrisisBoardTest : public ::testing::Test {
 protected:
  std::filesystem::path database() const { return scratch_ / "quests.db"; }

  harness::ScratchDir scratch_{"ww-crisis-board"};
};

TEST_F(CrisisBoardTest, AFloodOpensACrisisForTwelveHours) {
  CrisisBoard board(database(), true);
  const CrisisOpening opening = board.open(CrisisKind::flood, "10.0.0.7", 4, kOpened);
  ASSERT_TRUE(opening.opened);
  const Crisis& crisis = opening.crisis;
  EXPECT_GT(crisis.id, 0);
  EXPECT_EQ(crisis.kind, CrisisKind::flood);
  EXPECT_EQ(crisis.subject, "10.0.0.7");
  EXPECT_EQ(crisis.alert_id, 4u);
  EXPECT_EQ(crisis.opened_at, kOpened);
  EXPECT_EQ(crisis.closes_at, kOpened + 12h);

  EXPECT_FALSE(board.newest_open(CrisisKind::flood, kOpened - 1s)) << "not open before it opened";
  const auto last_second = board.newest_open(CrisisKind::flood, kOpened + 12h - 1s);
  ASSERT_TRUE(last_second);
  EXPECT_EQ(last_second->id, crisis.id);
  EXPECT_FALSE(board.newest_open(CrisisKind::flood, kOpened + 12h)) << "closed at +12h exactly";
}

TEST_F(CrisisBoardTest, NoSecondCrisisOfAKindWhileOneIsOpen) {
  CrisisBoard board(database(), true);
  const Crisis first = board.open(CrisisKind::flood, "10.0.0.7", 4, kOpened).crisis;
  // The same flood alerting again, and another source flooding, while the crisis is open.
  for (const auto& [subject, alert, at] : {std::tuple{"10.0.0.7", 5u, kOpened + 2s},
                                           {"10.0.0.9", 6u, kOpened + 1h},
                                           {"10.0.0.7", 9u, kOpened + 12h - 1s}}) {
    const CrisisOpening again = board.open(CrisisKind::flood, subject, alert, at);
    EXPECT_FALSE(again.opened) << subject << " at +" << (at - kOpened).count() << " s";
    EXPECT_EQ(again.crisis.id, first.id);
    EXPECT_EQ(again.crisis.subject, "10.0.0.7") << "the open crisis is returned unchanged";
  }
  EXPECT_EQ(board.closing_after(kOpened - 1s).size(), 1u);

  // Once it has closed, the next flood opens a new crisis.
  const CrisisOpening next = board.open(CrisisKind::flood, "10.0.0.9", 11, kOpened + 12h);
  ASSERT_TRUE(next.opened);
  EXPECT_NE(next.crisis.id, first.id);
  EXPECT_EQ(board.newest_open(CrisisKind::flood, kOpened + 12h)->id, next.crisis.id);
}

TEST_F(CrisisBoardTest, ListsOpenAndRecentlyClosedNewestFirst) {
  CrisisBoard board(database(), true);
  const Crisis old = board.open(CrisisKind::flood, "10.0.0.1", 1, kOpened - 48h).crisis;
  const Crisis recent = board.open(CrisisKind::flood, "10.0.0.2", 2, kOpened - 13h).crisis;
  const Crisis open = board.open(CrisisKind::flood, "10.0.0.3", 3, kOpened).crisis;
  const std::vector<Crisis> shown = board.closing_after(kOpened - 24h);
  ASSERT_EQ(shown.size(), 2u);
  EXPECT_EQ(shown[0].id, open.id);
  EXPECT_EQ(shown[1].id, recent.id);
  EXPECT_NE(shown[1].id, old.id);
  EXPECT_TRUE(shown[0].open_at(kOpened + 1h));
  EXPECT_FALSE(shown[1].open_at(kOpened + 1h));
}

// The agent writes the crises and wwctl reads them, each with its own connection, beside the
// ledger in the same file.
TEST_F(CrisisBoardTest, SharedWithOtherConnectionsAndTheLedger) {
  common::ManualClock clock(kOpened);
  Ledger ledger(database(), true, clock);
  {
    CrisisBoard writer(database(), false);
    writer.open(CrisisKind::flood, "10.0.0.7", 4, kOpened);
  }
  CrisisBoard reader(database(), false);
  const auto crisis = reader.newest_open(CrisisKind::flood, kOpened + 1h);
  ASSERT_TRUE(crisis);
  EXPECT_EQ(crisis->subject, "10.0.0.7");
  EXPECT_TRUE(ledger
                  .claim({"contain-a-flood",
                          Category::crisis_helper,
                          "n1",
                          "contain",
                          kOpened.time_since_epoch().count(),
                          {60, "", ""}})
                  .granted);
  EXPECT_TRUE(ledger.verify().empty());
}

// Two openers at once (the agent and, say, a second agent on the same data directory): one
// crisis opens.
TEST_F(CrisisBoardTest, ConcurrentOpenersOpenOneCrisis) {
  CrisisBoard{database(), true};
  constexpr int kOpeners = 8;
  std::atomic<int> opened{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kOpeners; ++i) {
    threads.emplace_back([&, i] {
      CrisisBoard board(database(), false);
      if (board
              .open(CrisisKind::flood, "10.0.0." + std::to_string(i), static_cast<uint64_t>(i),
                    kOpened)
              .opened)
        ++opened;
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(opened.load(), 1);
  EXPECT_EQ(CrisisBoard(database(), false).closing_after(kOpened - 1s).size(), 1u);
}

}  // namespace
}  // namespace westworld::quests
