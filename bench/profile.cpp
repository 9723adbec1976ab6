#include "profile.h"

namespace westworld::bench {

Profile make_profile(RunMode mode) {
  Profile p;
  p.mode = mode;
  if (mode == RunMode::quick) {
    p.name = "quick";
    p.repeat = 100'000;
    p.rounds = 1;
    p.live_seconds = 1.0;
    p.live_repetitions = 3;
    p.apply_repetitions = 3;
    p.agent_idle_seconds = 1.0;
    p.agent_load_seconds = 3.0;
  } else if (mode == RunMode::smoke) {
    // Every result field is still produced, from the corners of the grid
    // (and IPv6 through the vlan mix), with tiny counts.
    p.name = "smoke";
    p.repeat = 1000;
    p.rule_counts = {10, 10000};
    p.source_counts = {1, 1000000};
    p.families = {TrafficFamily::ipv4, TrafficFamily::vlan};
    p.rounds = 1;
    p.live_sources = 10000;
    p.live_seconds = 0.2;
    p.live_repetitions = 1;
    p.compile_rule_counts = {1000, 10000};
    p.apply_repetitions = 1;
    p.agent_idle_seconds = 0.5;
    p.agent_load_seconds = 1.0;
  }
  return p;
}

nlohmann::json to_json(const Profile& p) {
  nlohmann::json families = nlohmann::json::array(), mixes = nlohmann::json::array();
  for (TrafficFamily f : p.families) families.push_back(to_string(f));
  for (TrafficMix m : p.mixes) mixes.push_back(to_string(m));
  return {{"mode", p.name},
          {"program_cost",
           {{"repeat_per_frame", p.repeat},
            {"frames_per_set", p.frames_per_set},
            {"rounds", p.rounds},
            {"rule_counts", p.rule_counts},
            {"source_counts", p.source_counts},
            {"families", families},
            {"mixes", mixes}}},
          {"live",
           {{"rules", p.live_rules},
            {"sources", p.live_sources},
            {"seconds_per_run", p.live_seconds},
            {"repetitions", p.live_repetitions}}},
          {"control_plane",
           {{"compile_rule_counts", p.compile_rule_counts},
            {"apply_repetitions", p.apply_repetitions},
            {"agent_idle_seconds", p.agent_idle_seconds},
            {"agent_load_seconds", p.agent_load_seconds}}}};
}

}  // namespace westworld::bench
