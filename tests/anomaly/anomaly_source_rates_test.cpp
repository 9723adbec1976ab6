// Per-window rates from cumulative per-source counters.
#include <gtest/gtest.h>

#include "source_table_builder.h"
#include "westworld/anomaly/source_rates.h"

namespace westworld::anomaly {
namespace {

using testing::key_of;
using testing::SourceTable;

constexpr uint64_t kSecond = 1'000'000'000ULL;

TEST(AnomalySourceRates, TheFirstSnapshotHasNoRates) {
  SourceRateTable table;
  SourceTable sources;
  sources.add("10.0.0.1", 1000);
  RateSnapshot first = table.update(sources.keys, sources.values, kSecond, 10, {});
  EXPECT_EQ(first.seconds, 0);
  EXPECT_TRUE(first.busiest.empty());
  EXPECT_EQ(first.tracked_sources, 1u);
}

TEST(AnomalySourceRates, RatesAreTheDeltasOverTheWindow) {
  SourceRateTable table;
  SourceTable sources;
  sources.add("10.0.0.1", 1000).add("10.0.0.2", 50);
  table.update(sources.keys, sources.values, kSecond, 10, {});
  sources.add("10.0.0.1", 400).add("10.0.0.2", 100);
  RateSnapshot snapshot = table.update(sources.keys, sources.values, 3 * kSecond, 10, {});
  EXPECT_DOUBLE_EQ(snapshot.seconds, 2);
  ASSERT_EQ(snapshot.busiest.size(), 2u);
  EXPECT_EQ(format_source(snapshot.busiest[0].key), "10.0.0.1");
  EXPECT_DOUBLE_EQ(snapshot.busiest[0].pps, 200);
  EXPECT_DOUBLE_EQ(snapshot.busiest[0].bps, 20000);
  EXPECT_DOUBLE_EQ(snapshot.busiest[1].pps, 50);
  EXPECT_DOUBLE_EQ(snapshot.interfaces.at(1).pps, 250);
  EXPECT_EQ(snapshot.interfaces.at(1).active_sources, 2u);
  EXPECT_DOUBLE_EQ(snapshot.share(snapshot.busiest[0]), 0.8);
}

TEST(AnomalySourceRates, SharesArePerInterface) {
  SourceRateTable table;
  SourceTable sources;
  sources.add("10.0.0.1", 0, 1).add("10.0.0.2", 0, 1).add("10.0.1.1", 0, 2);
  table.update(sources.keys, sources.values, kSecond, 10, {});
  sources.add("10.0.0.1", 30, 1).add("10.0.0.2", 10, 1).add("10.0.1.1", 1000, 2);
  RateSnapshot snapshot = table.update(sources.keys, sources.values, 2 * kSecond, 10, {});
  EXPECT_DOUBLE_EQ(snapshot.share(*snapshot.find(key_of("10.0.0.1"))), 0.75);
  EXPECT_DOUBLE_EQ(snapshot.share(*snapshot.find(key_of("10.0.1.1"))), 1.0);
}

TEST(AnomalySourceRates, OnlyTheBusiestAreKeptButEverySourceCountsInTheTotals) {
  SourceRateTable table;
  SourceTable sources;
  for (int i = 1; i <= 200; ++i) sources.add("10.0.1." + std::to_string(i), 0);
  table.update(sources.keys, sources.values, kSecond, 5, {});
  for (int i = 1; i <= 200; ++i) sources.add("10.0.1." + std::to_string(i), i);
  RateSnapshot snapshot = table.update(sources.keys, sources.values, 2 * kSecond, 5, {});
  ASSERT_EQ(snapshot.busiest.size(), 5u);
  EXPECT_DOUBLE_EQ(snapshot.busiest[0].pps, 200);
  EXPECT_DOUBLE_EQ(snapshot.busiest[4].pps, 196);
  EXPECT_DOUBLE_EQ(snapshot.interfaces.at(1).pps, 200 * 201 / 2);
  EXPECT_EQ(snapshot.interfaces.at(1).active_sources, 200u);
}

TEST(AnomalySourceRates, WatchedSourcesAreReportedEvenWhenIdle) {
  SourceRateTable table;
  SourceTable sources;
  sources.add("10.0.0.1", 100).add("10.0.0.9", 5);
  table.update(sources.keys, sources.values, kSecond, 1, {});
  sources.add("10.0.0.1", 100);
  SourceKeySet watched{key_of("10.0.0.9")};
  RateSnapshot snapshot = table.update(sources.keys, sources.values, 2 * kSecond, 1, watched);
  const SourceRate* idle = snapshot.find(key_of("10.0.0.9"));
  ASSERT_NE(idle, nullptr);
  EXPECT_EQ(idle->pps, 0);
  EXPECT_EQ(idle->packets, 5u);
}

TEST(AnomalySourceRates, AnEvictedSourceThatReturnsCountsFromZero) {
  SourceRateTable table;
  SourceTable sources;
  sources.add("10.0.0.1", 5000);
  table.update(sources.keys, sources.values, kSecond, 10, {});
  sources.remove("10.0.0.1");
  table.update(sources.keys, sources.values, 2 * kSecond, 10, {});
  sources.add("10.0.0.1", 30);
  RateSnapshot snapshot = table.update(sources.keys, sources.values, 3 * kSecond, 10, {});
  ASSERT_EQ(snapshot.busiest.size(), 1u);
  EXPECT_DOUBLE_EQ(snapshot.busiest[0].pps, 30);
}

}  // namespace
}  // namespace westworld::anomaly
