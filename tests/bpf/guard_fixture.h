// The fixture of the BPF tests: every test gets a freshly loaded guard (its own pin root, so
// no state leaks between tests), applies policies through the real YAML loader, compiler and
// map writer, and runs frames through BPF_PROG_TEST_RUN.
//
// Counters are per-CPU and cumulative; tests take a CounterSnapshot before and after and
// assert on the difference, so they stay correct if a test sends setup traffic first.
#pragma once

#include <gtest/gtest.h>
#include <sched.h>

#include <array>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "packet_builder.h"
#include "westworld/abi.h"
#include "westworld/dataplane/counters.h"
#include "westworld/dataplane/guard_maps.h"
#include "westworld/policy/compiled_policy.h"

namespace westworld::bpf_test {

using Frame = std::vector<uint8_t>;
using test::PacketBuilder;

inline constexpr uint8_t kIngress = WW_DIR_INGRESS;
inline constexpr uint8_t kEgress = WW_DIR_EGRESS;

// What the program returned, mapped from XDP_PASS/XDP_DROP or TC_ACT_OK/TC_ACT_SHOT.
enum class Verdict { pass, drop, error };
std::ostream& operator<<(std::ostream& out, Verdict verdict);

// Every ww_stats and ww_drop_stats counter, summed over CPUs, at one moment.
using CounterSnapshot = dataplane::GuardCounters;

// What changed between two snapshots.
class CounterDelta {
 public:
  CounterDelta(const CounterSnapshot& before, const CounterSnapshot& after)
      : before_(before), after_(after) {}

  uint64_t stat(ww_stat stat, uint8_t dir = kIngress) const {
    return after_.direction[dir].stats[stat].packets - before_.direction[dir].stats[stat].packets;
  }
  uint64_t stat_bytes(ww_stat stat, uint8_t dir = kIngress) const {
    return after_.direction[dir].stats[stat].bytes - before_.direction[dir].stats[stat].bytes;
  }
  uint64_t drops(ww_drop_reason reason, uint8_t dir = kIngress) const {
    return after_.direction[dir].drops[reason].packets -
           before_.direction[dir].drops[reason].packets;
  }
  uint64_t drop_bytes(ww_drop_reason reason, uint8_t dir = kIngress) const {
    return after_.direction[dir].drops[reason].bytes - before_.direction[dir].drops[reason].bytes;
  }
  // Every drop reason together; must equal stat(WW_STAT_DROP).
  uint64_t all_drops(uint8_t dir = kIngress) const;

 private:
  CounterSnapshot before_;
  CounterSnapshot after_;
};

class GuardTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // Entries of ww_sources; the LRU test overrides this to make eviction happen.
  virtual uint32_t max_sources() const { return 4096; }

  const dataplane::Guard& guard() const { return *guard_; }
  const dataplane::GuardMaps& maps() const { return guard_->maps(); }

  // Loads `yaml` (any error diagnostic fails the test and throws), compiles and applies it.
  // The reference stays valid until the next apply().
  const policy::CompiledPolicy& apply(const std::string& yaml);

  Verdict run_xdp(const Frame& frame) const;
  Verdict run_tc(const Frame& frame) const;
  Verdict run(uint8_t dir, const Frame& frame) const {
    return dir == kIngress ? run_xdp(frame) : run_tc(frame);
  }

  // Runs `frame` through the hook of `dir` and checks the charter's decision: the verdict,
  // which rule of the applied policy counted it (packets and bytes; every other rule must stay
  // put), or with nullopt that none did and the default applied, and the drop reason. For
  // policies without quotas, where the charter alone decides.
  void expect_decision(uint8_t dir, const Frame& frame, Verdict verdict,
                       std::optional<uint32_t> rule);

  CounterSnapshot counters() const;
  CounterDelta since(const CounterSnapshot& before) const { return {before, counters()}; }

  uint32_t active_gen() const;
  // ww_rule_stats of `rule` in the active generation (or in `gen`).
  dataplane::CounterSum rule_counter(uint32_t rule) const;
  dataplane::CounterSum rule_counter_in(uint32_t gen, uint32_t rule) const;

  // The ww_sources entry of an identity: the address as the kernel masks it to the
  // identity prefix (e.g. "10.0.0.0" for 10.0.0.7 under ipv4_prefix: 24).
  std::optional<ww_source> source(const std::string& identity_address) const;
  size_t source_count() const;

  // Quota and share state are times the guard compares with its clock, so moving them back
  // by `ns` is exactly what waiting `ns` would do, without the wait: GCRA arrival times of a
  // source (its identity address, as for source()), and every interface's share window.
  void age_source(const std::string& identity_address, uint64_t ns) const;
  void age_share_windows(uint64_t ns) const;

  const std::string& pin_root() const { return pin_root_; }

  // Consumes every audit event waiting in the ring buffer.
  std::vector<ww_event> drain_events() const;

 private:
  std::string pin_root_;
  std::optional<dataplane::Guard> guard_;
  policy::CompiledPolicy compiled_;
};

// Loads and compiles without touching the kernel; errors fail the test and throw.
policy::CompiledPolicy compile_yaml(const std::string& yaml);

// Keeps the calling thread on the CPU it runs on now, for as long as it lives: per-CPU state
// (the audit event budget) is only deterministic if every test run lands on one CPU.
class StayOnThisCpu {
 public:
  StayOnThisCpu();
  ~StayOnThisCpu();
  StayOnThisCpu(const StayOnThisCpu&) = delete;
  StayOnThisCpu& operator=(const StayOnThisCpu&) = delete;

 private:
  cpu_set_t saved_{};
  bool restore_ = false;
};

// Shorthands for the frames most tests need.
Frame udp4(const std::string& src, const std::string& dst, uint16_t sport, uint16_t dport,
           size_t payload = 0);
Frame tcp4(const std::string& src, const std::string& dst, uint16_t sport, uint16_t dport);
Frame udp6(const std::string& src, const std::string& dst, uint16_t sport, uint16_t dport);
Frame tcp6(const std::string& src, const std::string& dst, uint16_t sport, uint16_t dport);

}  // namespace westworld::bpf_test
