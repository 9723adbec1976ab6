// The per-source detectors over a whole table of sources.
#include <gtest/gtest.h>

#include <set>

#include "source_table_builder.h"
#include "synthetic_series.h"
#include "westworld/anomaly/source_watch.h"

namespace westworld::anomaly {
namespace {

using testing::key_of;
using testing::SourceTable;

constexpr uint64_t kSecond = 1'000'000'000ULL;

policy::DetectSettings settings() {
  policy::DetectSettings s;
  s.track_sources = 16;
  s.rate_jump.warmup_windows = 5;
  return s;
}

// Ten sources at ~1,000 pps each on one interface; from `flood_at` on, the first floods.
struct Mesh {
  SourceTable sources;
  SourceRateTable rates;
  uint64_t window = 0;

  RateSnapshot next(double flood_factor, const SourceKeySet& watched) {
    for (int i = 1; i <= 10; ++i) {
      const double factor = i == 1 ? flood_factor : 1.0;
      sources.add("10.0.0." + std::to_string(i), static_cast<uint64_t>(1000 * factor));
    }
    ++window;
    return rates.update(sources.keys, sources.values, window * kSecond, 32, watched);
  }
};

TEST(AnomalySourceWatch, AFloodingSourceIsFoundByBothDetectors) {
  SourceWatch watch(settings());
  Mesh mesh;
  std::vector<SourceFinding> findings;
  for (int w = 0; w < 30; ++w) watch.observe(mesh.next(1, watch.watched()));
  // Share 0.77: 0.22 of CUSUM evidence per window against a limit of 2.
  for (int w = 0; w < 12; ++w) {
    auto found = watch.observe(mesh.next(30, watch.watched()));
    findings.insert(findings.end(), found.begin(), found.end());
  }
  ASSERT_EQ(findings.size(), 2u);
  std::set<std::string> detectors;
  for (const SourceFinding& f : findings) {
    EXPECT_EQ(format_source(f.key), "10.0.0.1");
    EXPECT_EQ(f.ifindex, 1u);
    detectors.insert(f.finding.detector);
  }
  EXPECT_EQ(detectors, (std::set<std::string>{"rate_jump", "share_creep"}));
  EXPECT_TRUE(watch.flagged(key_of("10.0.0.1")));
  EXPECT_FALSE(watch.flagged(key_of("10.0.0.2")));
}

TEST(AnomalySourceWatch, TrackingIsBoundedByTrackSources) {
  SourceWatch watch(settings());
  SourceTable sources;
  SourceRateTable rates;
  for (uint64_t w = 1; w <= 50; ++w) {
    // A spoofed flood: 500 new sources every window.
    for (int i = 0; i < 500; ++i)
      sources.add(
          "10." + std::to_string(w) + "." + std::to_string(i / 250) + "." + std::to_string(i % 250),
          10);
    watch.observe(rates.update(sources.keys, sources.values, w * kSecond, 32, watch.watched()));
    EXPECT_LE(watch.tracked(), 4u * 16u);
  }
}

TEST(AnomalySourceWatch, ShareIsNotJudgedOnALinkWithTooFewTalkers) {
  policy::DetectSettings s = settings();
  s.rate_jump.enabled = false;
  SourceWatch watch(s);
  SourceTable sources;
  SourceRateTable rates;
  int findings = 0;
  for (uint64_t w = 1; w <= 100; ++w) {
    sources.add("10.0.0.1", 5000).add("10.0.0.2", 10);  // two talkers, one at 99.8 %
    findings +=
        watch.observe(rates.update(sources.keys, sources.values, w * kSecond, 32, watch.watched()))
            .size();
  }
  EXPECT_EQ(findings, 0);
}

}  // namespace
}  // namespace westworld::anomaly
