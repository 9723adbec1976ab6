// Atomic policy swap: apply_policy writes the inactive half of every table, then flips
// ww_active.gen. A packet must see one policy whole, never a mix of two, and the half that
// just went inactive must stay intact until the next apply.
#include <bpf/bpf.h>

#include <atomic>
#include <cstring>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "guard_fixture.h"
#include "westworld/dataplane/policy_writer.h"

namespace westworld::bpf_test {
namespace {

// The probe below passes under A by rule 0 and drops under B by rule 1. The tables differ so
// that a lookup mixing the halves finds no rule (the default) or B's rule 2: outcomes that
// neither policy gives the probe.
constexpr const char* kPolicyA = R"(
version: 1
charter:
  default: deny
  flows:
    - {name: a-allow-dns, action: allow, proto: udp, src: [10.1.0.0/16], dst_ports: [53]}
)";
constexpr const char* kPolicyB = R"(
version: 1
charter:
  default: allow
  flows:
    - {name: b-deny-web, action: deny, proto: tcp, dst_ports: [80]}
    - {name: b-deny-dns, action: deny, proto: udp, src: [10.1.0.0/16], dst_ports: [53]}
    - {name: b-allow-ping, action: allow, proto: icmp, src: [10.1.2.0/24]}
)";
constexpr uint32_t kProbeRuleInA = 0;
constexpr uint32_t kProbeRuleInB = 1;
constexpr uint32_t kRulesInB = 3;

Frame probe() { return udp4("10.1.2.3", "192.0.2.1", 5000, 53); }

// Verdicts as (verdict, how many in a row): each run is one policy's epoch.
using Runs = std::vector<std::pair<Verdict, uint64_t>>;

void record(Runs& runs, Verdict verdict) {
  if (runs.empty() || runs.back().first != verdict) runs.emplace_back(verdict, 0);
  ++runs.back().second;
}

class PolicySwapTest : public GuardTest {};

TEST_F(PolicySwapTest, ConcurrentSwapsNeverMixTwoPolicies) {
  const policy::CompiledPolicy a = compile_yaml(kPolicyA);
  const policy::CompiledPolicy b = compile_yaml(kPolicyB);
  constexpr int kSwaps = 60;  // A, then B, A, B, ... ending on A
  constexpr uint64_t kProbesPerEpoch = 20;
  dataplane::apply_policy(maps(), a);

  const Frame frame = probe();
  const CounterSnapshot before = counters();
  Runs runs;
  uint64_t probes = 0;
  for (; probes < kProbesPerEpoch; ++probes) record(runs, run_xdp(frame));

  std::atomic<uint64_t> probes_done{probes};
  std::atomic<bool> applier_done{false};
  std::string applier_error;
  std::thread applier([&] {
    try {
      for (int swap = 1; swap <= kSwaps; ++swap) {
        dataplane::apply_policy(maps(), swap % 2 ? b : a);
        // Let the prober see this policy before the next one, so that every epoch shows up
        // as a run of verdicts; probing continues all through the next apply's writes.
        const uint64_t seen = probes_done.load();
        while (probes_done.load() < seen + kProbesPerEpoch) std::this_thread::yield();
      }
    } catch (const std::exception& e) {
      applier_error = e.what();
    }
    applier_done = true;
  });
  while (!applier_done) {
    record(runs, run_xdp(frame));
    probes_done = ++probes;
  }
  applier.join();
  ASSERT_EQ(applier_error, "");
  for (uint64_t i = 0; i < kProbesPerEpoch; ++i, ++probes) record(runs, run_xdp(frame));

  // Every verdict is A's (pass) or B's (drop), in epochs A, B, A, ..., A.
  ASSERT_EQ(runs.size(), size_t{kSwaps + 1}) << "policies seen out of order, or an error";
  for (size_t i = 0; i < runs.size(); ++i) {
    EXPECT_EQ(runs[i].first, i % 2 == 0 ? Verdict::pass : Verdict::drop) << "epoch " << i;
  }
  uint64_t passed = 0, dropped = 0;
  for (const auto& [verdict, count] : runs) (verdict == Verdict::pass ? passed : dropped) += count;

  // Every probe found its policy's rule: none fell to a default, none hit another rule.
  const CounterDelta delta = since(before);
  EXPECT_EQ(delta.stat(WW_STAT_SEEN), probes);
  EXPECT_EQ(delta.stat(WW_STAT_DEFAULT), 0u);
  EXPECT_EQ(delta.stat(WW_STAT_ACTION_ALLOW), passed);
  EXPECT_EQ(delta.stat(WW_STAT_ACTION_DENY), dropped);
  EXPECT_EQ(delta.drops(WW_DROP_RULE), dropped);
  EXPECT_EQ(delta.all_drops(), dropped);

  // Each apply zeroes its half's rule counters, so the two halves now count exactly the last
  // two epochs: B's in the inactive half, A's in the active one.
  const uint32_t gen_a = active_gen();
  const uint32_t gen_b = 1 - gen_a;
  EXPECT_EQ(rule_counter_in(gen_a, kProbeRuleInA).packets, runs[kSwaps].second);
  EXPECT_EQ(rule_counter_in(gen_a, kProbeRuleInA).bytes, runs[kSwaps].second * frame.size());
  EXPECT_EQ(rule_counter_in(gen_b, kProbeRuleInB).packets, runs[kSwaps - 1].second);
  for (uint32_t rule = 0; rule < kRulesInB; ++rule) {
    if (rule == kProbeRuleInB) continue;
    EXPECT_EQ(rule_counter_in(gen_b, rule).packets, 0u) << "rule " << rule;
  }
  EXPECT_EQ(dataplane::read_active_policy(maps()).config.generation, uint64_t{kSwaps + 1});
}

