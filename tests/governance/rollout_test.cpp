// The rollout state machine, driven by hand-made router reports at explicit times: a wave
// is promoted only when baked and sampled enough, any failed gate or refusal aborts, missing
// data makes a sample inconclusive (and too many of those abort), and only released routers
// run the policy. Also the state's record form and who it releases in each phase.
#include "westworld/governance/rollout.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "rollout_fleet.h"
#include "westworld/governance/records.h"

namespace westworld::governance {
namespace {

using nlohmann::json;
using std::chrono::seconds;
using namespace rollout_testing;

const std::vector<std::string> kGates = {"drop_rate.rule <= 20", "restarts == 0"};

TEST(Rollout, StartReleasesTheFirstWaveOnly) {
  const Proposal p = rollout_proposal({"1", "10%", "50%", "100%"}, kGates, seconds(60));
  const std::string id = hex_id(proposal_id(p));
  const RolloutState s = start_rollout(id, p, {"r0", "r1", "r2", "r3", "r4"}, at(0), "c1");
  EXPECT_EQ(s.state, RolloutPhase::running);
  EXPECT_EQ(s.proposal, id);
  EXPECT_EQ(s.digest, hex_id(p.policy_digest));
  EXPECT_EQ(s.coordinator, "c1");
  EXPECT_EQ(s.created, kStart);
  EXPECT_EQ(s.updated, kStart);
  ASSERT_EQ(s.waves.size(), 3u);  // 1, 2, 2: 10% of five adds nobody
  EXPECT_EQ(s.waves[0].state, WavePhase::baking);
  EXPECT_EQ(s.waves[0].started, kStart);
  for (std::size_t w = 1; w < s.waves.size(); ++w) {
    EXPECT_EQ(s.waves[w].state, WavePhase::pending);
    EXPECT_EQ(s.waves[w].started, 0);
    for (const std::string& node : s.waves[w].nodes) EXPECT_FALSE(releases(s, p, node)) << node;
  }
  EXPECT_TRUE(releases(s, p, s.waves[0].nodes[0]));
  EXPECT_FALSE(releases(s, p, "r9"));
}

TEST(Rollout, StartWithoutRoutersWaits) {
  const Proposal p = rollout_proposal({"1", "100%"}, kGates, seconds(60));
  const RolloutState s = start_rollout(hex_id(proposal_id(p)), p, {}, at(0), "c1");
  EXPECT_EQ(s.state, RolloutPhase::waiting);
  EXPECT_TRUE(s.waves.empty());
  EXPECT_NE(s.reason, "");
  EXPECT_FALSE(releases(s, p, "r0"));
}

TEST(Rollout, StartRefusesABadProposalId) {
  const Proposal p = rollout_proposal({"1", "100%"}, kGates, seconds(60));
  EXPECT_THROW(start_rollout("abc", p, {"r0"}, at(0), "c1"), std::invalid_argument);
  EXPECT_THROW(start_rollout(std::string(64, 'g'), p, {"r0"}, at(0), "c1"), std::invalid_argument);
}

// Wave 1 (one router) succeeded, wave 2 is baking, wave 3 is pending.
struct Phases {
  Proposal proposal = rollout_proposal({"1", "50%", "100%"}, kGates, seconds(60));
  RolloutState state =
      start_rollout(hex_id(proposal_id(proposal)), proposal, {"r0", "r1", "r2", "r3"}, at(0), "c1");
  Phases() {
    state.waves[0].state = WavePhase::succeeded;
    state.waves[1].state = WavePhase::baking;
  }
  std::vector<std::string> released_nodes() const {
    std::vector<std::string> out;
    for (const char* node : {"r0", "r1", "r2", "r3", "r9"})
      if (releases(state, proposal, node)) out.push_back(node);
    std::sort(out.begin(), out.end());
    return out;
  }
  std::vector<std::string> nodes_of(std::initializer_list<std::size_t> waves) const {
    std::vector<std::string> out;
    for (std::size_t w : waves)
      out.insert(out.end(), state.waves[w].nodes.begin(), state.waves[w].nodes.end());
    std::sort(out.begin(), out.end());
    return out;
  }
};

TEST(Rollout, ReleasesPerPhase) {
  Phases p;
  ASSERT_EQ(p.state.waves.size(), 3u);  // 1, 1, 2
  const std::vector<std::string> first_two = p.nodes_of({0, 1});
  ASSERT_EQ(first_two.size(), 2u);

  p.state.state = RolloutPhase::running;
  EXPECT_EQ(p.released_nodes(), first_two);
  // A pause holds the released routers where they are: it releases no one more, no one less.
  p.state.state = RolloutPhase::paused;
  EXPECT_EQ(p.released_nodes(), first_two);
  // An abort releases nobody, so every router goes back to the policy it ran before.
  p.state.state = RolloutPhase::aborted;
  EXPECT_TRUE(p.released_nodes().empty());
  p.state.state = RolloutPhase::waiting;
  EXPECT_TRUE(p.released_nodes().empty());
  // A finished rollout for "all" releases every router, even one that joined later.
  p.state.state = RolloutPhase::succeeded;
  EXPECT_EQ(p.released_nodes(), (std::vector<std::string>{"r0", "r1", "r2", "r3", "r9"}));
}

TEST(Rollout, ASucceededRolloutReleasesOnlyItsTargets) {
  Proposal p = rollout_proposal({"1", "100%"}, kGates, seconds(60));
  p.targets = {"r1", "r3", "r7"};
  // r7 was not registered when the rollout started: it is in no wave.
  RolloutState s = start_rollout(hex_id(proposal_id(p)), p, {"r1", "r3"}, at(0), "c1");
  EXPECT_FALSE(releases(s, p, "r7"));
  s.state = RolloutPhase::succeeded;
  for (WaveState& wave : s.waves) wave.state = WavePhase::succeeded;
  EXPECT_TRUE(releases(s, p, "r1"));
  EXPECT_TRUE(releases(s, p, "r3"));
  EXPECT_TRUE(releases(s, p, "r7"));   // a target that joined later follows the finished rollout
  EXPECT_FALSE(releases(s, p, "r0"));  // no target
  EXPECT_FALSE(releases(s, p, "all"));
}

// (a) A wave is promoted only when its bake time has passed AND it has min_samples good
// samples; the next wave then bakes; after the last one the rollout has succeeded.
TEST(Rollout, AHealthyRolloutBakesEachWaveThenSucceeds) {
  Fleet f(3, {"1", "100%"}, kGates, seconds(60));
  f.settings.min_samples = 3;
  ASSERT_EQ(f.state.waves.size(), 2u);
  ASSERT_EQ(f.state.waves[1].nodes.size(), 2u);

  EXPECT_TRUE(f.sample(0).empty());  // the baseline
  EXPECT_EQ(f.state.waves[0].samples, 0u);
  for (std::int64_t t : {10, 20, 30, 59}) {
    // Three good samples by t=30, but the wave has not baked its 60 s until t=60.
    EXPECT_TRUE(f.sample(t).empty()) << t;
    EXPECT_EQ(f.state.waves[0].state, WavePhase::baking) << t;
  }
  EXPECT_EQ(f.state.waves[0].samples, 4u);
  EXPECT_EQ(f.state.waves[0].nodata, 0u);
  EXPECT_TRUE(contains(f.state.waves[0].verdict, "healthy")) << f.state.waves[0].verdict;
  EXPECT_FALSE(releases(f.state, f.proposal, f.node(1)));

  EXPECT_EQ(kinds(f.sample(60)),
            (std::vector<std::string>{"gate_verdict", "promotion", "wave_start"}));
  EXPECT_EQ(f.state.waves[0].state, WavePhase::succeeded);
  EXPECT_EQ(f.state.waves[0].ended, kStart + 60);
  EXPECT_EQ(f.state.waves[1].state, WavePhase::baking);
  EXPECT_EQ(f.state.waves[1].started, kStart + 60);
  EXPECT_EQ(f.state.state, RolloutPhase::running);
  EXPECT_EQ(f.state.updated, kStart + 60);
  EXPECT_TRUE(releases(f.state, f.proposal, f.node(1, 0)));
  EXPECT_TRUE(releases(f.state, f.proposal, f.node(1, 1)));

  // Wave 2 bakes from its own start: 60 s and three samples of its own, its routers'
  // first sample being a baseline again.
  EXPECT_TRUE(f.sample(70).empty());
  EXPECT_EQ(f.state.waves[1].samples, 0u);
  for (std::int64_t t : {80, 90, 100, 119}) EXPECT_TRUE(f.sample(t).empty()) << t;
  EXPECT_EQ(f.state.waves[1].samples, 4u);
  EXPECT_EQ(f.state.state, RolloutPhase::running);

  EXPECT_EQ(kinds(f.sample(120)), (std::vector<std::string>{"gate_verdict", "success"}));
  EXPECT_EQ(f.state.state, RolloutPhase::succeeded);
  EXPECT_EQ(f.state.waves[1].state, WavePhase::succeeded);
  EXPECT_EQ(f.state.waves[1].ended, kStart + 120);
  EXPECT_TRUE(releases(f.state, f.proposal, "r-joined-later"));  // targets "all"
  EXPECT_TRUE(f.sample(130).empty());  // a finished rollout is not stepped
}

// The converse of the above: the bake time long past is not enough without the samples.
TEST(Rollout, BakeTimeAloneDoesNotPromote) {
  Fleet f(1, {"100%"}, kGates, seconds(10));
  f.settings.min_samples = 3;
  f.sample(0);
  EXPECT_TRUE(f.sample(1'000).empty());
  EXPECT_TRUE(f.sample(1'001).empty());
  EXPECT_EQ(f.state.waves[0].samples, 2u);
  EXPECT_EQ(f.state.state, RolloutPhase::running);
  EXPECT_EQ(kinds(f.sample(1'002)), (std::vector<std::string>{"gate_verdict", "success"}));
  EXPECT_EQ(f.state.state, RolloutPhase::succeeded);
}

// (b) A gate failure aborts at once, naming the gate and the router; the wave fails.
TEST(Rollout, AFailedGateAborts) {
  Fleet f(2, {"1", "100%"}, {"drop_rate.rule <= 20"}, seconds(600));
  const std::string canary = f.node(0);
  f.sample(0);
  // 40 packets in 2 s is 20/s: exactly the limit, still healthy.
  f.routers[canary].sample.drops["rule"] += 40;
  EXPECT_TRUE(f.sample(2).empty());
  EXPECT_EQ(f.state.waves[0].samples, 1u);

  f.routers[canary].sample.drops["rule"] += 200;  // 100/s
  const std::vector<StepEvent> events = f.sample(4);
  EXPECT_EQ(kinds(events), (std::vector<std::string>{"gate_verdict", "abort"}));
  EXPECT_EQ(f.state.state, RolloutPhase::aborted);
  EXPECT_EQ(f.state.waves[0].state, WavePhase::failed);
  EXPECT_EQ(f.state.waves[0].ended, kStart + 4);
  EXPECT_EQ(f.state.waves[1].state, WavePhase::pending);
  EXPECT_TRUE(contains(f.state.reason, "wave 1")) << f.state.reason;
  EXPECT_TRUE(contains(f.state.reason, "gate 'drop_rate.rule <= 20'")) << f.state.reason;
  EXPECT_TRUE(contains(f.state.reason, "failed on " + canary)) << f.state.reason;
  EXPECT_TRUE(contains(f.state.reason, "drop_rate.rule = 100")) << f.state.reason;
  EXPECT_TRUE(contains(f.state.waves[0].verdict, "drop_rate.rule <= 20"));
  EXPECT_FALSE(releases(f.state, f.proposal, canary));  // back to the policy before
  EXPECT_TRUE(f.sample(6).empty());                     // an aborted rollout stays aborted
  EXPECT_EQ(f.state.state, RolloutPhase::aborted);
}

TEST(Rollout, ARestartAborts) {
  Fleet f(1, {"100%"}, kGates, seconds(600));
  f.sample(0);
  f.routers["r0"].sample.started = kStart + 5;
  f.sample(10);
  EXPECT_EQ(f.state.state, RolloutPhase::aborted);
  EXPECT_TRUE(contains(f.state.reason, "gate 'restarts == 0' failed on r0")) << f.state.reason;
}

// (c) A router that refused the rollout aborts it, without waiting for a baseline.
TEST(Rollout, ARefusalAborts) {
  Fleet f(2, {"1", "100%"}, kGates, seconds(600));
  const std::string canary = f.node(0);
  f.routers[canary].refused = "the policy does not compile";
  EXPECT_EQ(kinds(f.sample(0)), (std::vector<std::string>{"gate_verdict", "abort"}));
  EXPECT_EQ(f.state.state, RolloutPhase::aborted);
  EXPECT_EQ(f.state.waves[0].state, WavePhase::failed);
  EXPECT_TRUE(contains(f.state.reason, canary + " refused it: the policy does not compile"))
      << f.state.reason;
}

// Routers of pending waves are not read: they do not run the policy, so what they report
// says nothing about it.
TEST(Rollout, PendingWavesAreNotJudged) {
  Fleet f(2, {"1", "100%"}, kGates, seconds(600));
  const std::string later = f.node(1);
  f.routers[later].refused = "not released to me";
  f.routers[later].sample.started = 1;
  f.sample(0);
  f.sample(10);
  EXPECT_EQ(f.state.state, RolloutPhase::running);
  EXPECT_EQ(f.state.waves[0].samples, 1u);
  EXPECT_EQ(f.state.last_samples.count(later), 0u);
}

// (d) No report, a router not yet running the digest, or a report gone stale (none for
// more than three report intervals): the sample is inconclusive and the wave waits; a good
// sample resets the streak; nodata_limit inconclusive samples in a row abort.
TEST(Rollout, MissingDataMakesTheWaveWaitThenAborts) {
  Fleet f(2, {"100%"}, kGates, seconds(0));
  f.settings.min_samples = 5;
  f.settings.nodata_limit = 3;
  f.sample(0);
  EXPECT_EQ(f.state.waves[0].nodata, 1u);  // the baseline itself has no rates yet
  EXPECT_TRUE(contains(f.state.waves[0].verdict, "first sample")) << f.state.waves[0].verdict;
  f.sample(10);
  EXPECT_EQ(f.state.waves[0].nodata, 0u);
  EXPECT_EQ(f.state.waves[0].samples, 1u);

  const RouterHealth r0 = f.routers["r0"];
  f.routers.erase("r0");
  EXPECT_TRUE(f.sample(20).empty());
  EXPECT_EQ(f.state.waves[0].nodata, 1u);
  EXPECT_EQ(f.state.waves[0].samples, 1u);  // r1 alone is no good sample
  EXPECT_TRUE(contains(f.state.waves[0].verdict, "inconclusive: r0 has no status report"))
      << f.state.waves[0].verdict;

  f.routers["r0"] = r0;
  f.routers["r1"].applied_digest = std::string(64, '0');  // still the old policy
  EXPECT_TRUE(f.sample(30).empty());
  EXPECT_EQ(f.state.waves[0].nodata, 2u);
  EXPECT_TRUE(contains(f.state.waves[0].verdict, "r1 does not run the proposal's policy"))
      << f.state.waves[0].verdict;

  f.routers["r1"].applied_digest = f.state.digest;
  EXPECT_TRUE(f.sample(40).empty());  // both fresh and healthy: the streak is over
  EXPECT_EQ(f.state.waves[0].nodata, 0u);
  EXPECT_EQ(f.state.waves[0].samples, 2u);

  // r1 repeats its report of t=40: 10 s old, more than three of its 2 s intervals.
  f.report(50);
  f.routers["r1"].sample.heartbeat = kStart + 40;
  EXPECT_TRUE(f.step(50).empty());
  EXPECT_EQ(f.state.waves[0].nodata, 1u);
  EXPECT_TRUE(contains(f.state.waves[0].verdict, "r1 has not reported for 10 s"))
      << f.state.waves[0].verdict;
  EXPECT_TRUE(f.step(60).empty());  // nobody reported again
  EXPECT_EQ(f.state.waves[0].nodata, 2u);
  EXPECT_EQ(f.state.state, RolloutPhase::running);

  EXPECT_EQ(kinds(f.step(70)), (std::vector<std::string>{"abort"}));
  EXPECT_EQ(f.state.state, RolloutPhase::aborted);
  EXPECT_EQ(f.state.waves[0].state, WavePhase::failed);
  EXPECT_EQ(f.state.waves[0].ended, kStart + 70);
  EXPECT_EQ(f.state.waves[0].samples, 2u);  // inconclusive samples never counted
  EXPECT_TRUE(contains(f.state.reason, "wave 1: no data for 3 samples in a row")) << f.state.reason;
}

// Routers report on their own beat: a sample that finds no new report is not news while the
// last one is at most three report intervals old (on the coordinator's clock); it counts
// neither as a good sample (the same report must not count twice) nor as missing data. One
// second more and the sample is inconclusive.
TEST(Rollout, AReportStaysFreshForThreeIntervals) {
  Fleet f(1, {"100%"}, kGates, seconds(600));
  f.routers["r0"].report_interval_s = 5;
  f.sample(0);
  f.sample(10);
  EXPECT_EQ(f.state.waves[0].samples, 1u);
  EXPECT_TRUE(f.step(25).empty());  // 15 s since it was seen: still fresh, nothing new
  EXPECT_EQ(f.state.waves[0].samples, 1u);
  EXPECT_EQ(f.state.waves[0].nodata, 0u);
  EXPECT_TRUE(f.step(26).empty());  // 16 s: stale
  EXPECT_EQ(f.state.waves[0].samples, 1u);
  EXPECT_EQ(f.state.waves[0].nodata, 1u);
  EXPECT_TRUE(contains(f.state.waves[0].verdict, "r0 has not reported for 16 s"))
      << f.state.waves[0].verdict;
  f.sample(30);  // a new report
  EXPECT_EQ(f.state.waves[0].samples, 2u);
  EXPECT_EQ(f.state.waves[0].nodata, 0u);
}

// (e) A router's first sample is only the baseline of its rates: counters from before the
// rollout are not charged to it.
TEST(Rollout, TheFirstSampleIsABaseline) {
  Fleet f(1, {"100%"}, kGates, seconds(0));
  f.settings.min_samples = 1;
  f.routers["r0"].sample.drops["rule"] = 1'000'000;
  f.routers["r0"].sample.alerts = 12;
  f.report(0);
  f.routers["r0"].sample.heartbeat = 1'000;  // a router whose clock is far off
  EXPECT_TRUE(f.step(0).empty());
  EXPECT_EQ(f.state.state, RolloutPhase::running);
  EXPECT_EQ(f.state.waves[0].samples, 0u);
  ASSERT_EQ(f.state.last_samples.count("r0"), 1u);
  EXPECT_EQ(f.state.last_samples["r0"].heartbeat, 1'000);
  EXPECT_EQ(f.state.last_samples["r0"].seen, kStart);  // when the coordinator read it
  EXPECT_EQ(f.state.last_samples["r0"].drops["rule"], 1'000'000u);

  // 100 more over 10 s is 10/s against the baseline (not 100'010/s against zero).
  f.routers["r0"].sample.drops["rule"] += 100;
  f.routers["r0"].sample.heartbeat = 1'010;
  EXPECT_EQ(kinds(f.step(10)), (std::vector<std::string>{"gate_verdict", "success"}));
  EXPECT_EQ(f.state.last_samples["r0"].heartbeat, 1'010);  // the next baseline
  EXPECT_EQ(f.state.last_samples["r0"].seen, kStart + 10);
}

// (f) A gate the code does not know never passes: the rollout fails closed.
TEST(Rollout, AnUnknownGateFailsTheRollout) {
  for (const std::vector<std::string>& gates : std::vector<std::vector<std::string>>{
           {"cpu <= 1"}, {"restarts == 0", "restarts != 0"}, {"restarts <= x"}, {"alerts"}}) {
    Fleet f(1, {"100%"}, gates, seconds(0));
    f.settings.min_samples = 1;
    for (std::int64_t t = 0; t <= 50; t += 10) f.sample(t);
    EXPECT_EQ(f.state.state, RolloutPhase::aborted) << gates.back();
    EXPECT_EQ(f.state.waves[0].state, WavePhase::failed) << gates.back();
    EXPECT_TRUE(contains(f.state.reason, "gate '" + gates.back() + "'")) << f.state.reason;
  }
}

// (g) While a later wave bakes, the routers of earlier waves are still judged: a canary
// that turns sick after its promotion stops the rollout.
TEST(Rollout, EarlierWavesAreStillJudged) {
  Fleet f(3, {"1", "100%"}, kGates, seconds(0));
  f.settings.min_samples = 1;
  const std::string canary = f.node(0);
  f.sample(0);
  EXPECT_EQ(kinds(f.sample(10)),
            (std::vector<std::string>{"gate_verdict", "promotion", "wave_start"}));
  f.sample(20);  // wave 2's baseline
  ASSERT_EQ(f.state.waves[1].state, WavePhase::baking);

  f.routers[canary].sample.drops["rule"] += 200;
  f.sample(22);
  EXPECT_EQ(f.state.state, RolloutPhase::aborted);
  EXPECT_EQ(f.state.waves[0].state, WavePhase::succeeded);  // what it was
  EXPECT_EQ(f.state.waves[1].state, WavePhase::failed);     // the wave that was baking
  EXPECT_TRUE(contains(f.state.reason, "wave 2: gate 'drop_rate.rule <= 20' failed on " + canary))
      << f.state.reason;
  EXPECT_FALSE(releases(f.state, f.proposal, canary));
}

// A canary that stops reporting while a later wave bakes also holds that wave.
TEST(Rollout, AnEarlierWaveWithoutDataHoldsTheBakingOne) {
  Fleet f(3, {"1", "100%"}, kGates, seconds(0));
  f.settings.min_samples = 1;
  const std::string canary = f.node(0);
  f.sample(0);
  f.sample(10);  // promoted
  f.sample(20);  // wave 2's baseline
  f.routers.erase(canary);
  EXPECT_TRUE(f.sample(30).empty());
  EXPECT_EQ(f.state.waves[1].state, WavePhase::baking);
  EXPECT_EQ(f.state.waves[1].samples, 0u);
  EXPECT_TRUE(contains(f.state.waves[1].verdict, canary + " has no status report"));
}

// (h) Only a running rollout is stepped: a paused (or finished) one is left exactly as it
// was, even when its routers report a failure.
TEST(Rollout, APausedRolloutIsNotStepped) {
  for (const RolloutPhase phase : {RolloutPhase::paused, RolloutPhase::waiting,
                                   RolloutPhase::aborted, RolloutPhase::succeeded}) {
    Fleet f(2, {"1", "100%"}, kGates, seconds(0));
    f.settings.min_samples = 1;
    f.sample(0);
    f.state.state = phase;
    f.state.reason = "paused by m0";
    const std::string before = encode_rollout(f.state);
    f.routers[f.node(0)].sample.drops["rule"] += 1'000;
    EXPECT_TRUE(f.sample(10).empty()) << to_string(phase);
    EXPECT_EQ(encode_rollout(f.state), before) << to_string(phase);
  }
}

TEST(Rollout, PhaseNames) {
  EXPECT_STREQ(to_string(RolloutPhase::waiting), "waiting");
  EXPECT_STREQ(to_string(RolloutPhase::running), "running");
  EXPECT_STREQ(to_string(RolloutPhase::paused), "paused");
  EXPECT_STREQ(to_string(RolloutPhase::succeeded), "succeeded");
  EXPECT_STREQ(to_string(RolloutPhase::aborted), "aborted");
  EXPECT_STREQ(to_string(WavePhase::pending), "pending");
  EXPECT_STREQ(to_string(WavePhase::baking), "baking");
  EXPECT_STREQ(to_string(WavePhase::succeeded), "succeeded");
  EXPECT_STREQ(to_string(WavePhase::failed), "failed");
}

// A state mid-rollout: waves in three phases, samples with counters, a reason.
RolloutState mid_rollout() {
  Fleet f(4, {"1", "50%", "100%"}, kGates, seconds(0));
  f.settings.min_samples = 1;
  f.routers["r0"].sample.quarantines = 3;
  f.routers["r1"].sample.alerts = 5;
  f.routers["r2"].sample.drops["quota"] = 17;
  f.sample(0);
  f.sample(10);  // wave 1 promoted
  f.sample(20);  // wave 2's baseline: one inconclusive sample
  for (const auto& [node, health] : f.routers) f.state.last_samples.emplace(node, health.sample);
  f.state.state = RolloutPhase::paused;
  f.state.reason = "paused by m1: \"looks odd\"";
  return f.state;
}

TEST(Rollout, StateRoundTrips) {
  const RolloutState s = mid_rollout();
  ASSERT_EQ(s.waves[0].state, WavePhase::succeeded);
  ASSERT_EQ(s.waves[1].state, WavePhase::baking);
  ASSERT_EQ(s.waves[2].state, WavePhase::pending);
  ASSERT_EQ(s.waves[0].samples, 1u);  // every counter differs from its default somewhere
  ASSERT_EQ(s.waves[1].nodata, 1u);
  const std::string text = encode_rollout(s);
  EXPECT_EQ(json::parse(text)["format"], kRolloutFormat);
  const RolloutState back = decode_rollout(text);
  EXPECT_EQ(back.proposal, s.proposal);
  EXPECT_EQ(back.digest, s.digest);
  EXPECT_EQ(back.state, RolloutPhase::paused);
  EXPECT_EQ(back.reason, s.reason);
  EXPECT_EQ(back.coordinator, "c1");
  EXPECT_EQ(back.created, kStart);
  EXPECT_EQ(back.updated, kStart + 20);
  ASSERT_EQ(back.waves.size(), s.waves.size());
  for (std::size_t w = 0; w < s.waves.size(); ++w) {
    EXPECT_EQ(back.waves[w].nodes, s.waves[w].nodes);
    EXPECT_EQ(back.waves[w].state, s.waves[w].state);
    EXPECT_EQ(back.waves[w].started, s.waves[w].started);
    EXPECT_EQ(back.waves[w].ended, s.waves[w].ended);
    EXPECT_EQ(back.waves[w].samples, s.waves[w].samples);
    EXPECT_EQ(back.waves[w].nodata, s.waves[w].nodata);
    EXPECT_EQ(back.waves[w].verdict, s.waves[w].verdict);
  }
  ASSERT_EQ(back.last_samples.size(), s.last_samples.size());
  for (const auto& [node, sample] : s.last_samples) {
    const HealthSample& b = back.last_samples.at(node);
    EXPECT_EQ(b.heartbeat, sample.heartbeat);
    EXPECT_EQ(b.started, sample.started);
    EXPECT_EQ(b.drops, sample.drops);
    EXPECT_EQ(b.quarantines, sample.quarantines);
    EXPECT_EQ(b.alerts, sample.alerts);
    EXPECT_EQ(b.seen, sample.seen);
  }
  EXPECT_EQ(back.last_samples.at(s.waves[0].nodes[0]).seen, kStart + 20);
  EXPECT_EQ(encode_rollout(back), text);
}

// The message of decode_rollout's RecordError on the mid-rollout state changed by
// `change`, or "" when it decodes.
std::string rollout_error(const std::function<void(json&)>& change) {
  json doc = json::parse(encode_rollout(mid_rollout()));
  change(doc);
  try {
    decode_rollout(doc.dump());
  } catch (const RecordError& e) {
    return e.what();
  }
  return "";
}

TEST(Rollout, StateDecodingIsStrict) {
  ASSERT_EQ(rollout_error([](json&) {}), "");
  struct Case {
    std::string name;
    std::function<void(json&)> change;
    std::string says;
  };
  const std::vector<Case> cases = {
      {"an unknown field", [](json& d) { d["owner"] = "c2"; }, "field 'owner' is not a field"},
      {"a missing field", [](json& d) { d.erase("last_samples"); },
       "field 'last_samples' is missing"},
      {"another format", [](json& d) { d["format"] = kProposalFormat; },
       "field 'format' must be 'westworld/gov-rollout/v1'"},
      {"an unknown state", [](json& d) { d["state"] = "finished"; },
       "field 'state' 'finished' is not a known state"},
      {"a state that is no text", [](json& d) { d["state"] = 1; },
       "field 'state' must be a string"},
      {"waves that are no list", [](json& d) { d["waves"] = json::object(); },
       "field 'waves' must be a list"},
      {"a wave's unknown state", [](json& d) { d["waves"][1]["state"] = "cooling"; },
       "waves[1]: field 'state' 'cooling' is not a known state"},
      {"a wave's missing verdict", [](json& d) { d["waves"][0].erase("verdict"); },
       "waves[0]: field 'verdict' is missing"},
      {"a wave's unknown field", [](json& d) { d["waves"][2]["note"] = ""; },
       "waves[2]: field 'note' is not a field"},
      {"a wave's negative samples", [](json& d) { d["waves"][0]["samples"] = -1; },
       "waves[0]: field 'samples' must be a non-negative integer"},
      {"a wave's nodes as text", [](json& d) { d["waves"][0]["nodes"] = "r0"; },
       "waves[0]: field 'nodes' must be a list of strings"},
      {"a time as text", [](json& d) { d["updated"] = "now"; },
       "field 'updated' must be an integer"},
      {"samples that are no object", [](json& d) { d["last_samples"] = json::array(); },
       "field 'last_samples' must be an object"},
      {"a sample's negative drops", [](json& d) { d["last_samples"]["r2"]["drops"]["rule"] = -5; },
       "last_samples.r2: field 'drops' must hold non-negative integers"},
      {"a sample's drops as a list",
       [](json& d) {
         d["last_samples"]["r0"]["drops"] = {1, 2};
       },
       "last_samples.r0: field 'drops' must be an object"},
      {"a sample's missing heartbeat", [](json& d) { d["last_samples"]["r1"].erase("heartbeat"); },
       "last_samples.r1: field 'heartbeat' is missing"},
      {"a sample's missing seen", [](json& d) { d["last_samples"]["r3"].erase("seen"); },
       "last_samples.r3: field 'seen' is missing"},
      {"a sample's unknown field", [](json& d) { d["last_samples"]["r1"]["cpu"] = 99; },
       "last_samples.r1: field 'cpu' is not a field"},
  };
  for (const Case& c : cases) {
    const std::string error = rollout_error(c.change);
    EXPECT_NE(error, "") << c.name << " was accepted";
    EXPECT_NE(error.find(c.says), std::string::npos) << c.name << " -> " << error;
  }
  EXPECT_THROW(decode_rollout("{"), RecordError);
}

// A wave's samples and nodata are 32-bit counters: a larger stored value is refused, never
// truncated (4294967297 must not read back as 1).
TEST(Rollout, StateDecodingRefusesCountersBeyond32Bits) {
  EXPECT_NE(rollout_error([](json& d) { d["waves"][1]["samples"] = (1ull << 32) + 1; }), "");
  EXPECT_NE(rollout_error([](json& d) { d["waves"][1]["nodata"] = 1ull << 32; }), "");
}

}  // namespace
}  // namespace westworld::governance
