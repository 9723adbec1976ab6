// prometheus(QUERY) gates in the rollout state machine, against a fake Prometheus: asked once
// per sample (not per router) for the baking wave, a wave promoted only after enough samples
// within the threshold, no data (nothing selected, NaN, no Prometheus) making the wave wait
// until too much of it aborts, and a value over the threshold or several series aborting.
#include <gtest/gtest.h>

#include "fake_metrics.h"
#include "rollout_fleet.h"

namespace westworld::governance {
namespace {

using namespace rollout_testing;
using testing::FakeMetrics;

const std::string kDrops =
    R"(prometheus(sum(rate(westworld_drops_total{reason="rule",node=~"$nodes"}[30s]))) <= 50)";

// A fleet of `count` routers whose proposal has the router gate restarts == 0 and kDrops,
// asking `prometheus`.
struct QueryFleet : Fleet {
  QueryFleet(std::size_t count, FakeMetrics& prometheus,
             std::vector<std::string> gates = {"restarts == 0", kDrops})
      : Fleet(count, {"1", "100%"}, std::move(gates), seconds(60)) {
    metrics = &prometheus;
    settings.min_samples = 3;
  }
};

// The wave's routers as $nodes stands for them in the query.
std::string alternation(const std::vector<std::string>& nodes) {
  std::string out;
  for (const std::string& node : nodes) out += (out.empty() ? "" : "|") + node;
  return out;
}

TEST(RolloutQueryGate, AWaveIsPromotedAfterEnoughGoodSamples) {
  FakeMetrics prometheus;
  prometheus.answer({"12.5"});
  QueryFleet f(3, prometheus);
  ASSERT_EQ(f.state.waves[1].nodes.size(), 2u);

  // The routers' baselines: nothing is known about the policy yet, nothing is asked.
  EXPECT_TRUE(f.sample(0).empty());
  EXPECT_TRUE(prometheus.asked.empty());
  for (std::int64_t t : {10, 20, 30, 59}) {
    EXPECT_TRUE(f.sample(t).empty()) << t;
    EXPECT_EQ(f.state.waves[0].state, WavePhase::baking) << t;
  }
  EXPECT_EQ(f.state.waves[0].samples, 4u);
  EXPECT_EQ(prometheus.asked.size(), 4u);  // once per sample
  EXPECT_TRUE(contains(prometheus.asked.back(), R"(node=~")" + f.node(0) + R"(")"))
      << prometheus.asked.back();

  EXPECT_EQ(kinds(f.sample(60)),
            (std::vector<std::string>{"gate_verdict", "promotion", "wave_start"}));
  EXPECT_EQ(prometheus.asked.size(), 5u);

  // Wave 2: two routers, still one query per sample, over them and not the canary.
  f.sample(70);  // their baselines
  EXPECT_EQ(prometheus.asked.size(), 5u);
  f.sample(80);
  ASSERT_EQ(prometheus.asked.size(), 6u);
  EXPECT_TRUE(contains(prometheus.asked.back(),
                       R"(node=~")" + alternation(f.state.waves[1].nodes) + R"(")"))
      << prometheus.asked.back();
  EXPECT_EQ(f.state.waves[1].samples, 1u);
}

TEST(RolloutQueryGate, AValueOverTheThresholdAborts) {
  FakeMetrics prometheus;
  QueryFleet f(2, prometheus);
  f.sample(0);
  prometheus.answer({"50"});  // exactly the limit: healthy
  EXPECT_TRUE(f.sample(10).empty());
  EXPECT_EQ(f.state.waves[0].samples, 1u);

  prometheus.answer({"50.5"});
  EXPECT_EQ(kinds(f.sample(20)), (std::vector<std::string>{"gate_verdict", "abort"}));
  EXPECT_EQ(f.state.state, RolloutPhase::aborted);
  EXPECT_EQ(f.state.waves[0].state, WavePhase::failed);
  EXPECT_EQ(f.state.waves[0].ended, kStart + 20);
  EXPECT_EQ(f.state.reason, "wave 1: gate '" + kDrops + "' failed: value = 50.5");
  EXPECT_FALSE(releases(f.state, f.proposal, f.node(0)));
}

// Several series under one threshold: which one did the members mean? Failing says so now.
TEST(RolloutQueryGate, SeveralSeriesAbort) {
  FakeMetrics prometheus;
  QueryFleet f(2, prometheus);
  f.sample(0);
  prometheus.answer({"1", "2"});
  EXPECT_EQ(kinds(f.sample(10)), (std::vector<std::string>{"gate_verdict", "abort"}));
  EXPECT_TRUE(contains(f.state.reason, "wave 1: gate '" + kDrops +
                                           "' failed: the query returned "
                                           "2 series"))
      << f.state.reason;
}

// Nothing selected or NaN is no data: the wave waits (no good sample, no failure) and a good
// answer ends the streak.
TEST(RolloutQueryGate, NoDataMakesTheWaveWait) {
  FakeMetrics prometheus;
  QueryFleet f(2, prometheus);
  f.sample(0);  // the baselines: the first sample without data
  prometheus.answer({});
  EXPECT_TRUE(f.sample(10).empty());
  EXPECT_EQ(f.state.state, RolloutPhase::running);
  EXPECT_EQ(f.state.waves[0].samples, 0u);
  EXPECT_EQ(f.state.waves[0].nodata, 2u);
  EXPECT_EQ(
      f.state.waves[0].verdict,
      "inconclusive: gate '" + kDrops + "': no data: the query selected nothing (an empty vector)");

  prometheus.answer({"NaN"});
  EXPECT_TRUE(f.sample(20).empty());
  EXPECT_EQ(f.state.waves[0].nodata, 3u);
  EXPECT_TRUE(contains(f.state.waves[0].verdict, "no data: the value is NaN"))
      << f.state.waves[0].verdict;

  prometheus.answer({"3"});
  EXPECT_TRUE(f.sample(30).empty());
  EXPECT_EQ(f.state.waves[0].nodata, 0u);
  EXPECT_EQ(f.state.waves[0].samples, 1u);
}

TEST(RolloutQueryGate, SustainedNoDataAborts) {
  FakeMetrics prometheus;
  QueryFleet f(2, prometheus);
  f.settings.nodata_limit = 4;
  f.sample(0);  // the baselines: the first sample without data
  prometheus.answer({});
  EXPECT_TRUE(f.sample(10).empty());
  EXPECT_TRUE(f.sample(20).empty());
  // The routers not reporting again changes nothing: Prometheus is still asked, still empty.
  EXPECT_EQ(kinds(f.step(25)), (std::vector<std::string>{"abort"}));
  EXPECT_EQ(f.state.state, RolloutPhase::aborted);
  EXPECT_EQ(f.state.waves[0].state, WavePhase::failed);
  EXPECT_EQ(f.state.waves[0].samples, 0u);
  EXPECT_TRUE(contains(f.state.reason, "wave 1: no data for 4 samples in a row (gate '" + kDrops +
                                           "': no data: the query selected nothing"))
      << f.state.reason;
}

// A coordinator without --gov-prometheus cannot pass a query gate, however healthy the
// routers: its rollout waits, then aborts.
TEST(RolloutQueryGate, WithoutPrometheusItIsNoData) {
  FakeMetrics unused;
  QueryFleet f(1, unused);
  f.metrics = nullptr;
  f.settings.nodata_limit = 3;
  f.sample(0);  // the baseline: the first sample without data
  EXPECT_TRUE(f.sample(10).empty());
  EXPECT_TRUE(contains(f.state.waves[0].verdict, "no Prometheus to ask (--gov-prometheus)"))
      << f.state.waves[0].verdict;
  EXPECT_EQ(kinds(f.sample(20)), (std::vector<std::string>{"abort"}));
  EXPECT_EQ(f.state.waves[0].samples, 0u);
}

// A Prometheus that does not answer is asked once per sample, not once per query gate: each
// more would wait out its own timeout to say the same.
TEST(RolloutQueryGate, AnUnansweredQueryEndsTheSamplesQuestions) {
  FakeMetrics prometheus;
  prometheus.reachable = false;
  QueryFleet f(1, prometheus, {kDrops, "prometheus(max(westworld_quarantined_sources)) == 0"});
  f.sample(0);
  EXPECT_TRUE(f.sample(10).empty());
  EXPECT_EQ(prometheus.asked.size(), 1u);
  EXPECT_EQ(f.state.waves[0].nodata, 2u);  // after the baseline's
  EXPECT_TRUE(contains(f.state.waves[0].verdict, "connect: Connection refused"))
      << f.state.waves[0].verdict;

  // Answered but empty: the next gate is still asked, since it may fail.
  prometheus.reachable = true;
  prometheus.answer({});
  f.sample(20);
  EXPECT_EQ(prometheus.asked.size(), 3u);
}

// A router's failed gate ends the sample before any query is asked; a router without data
// (here, not yet running the policy) makes Prometheus' answer moot, so it is not asked.
TEST(RolloutQueryGate, RoutersAreJudgedFirst) {
  FakeMetrics prometheus;
  QueryFleet f(1, prometheus);
  f.sample(0);
  f.routers["r0"].applied_digest = std::string(64, '0');
  EXPECT_TRUE(f.sample(10).empty());
  EXPECT_TRUE(prometheus.asked.empty());
  f.routers["r0"].applied_digest = f.state.digest;
  f.routers["r0"].sample.started += 5;  // restarted
  f.sample(20);
  EXPECT_EQ(f.state.state, RolloutPhase::aborted);
  EXPECT_TRUE(contains(f.state.reason, "gate 'restarts == 0' failed on r0")) << f.state.reason;
  EXPECT_TRUE(prometheus.asked.empty());
}

}  // namespace
}  // namespace westworld::governance
