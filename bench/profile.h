// How big a run is: --smoke (a self-check in seconds), --quick (under five
// minutes) or the full run (under thirty). Every size the results depend on
// lives here and is copied into results.json.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "frames.h"

namespace westworld::bench {

enum class RunMode { smoke, quick, full };

struct Profile {
  RunMode mode = RunMode::full;
  std::string name = "full";

  // Program cost (BPF_PROG_TEST_RUN): every frame of a round-robin set is run
  // `repeat` times per call; the whole set `rounds` times, the median reported.
  uint32_t repeat = 1'000'000;
  uint32_t frames_per_set = 10;
  uint32_t rounds = 3;
  std::vector<uint32_t> rule_counts = {10, 1000, 10000};
  std::vector<uint32_t> source_counts = {1, 10000, 1000000};
  std::vector<TrafficFamily> families = {TrafficFamily::ipv4, TrafficFamily::ipv6,
                                         TrafficFamily::vlan};
  std::vector<TrafficMix> mixes = {TrafficMix::pass_heavy, TrafficMix::drop_heavy};

  // Live veth traffic: receivers interleaved (empty, guard, nftables) per repetition.
  uint32_t live_rules = 10000;
  uint32_t live_sources = 1000000;
  double live_seconds = 3.0;  // per receiver and repetition
  uint32_t live_repetitions = 5;

  // Control plane.
  std::vector<uint32_t> compile_rule_counts = {1000, 10000, 100000};
  uint32_t apply_repetitions = 5;
  double agent_idle_seconds = 3.0;
  double agent_load_seconds = 10.0;
};

Profile make_profile(RunMode mode);
nlohmann::json to_json(const Profile& profile);

}  // namespace westworld::bench
