// ww_sources: one entry per source identity, created on the first packet that reaches
// anti-meave, and an LRU that evicts the coldest sources when full.
#include <string>

#include "guard_fixture.h"
#include "westworld/dataplane/status.h"

namespace westworld::bpf_test {
namespace {

constexpr const char* kNoLimits = "version: 1\n";

class SourcesTest : public GuardTest {};

TEST_F(SourcesTest, ASourceEntryCountsItsPacketsAndBytes) {
  apply(kNoLimits);
  const CounterSnapshot before = counters();
  uint64_t bytes = 0;
  for (int i = 0; i < 10; ++i) {
    const Frame frame = udp4("10.0.0.1", "192.0.2.1", 1, 2, static_cast<size_t>(i * 10));
    bytes += frame.size();
    EXPECT_EQ(run_xdp(frame), Verdict::pass);
  }
  EXPECT_EQ(since(before).stat(WW_STAT_SOURCES_NEW), 1u);
  const std::optional<ww_source> entry = source("10.0.0.1");
  ASSERT_TRUE(entry);
  EXPECT_EQ(entry->packets, 10u);
  EXPECT_EQ(entry->bytes, bytes);
  EXPECT_EQ(entry->dropped_quota, 0u);
  EXPECT_GT(entry->first_seen_ns, 0u);
  EXPECT_LE(entry->first_seen_ns, entry->last_seen_ns);
}

class SmallSourcesLruTest : public GuardTest {
 protected:
  uint32_t max_sources() const override { return 64; }
};

TEST_F(SmallSourcesLruTest, AFullTableEvictsTheColdestSources) {
  apply(kNoLimits);
  ASSERT_EQ(guard().max_sources(), 64u);
  const CounterSnapshot before = counters();
  std::string last;
  for (int i = 0; i < 200; ++i) {
    last = "10.1." + std::to_string(i / 100) + "." + std::to_string(i % 100 + 1);
    EXPECT_EQ(run_xdp(udp4(last, "192.0.2.1", 1, 2)), Verdict::pass)
        << "eviction must never cost a packet";
  }
  EXPECT_EQ(since(before).stat(WW_STAT_SOURCES_NEW), 200u);

  const size_t tracked = source_count();
  EXPECT_GT(tracked, 0u);
  EXPECT_LE(tracked, 64u);
  EXPECT_TRUE(source(last)) << "the newest source must survive eviction";

  const dataplane::SourcesStatus sources = dataplane::read_guard_status(guard(), {}).sources;
  EXPECT_EQ(sources.created, 200u);
  EXPECT_EQ(sources.tracked, tracked);
  EXPECT_EQ(sources.max, 64u);
  EXPECT_GT(sources.evicted, 0u);
  EXPECT_EQ(sources.evicted, 200u - tracked);
}

}  // namespace
}  // namespace westworld::bpf_test
