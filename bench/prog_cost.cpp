#include "prog_cost.h"

#include <bpf/libbpf.h>
#include <linux/bpf.h>

#include <chrono>
#include <cstdio>
#include <map>
#include <memory>

#include "bench_policy.h"
#include "bpf_programs.h"
#include "guard_counters.h"
#include "sources.h"
#include "stats.h"
#include "westworld/dataplane/error.h"
#include "westworld/dataplane/guard_maps.h"
#include "westworld/dataplane/policy_writer.h"
#include "ww_empty.skel.h"

namespace westworld::bench {
namespace {

using dataplane::Guard;
using nlohmann::json;

// Never binds at test_run rates (one source, tens of millions of packets per
// second) but is not `unlimited`, so every passing packet runs the GCRA.
constexpr uint64_t kNonBindingPps = 1'000'000'000;
constexpr uint64_t kNonBindingBurst = 1'000'000'000;

const char* const kDefinitions[][2] = {
    {"empty", "ww_empty_xdp (skeleton ww_empty): returns XDP_PASS, the floor of the hook"},
    {"parse_only",
     "ww_guard_xdp with a 0-rule policy, default allow, quota unlimited: parsing plus the fixed "
     "per-packet work that remains (generation read, five table lookups that return empty rule "
     "vectors, the source's ww_sources entry and counters); no rule walk, no GCRA"},
    {"full",
     "ww_guard_xdp with the bench policy (N rules, default deny, the traffic decided by the last "
     "rules after every filler) and a per-source quota that never binds at test_run rates but "
     "runs the GCRA on every passing packet"},
    {"frames",
     "UDP, 18-byte payload: IPv4 60 bytes, IPv6 80, +4 with the 802.1Q tag; vlan alternates "
     "IPv4 and IPv6"},
    {"sources",
     "ww_sources pre-populated with N entries (vlan: N/2 per family); the frame set draws its "
     "sources evenly from them. Each call repeats one frame, so caches stay warm: the live run "
     "walks all N sources instead"},
    {"ns_per_packet",
     "the kernel's duration per run, averaged over the frame set (each frame repeat times), "
     "median over rounds"}};

struct Measured {
  Spread ns;
  bool retvals_ok = true;
  uint64_t runs = 0;
  uint64_t drop_intended_runs = 0;
};

// One round = every frame of the set once, `repeat` times each.
Measured time_frames(int prog_fd, const std::vector<BenchFrame>& frames, uint32_t repeat,
                     uint32_t rounds, bool expect_drops) {
  Measured m;
  std::vector<double> round_means;
  for (uint32_t round = 0; round < rounds; ++round) {
    double total = 0;
    for (const BenchFrame& frame : frames) {
      TestRun run = test_run(prog_fd, frame.bytes, repeat);
      total += run.ns_per_run;
      const uint32_t expected = expect_drops && frame.drop_intended ? XDP_DROP : XDP_PASS;
      if (run.retval != expected) m.retvals_ok = false;
      m.runs += repeat;
      if (frame.drop_intended) m.drop_intended_runs += repeat;
    }
    round_means.push_back(total / double(frames.size()));
  }
  m.ns = spread_of(round_means);
  return m;
}

struct EmptyProgram {
  struct Deleter {
    void operator()(ww_empty* skel) const { ww_empty__destroy(skel); }
  };
  std::unique_ptr<ww_empty, Deleter> skel{ww_empty__open_and_load()};
  int fd() const { return bpf_program__fd(skel->progs.ww_empty_xdp); }
};

// Unpins on every way out, so a failed run leaves nothing under /sys/fs/bpf.
struct BenchGuard {
  std::string pin_root;
  Guard guard;
  explicit BenchGuard(const std::string& root)
      : pin_root(root), guard(Guard::load({.pin_root = root, .max_sources = 1048576})) {}
  ~BenchGuard() { Guard::unpin(pin_root); }
};

json row(TrafficFamily family, TrafficMix mix, const Measured& m) {
  return {{"family", to_string(family)},   {"mix", to_string(mix)},
          {"ns_per_packet", m.ns.median},  {"ns_per_packet_min", m.ns.min},
          {"ns_per_packet_max", m.ns.max}, {"runs", m.runs}};
}

// The guard decided exactly what the frames intended: the counters moved by
// the runs made, drops all by the deny rule, and each call returned the verdict.
json verdict_check(const Measured& m, const GuardVerdicts& delta, bool drops_expected) {
  const uint64_t expected_drops = drops_expected ? m.drop_intended_runs : 0;
  const bool match = m.retvals_ok && delta.seen == m.runs && delta.dropped == expected_drops &&
                     delta.dropped_by_rule == expected_drops &&
                     delta.passed == m.runs - expected_drops;
  return {{"expected_drops", expected_drops},
          {"expected_passes", m.runs - expected_drops},
          {"guard", to_json(delta)},
          {"retvals_ok", m.retvals_ok},
          {"verdicts_match", match}};
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

json measure_program_cost(const Profile& profile, const std::string& pin_root) {
  EmptyProgram empty;
  if (!empty.skel) throw dataplane::Error("cannot load ww_empty: " + std::to_string(errno));
  BenchGuard bench_guard(pin_root);
  const dataplane::GuardMaps& maps = bench_guard.guard.maps();
  const int guard_fd = bench_guard.guard.programs().xdp.get();
  const int sources_fd = maps.sources.get();

  std::fprintf(stderr, "[prog-cost] compiling the bench policies\n");
  const policy::CompiledPolicy parse_only =
      load_and_compile(to_yaml(make_parse_only_policy(1048576)), "parse-only.yaml");
  std::map<uint32_t, policy::CompiledPolicy> full;
  for (uint32_t rules : profile.rule_counts) {
    BenchPolicyOptions options{
        .rules = rules, .quota_pps = kNonBindingPps, .quota_burst = kNonBindingBurst};
    full.emplace(rules, load_and_compile(to_yaml(make_bench_policy(options)),
                                         "bench-" + std::to_string(rules) + ".yaml"));
  }

  json out;
  for (const auto& [name, text] : kDefinitions) out["definitions"][name] = text;
  out["repeat_per_frame"] = profile.repeat;
  out["frames_per_set"] = profile.frames_per_set;
  out["rounds"] = profile.rounds;
  out["programs"] = {{"ww_empty_xdp", program_info(empty.fd())},
                     {"ww_guard_xdp", program_info(guard_fd)}};
  out["empty"] = json::array();
  out["parse_only"] = json::array();
  out["full"] = json::array();

  for (TrafficFamily family : profile.families) {
    const auto start = std::chrono::steady_clock::now();
    const auto base_set = frame_set(family, TrafficMix::pass_heavy, 1, profile.frames_per_set);
    Measured m = time_frames(empty.fd(), base_set, profile.repeat, profile.rounds, false);
    json r = row(family, TrafficMix::pass_heavy, m);
    r["retvals_ok"] = m.retvals_ok;
    out["empty"].push_back(r);

    clear_sources(sources_fd);
    dataplane::apply_policy(maps, parse_only);
    GuardVerdicts before = read_guard_verdicts(maps);
    m = time_frames(guard_fd, base_set, profile.repeat, profile.rounds, false);
    r = row(family, TrafficMix::pass_heavy, m);
    r["check"] = verdict_check(m, read_guard_verdicts(maps) - before, false);
    out["parse_only"].push_back(r);

    for (uint32_t n_sources : profile.source_counts) {
      // Source counts ascend, so each population holds the previous one.
      const auto populate_start = std::chrono::steady_clock::now();
      for (auto [address_family, count] : source_population(family, n_sources))
        populate_sources(sources_fd, address_family, count);
      const uint64_t sources_in_map = count_sources(sources_fd);
      std::fprintf(stderr, "[prog-cost] %u sources populated in %.2f s\n", n_sources,
                   seconds_since(populate_start));
      for (uint32_t rules : profile.rule_counts) {
        const auto apply_start = std::chrono::steady_clock::now();
        dataplane::apply_policy(maps, full.at(rules));
        std::fprintf(stderr, "[prog-cost] %u rules applied in %.2f s\n", rules,
                     seconds_since(apply_start));
        for (TrafficMix mix : profile.mixes) {
          const auto frames = frame_set(family, mix, n_sources, profile.frames_per_set);
          before = read_guard_verdicts(maps);
          m = time_frames(guard_fd, frames, profile.repeat, profile.rounds, true);
          r = row(family, mix, m);
          r["rules"] = rules;
          r["sources"] = n_sources;
          r["sources_in_map"] = sources_in_map;
          r["check"] = verdict_check(m, read_guard_verdicts(maps) - before, true);
          out["full"].push_back(r);
          std::fprintf(stderr, "[prog-cost] %-4s %-10s rules %5u sources %7u: %6.1f ns/packet%s\n",
                       to_string(family), to_string(mix), rules, n_sources, m.ns.median,
                       r["check"]["verdicts_match"].get<bool>() ? "" : "  VERDICTS DIFFER");
        }
      }
    }
    std::fprintf(stderr, "[prog-cost] %s done in %.1f s\n", to_string(family),
                 seconds_since(start));
  }
  clear_sources(sources_fd);
  return out;
}

}  // namespace westworld::bench