TEST_F(PolicySwapTest, TheReplacedPolicysHalfStaysIntactUntilTheNextApply) {
  const std::string digest_a = apply(kPolicyA).digest_hex;
  const uint32_t gen_a = active_gen();
  const std::string digest_b = apply(kPolicyB).digest_hex;
  const uint32_t gen_b = active_gen();
  ASSERT_EQ(gen_b, 1 - gen_a);

  ww_policy_config config_a{}, config_b{};
  ASSERT_EQ(bpf_map_lookup_elem(maps().config.get(), &gen_a, &config_a), 0);
  ASSERT_EQ(bpf_map_lookup_elem(maps().config.get(), &gen_b, &config_b), 0);
  const policy::CompiledPolicy compiled_a = compile_yaml(kPolicyA);
  const policy::CompiledPolicy compiled_b = compile_yaml(kPolicyB);
  EXPECT_EQ(config_a.generation, 1u);
  EXPECT_EQ(config_a.n_rules, 1u);
  EXPECT_EQ(config_a.default_action, WW_ACTION_DENY);
  EXPECT_EQ(0, std::memcmp(config_a.digest, compiled_a.config.digest, sizeof config_a.digest));
  EXPECT_EQ(config_b.generation, 2u);
  EXPECT_EQ(config_b.n_rules, kRulesInB);
  EXPECT_EQ(config_b.default_action, WW_ACTION_ALLOW);
  EXPECT_EQ(0, std::memcmp(config_b.digest, compiled_b.config.digest, sizeof config_b.digest));
  EXPECT_NE(digest_a, digest_b);

  EXPECT_EQ(run_xdp(probe()), Verdict::drop) << "B is live";
  EXPECT_EQ(rule_counter_in(gen_b, kProbeRuleInB).packets, 1u);

  // Flip back by hand: A's half must still classify the probe exactly as A did.
  const uint32_t zero = 0;
  const ww_active back_to_a{gen_a, 1};
  ASSERT_EQ(bpf_map_update_elem(maps().active.get(), &zero, &back_to_a, BPF_ANY), 0);
  const CounterSnapshot before = counters();
  EXPECT_EQ(run_xdp(probe()), Verdict::pass) << "A's half was disturbed by applying B";
  EXPECT_EQ(rule_counter_in(gen_a, kProbeRuleInA).packets, 1u);
  EXPECT_EQ(since(before).stat(WW_STAT_DEFAULT), 0u);
}

}  // namespace
}  // namespace westworld::bpf_test
