#include "live_traffic.h"

#include <bpf/libbpf.h>
#include <sched.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <thread>

#include "bench_policy.h"
#include "frames.h"
#include "receivers.h"
#include "sources.h"
#include "stats.h"
#include "traffic_generator.h"
#include "westworld/dataplane/error.h"
#include "westworld/dataplane/guard_maps.h"
#include "westworld/dataplane/policy_writer.h"
#include "westworld/harness/command.h"
#include "westworld/harness/interface_lookup.h"
#include "westworld/harness/netns.h"
#include "westworld/policy/loader.h"
#include "ww_empty.skel.h"

namespace westworld::bench {
namespace {

using nlohmann::json;

// Lets the receiver's softirq finish what the last call queued before counting.
constexpr auto kSettle = std::chrono::milliseconds(50);

const char* const kMethod =
    "ww_trafficgen_xdp runs by BPF_PROG_TEST_RUN with BPF_F_TEST_XDP_LIVE_FRAMES on the sender's "
    "veth and returns XDP_TX, which the kernel turns into a redirect out of that veth, to the "
    "receiver's veth in another namespace. The receiver's NAPI poll runs in the softirq the "
    "generator's batches raise on the same CPU, so the two share one core and a run measures "
    "generator plus receiver: processed pps = frames the receiver's hook handled / run time. "
    "Receivers run interleaved (empty, guard, nftables) in every repetition. Frames: UDP/IPv4, "
    "60 bytes, addressed to the receiver's MAC; the receiver's namespace has no address or "
    "route, so delivered packets end in the stack's route lookup. nftables runs in a netdev "
    "ingress table, i.e. after the skb is built; veth GRO is on so frames reach it without an "
    "XDP program. Ratios compare median processed pps.";

struct EmptyProgram {
  struct Deleter {
    void operator()(ww_empty* skel) const { ww_empty__destroy(skel); }
  };
  std::unique_ptr<ww_empty, Deleter> skel{ww_empty__open_and_load()};
};

struct BenchGuard {
  std::string pin_root;
  dataplane::Guard guard;
  BenchGuard(const std::string& root, uint32_t max_sources)
      : pin_root(root), guard(dataplane::Guard::load({root, max_sources})) {}
  ~BenchGuard() { dataplane::Guard::unpin(pin_root); }
};

// The receiver runs in softirq on whatever CPU the generator's batches ran on;
// pinning keeps the pair on one core for every receiver alike.
int pin_to_last_cpu() {
  const long cpus = sysconf(_SC_NPROCESSORS_ONLN);
  const int cpu = cpus > 0 ? int(cpus - 1) : 0;
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  sched_setaffinity(0, sizeof set, &set);
  return cpu;
}

double warmup_seconds(const Profile& profile) { return std::min(0.25, profile.live_seconds / 4); }

ww_gen_config generator_config(TrafficMix mix, uint32_t n_sources) {
  ww_gen_config config{};
  config.n_sources = n_sources;
  config.period = kMixPeriod;
  config.drop_count = drops_per_period(mix);
  config.pass_port = kPassPort;
  config.drop_port = kDropPort;
  return config;
}

json interface_json(const std::map<std::string, uint64_t>& counters) {
  json out = json::object();
  for (const auto& [name, value] : counters) {
    if (value) out[name] = value;
  }
  return out;
}

struct LiveRun {
  std::string receiver;
  TrafficMix mix;
  uint32_t repetition;
  GeneratorRun sent;
  ReceiverCounts delta;
};

json run_json(const LiveRun& r) {
  const double s = r.sent.seconds > 0 ? r.sent.seconds : 1;
  json out = {{"receiver", r.receiver},
              {"mix", to_string(r.mix)},
              {"repetition", r.repetition},
              {"seconds", r.sent.seconds},
              {"sent", r.sent.packets},
              {"processed", r.delta.processed},
              {"delivered", r.delta.delivered},
              {"dropped", r.delta.dropped},
              {"sent_pps", r.sent.packets / s},
              {"processed_pps", r.delta.processed / s},
              {"delivered_pps", r.delta.delivered / s},
              {"dropped_pps", r.delta.dropped / s},
              {"interface", interface_json(r.delta.interface)}};
  if (r.receiver == "guard") {
    // Exact only when every frame sent reached the guard (nothing lost on the way).
    const uint64_t expected = intended_drops(r.mix, r.sent.packets);
    const GuardVerdicts& g = r.delta.guard;
    out["check"] = {{"expected_drops", expected},
                    {"guard", to_json(g)},
                    {"all_frames_reached_guard", g.seen == r.sent.packets},
                    {"verdicts_match", g.seen == r.sent.packets && g.dropped == expected &&
                                           g.dropped_by_rule == expected &&
                                           g.passed == r.sent.packets - expected}};
  }
  return out;
}

json summarize(const std::vector<LiveRun>& runs, TrafficMix mix, const std::string& receiver) {
  std::vector<double> processed, delivered, dropped, sent;
  for (const LiveRun& r : runs) {
    if (r.mix != mix || r.receiver != receiver) continue;
    const double s = r.sent.seconds > 0 ? r.sent.seconds : 1;
    processed.push_back(r.delta.processed / s);
    delivered.push_back(r.delta.delivered / s);
    dropped.push_back(r.delta.dropped / s);
    sent.push_back(r.sent.packets / s);
  }
  return {{"processed_pps", to_json(spread_of(processed))},
          {"delivered_pps", to_json(spread_of(delivered))},
          {"dropped_pps", to_json(spread_of(dropped))},
          {"sent_pps", to_json(spread_of(sent))}};
}

// Per repetition, guard over other: interleaving makes each pair share its drift.
Spread paired_ratio(const std::vector<LiveRun>& runs, TrafficMix mix, const std::string& other) {
  std::map<uint32_t, double> guard, base;
  for (const LiveRun& r : runs) {
    if (r.mix != mix || r.sent.seconds <= 0) continue;
    const double pps = r.delta.processed / r.sent.seconds;
    if (r.receiver == "guard") guard[r.repetition] = pps;
    if (r.receiver == other) base[r.repetition] = pps;
  }
  std::vector<double> ratios;
  for (const auto& [rep, pps] : guard) {
    if (base.count(rep) && base[rep] > 0) ratios.push_back(pps / base[rep]);
  }
  return spread_of(ratios);
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

json measure_live_traffic(const Profile& profile, const LiveInputs& in) {
  policy::LoadResult loaded = policy::load_policy_file(in.policy_path);
  if (!loaded.policy) throw dataplane::Error("the loader refused " + in.policy_path);
  const policy::CompiledPolicy compiled = policy::compile(*loaded.policy);

  LiveTopology topology{in.tx_netns, in.rx_netns, in.tx_iface, in.rx_iface, 0};
  const harness::InterfaceInfo rx = harness::interface_in(in.rx_netns, in.rx_iface);
  const harness::InterfaceInfo tx = harness::interface_in(in.tx_netns, in.tx_iface);
  topology.rx_ifindex = rx.ifindex;
  // veth hands XDP-transmitted frames only to a peer with NAPI: an attached XDP
  // program gives it one, and for nftables (no program) GRO does.
  harness::run_checked(
      harness::in_namespace(in.rx_netns, {"ethtool", "-K", in.rx_iface, "gro", "on"}));
  clear_receiver(topology);
  check_nft_ruleset(topology, in.nft_path);

  EmptyProgram empty;
  if (!empty.skel) throw dataplane::Error("cannot load ww_empty");
  BenchGuard bench_guard(in.pin_root, static_cast<uint32_t>(loaded.policy->max_sources));
  const dataplane::Guard& guard = bench_guard.guard;
  dataplane::apply_policy(guard.maps(), compiled);
  TrafficGenerator generator;

  const int cpu = pin_to_last_cpu();
  const std::vector<uint8_t> frame =
      build_frame(policy::Family::ipv4, false, 0, kPassPort, {tx.mac, rx.mac});
  std::vector<std::unique_ptr<Receiver>> receivers;
  receivers.push_back(
      make_empty_receiver(topology, bpf_program__fd(empty.skel->progs.ww_empty_xdp)));
  receivers.push_back(make_guard_receiver(topology, guard));
  receivers.push_back(make_nft_receiver(topology, in.nft_path));

  // Every source once through the guard, so it measures against a full LRU.
  auto start = std::chrono::steady_clock::now();
  receivers[1]->attach();
  GeneratorRun warmup;
  {
    harness::NetnsScope scope(in.tx_netns);
    ww_gen_config all_pass = generator_config(TrafficMix::pass_heavy, profile.live_sources);
    all_pass.drop_count = 0;  // a denied packet never reaches the source's quota state
    warmup = generator.run_count(frame, tx.ifindex, all_pass, profile.live_sources);
  }
  std::this_thread::sleep_for(kSettle);
  receivers[1]->detach();
  const uint64_t sources_in_map = count_sources(guard.maps().sources.get());
  std::fprintf(stderr, "[live] warm-up: %lu packets from %u sources in %.2f s; %lu in ww_sources\n",
               (unsigned long)warmup.packets, profile.live_sources, seconds_since(start),
               (unsigned long)sources_in_map);

  std::vector<LiveRun> runs;
  for (TrafficMix mix : profile.mixes) {
    for (uint32_t rep = 0; rep < profile.live_repetitions; ++rep) {
      for (auto& receiver : receivers) {
        receiver->attach();
        LiveRun run{receiver->name(), mix, rep, {}, {}};
        const ww_gen_config config = generator_config(mix, profile.live_sources);
        {
          // Unmeasured traffic first: the first frames after an attach pay for
          // NAPI and page-pool setup that no steady state sees.
          harness::NetnsScope scope(in.tx_netns);
          generator.run_for(frame, tx.ifindex, config, warmup_seconds(profile));
        }
        std::this_thread::sleep_for(kSettle);
        const ReceiverCounts before = receiver->counts();
        {
          harness::NetnsScope scope(in.tx_netns);
          run.sent = generator.run_for(frame, tx.ifindex, config, profile.live_seconds);
        }
        std::this_thread::sleep_for(kSettle);
        run.delta = receiver->counts() - before;
        receiver->detach();
        std::fprintf(stderr, "[live] %-10s rep %u %-8s sent %9.0f pps, processed %9.0f pps\n",
                     to_string(mix), rep, receiver->name(), run.sent.packets / run.sent.seconds,
                     run.delta.processed / run.sent.seconds);
        runs.push_back(std::move(run));
      }
    }
  }

  json out;
  out["method"] = kMethod;
  out["rules"] = compiled.rules.size();
  out["sources"] = profile.live_sources;
  out["seconds_per_run"] = profile.live_seconds;
  out["repetitions"] = profile.live_repetitions;
  out["generator_cpu"] = cpu;
  out["generator_program"] = generator.info();
  out["xdp_mode"] = "native (veth)";
  out["warmup"] = {
      {"packets", warmup.packets}, {"seconds", warmup.seconds}, {"sources_in_map", sources_in_map}};
  out["runs"] = json::array();
  for (const LiveRun& r : runs) out["runs"].push_back(run_json(r));
  for (TrafficMix mix : profile.mixes) {
    json& m = out["mixes"][to_string(mix)];
    for (const auto& receiver : receivers)
      m[receiver->name()] = summarize(runs, mix, receiver->name());
    const double guard_pps = m["guard"]["processed_pps"]["median"].get<double>();
    const double empty_pps = m["empty"]["processed_pps"]["median"].get<double>();
    const double nft_pps = m["nftables"]["processed_pps"]["median"].get<double>();
    m["ratio_guard_vs_limit"] = empty_pps > 0 ? guard_pps / empty_pps : 0.0;
    m["ratio_guard_vs_nftables"] = nft_pps > 0 ? guard_pps / nft_pps : 0.0;
    m["paired_ratio_guard_vs_limit"] = to_json(paired_ratio(runs, mix, "empty"));
    m["paired_ratio_guard_vs_nftables"] = to_json(paired_ratio(runs, mix, "nftables"));
  }
  return out;
}

}  // namespace westworld::bench
