#include "control_plane.h"

#include <signal.h>
#include <sys/stat.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

#include "bench_policy.h"
#include "frames.h"
#include "stats.h"
#include "traffic_generator.h"
#include "westworld/dataplane/guard_maps.h"
#include "westworld/dataplane/policy_writer.h"
#include "westworld/harness/command.h"
#include "westworld/harness/interface_lookup.h"
#include "westworld/harness/netns.h"
#include "westworld/harness/polling.h"
#include "westworld/policy/loader.h"

namespace westworld::bench {
namespace {

using harness::ChildProcess;
using harness::CommandResult;
using harness::run_command;

using nlohmann::json;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// VmRSS or VmHWM of a process, in MB.
double status_mb(const std::string& pid, const std::string& field) {
  std::ifstream in("/proc/" + pid + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field + ":", 0) == 0) return std::stod(line.substr(field.size() + 1)) / 1024.0;
  }
  return 0;
}

// --- compile -------------------------------------------------------------

json compile_once(const std::string& self_exe, uint32_t rules) {
  const std::string out = harness::run_checked(
      {self_exe, "compile-probe", "--rules", std::to_string(rules)}, harness::kWaitForever);
  return json::parse(out);
}

// --- apply ---------------------------------------------------------------

json measure_apply(const Profile& profile, const ControlPlaneInputs& in) {
  policy::LoadResult loaded = policy::load_policy_file(in.policy_path);
  if (!loaded.policy) throw std::runtime_error("the loader refused " + in.policy_path);
  const policy::CompiledPolicy compiled = policy::compile(*loaded.policy);
  struct Pinned {
    std::string root;
    dataplane::Guard guard;
    ~Pinned() { dataplane::Guard::unpin(root); }
  } pinned{in.pin_root, dataplane::Guard::load({in.pin_root, 1048576})};

  dataplane::apply_policy(pinned.guard.maps(),
                          compiled);  // the first apply fills both halves' maps
  std::vector<double> seconds;
  for (uint32_t rep = 0; rep < profile.apply_repetitions; ++rep) {
    // The writer waits 10 ms after the previous flip before rewriting a half;
    // waiting longer here keeps that grace period out of the measurement.
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    const Clock::time_point start = Clock::now();
    dataplane::apply_policy(pinned.guard.maps(), compiled);
    seconds.push_back(seconds_since(start));
  }
  return {{"rules", compiled.rules.size()},
          {"method",
           "apply_policy() of an already compiled policy into a loaded guard: write the inactive "
           "half of every table, then flip ww_active (median over repetitions, after one "
           "warm-up apply; the 10 ms grace wait between back-to-back applies is excluded)"},
          {"seconds", to_json(spread_of(seconds))}};
}

// --- agent ---------------------------------------------------------------

struct AgentPaths {
  std::string socket, state_dir, log, pin_root;
};

std::vector<std::string> wwctl(const ControlPlaneInputs& in, const AgentPaths& a,
                               std::vector<std::string> args) {
  std::vector<std::string> argv = {in.bin_dir + "/wwctl", "--netns",    in.rx_netns,
                                   "--control",           a.socket,     "--state-dir",
                                   a.state_dir,           "--pin-root", a.pin_root};
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

// The agent's RSS, sampled beside each `wwctl status` call while under load.
struct LoadSample {
  double peak_rss_mb = 0;
  std::vector<double> rss_mb;
  uint64_t status_calls = 0;
};

json measure_agent(const Profile& profile, const ControlPlaneInputs& in) {
  AgentPaths a{in.work_dir + "/agent.sock", in.work_dir + "/agent-state",
               in.work_dir + "/agent.log", in.pin_root + "-agent"};
  std::filesystem::create_directories(a.state_dir);
  const Clock::time_point start = Clock::now();
  ChildProcess agent(
      {in.bin_dir + "/westworld-agent", "--netns", in.rx_netns, "--policy", in.policy_path,
       "--iface", in.rx_iface, "--xdp-mode", "native", "--control", a.socket, "--state-dir",
       a.state_dir, "--data-dir", a.state_dir, "--pin-root", a.pin_root},
      {.stdout_path = a.log, .stderr_path = a.log, .append = true});
  const std::string pid_text = std::to_string(agent.pid());
  auto stop_agent = [&] {
    run_command(wwctl(in, a, {"detach"}));
    agent.send_signal(SIGTERM);
    agent.wait_for_exit(harness::kWaitForever);
    dataplane::Guard::unpin(a.pin_root);
  };
  struct stat st {};
  const bool listening = harness::eventually(
      std::chrono::seconds(60),
      [&] { return !agent.running() || ::stat(a.socket.c_str(), &st) == 0; },
      std::chrono::milliseconds(20));
  if (!agent.running()) {
    dataplane::Guard::unpin(a.pin_root);
    throw std::runtime_error("westworld-agent exited early; see " + a.log);
  }
  if (!listening) {
    stop_agent();
    throw std::runtime_error("westworld-agent did not open its control socket within 60 s; see " +
                             a.log);
  }
  const double ready_seconds = seconds_since(start);
  json out;
  try {
    out["ready_seconds"] = ready_seconds;
    std::vector<double> idle;
    const Clock::time_point idle_start = Clock::now();
    while (seconds_since(idle_start) < profile.agent_idle_seconds) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      idle.push_back(status_mb(pid_text, "VmRSS"));
    }
    out["idle_rss_mb"] = to_json(spread_of(idle));

    // Load: line-rate traffic through the agent's guard, all of it to the audited
    // port (so the agent reads and logs audit events), wwctl status polled every
    // 100 ms, and one policy apply through the control socket.
    std::atomic<bool> done{false};
    LoadSample sample;
    std::thread poller([&] {
      while (!done) {
        run_command(wwctl(in, a, {"status", "--json"}));
        ++sample.status_calls;
        const double rss = status_mb(pid_text, "VmRSS");
        sample.rss_mb.push_back(rss);
        sample.peak_rss_mb = std::max(sample.peak_rss_mb, rss);
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
    });
    const harness::InterfaceInfo rx = harness::interface_in(in.rx_netns, in.rx_iface);
    const harness::InterfaceInfo tx = harness::interface_in(in.tx_netns, in.tx_iface);
    const std::vector<uint8_t> frame =
        build_frame(policy::Family::ipv4, false, 0, kAuditPort, {tx.mac, rx.mac});
    ww_gen_config config{};
    config.n_sources = profile.live_sources;
    config.period = kMixPeriod;
    config.pass_port = kAuditPort;
    TrafficGenerator generator;
    GeneratorRun traffic;
    double apply_seconds = 0;
    std::thread applier([&] {
      std::this_thread::sleep_for(std::chrono::duration<double>(profile.agent_load_seconds / 3));
      const Clock::time_point apply_start = Clock::now();
      CommandResult r =
          run_command(wwctl(in, a, {"policy", "apply", in.policy_path}), harness::kWaitForever);
      apply_seconds = r.ok() ? seconds_since(apply_start) : -1;
    });
    // The helper threads end before this scope does, also when the generator throws
    // (a std::thread destroyed while joinable terminates the process).
    const auto join_helpers = [&] {
      if (applier.joinable()) applier.join();
      done = true;
      if (poller.joinable()) poller.join();
    };
    try {
      harness::NetnsScope scope(in.tx_netns);
      traffic = generator.run_for(frame, tx.ifindex, config, profile.agent_load_seconds);
    } catch (...) {
      join_helpers();
      throw;
    }
    join_helpers();
    out["load"] = {
        {"what", "generator traffic at full rate from " + std::to_string(profile.live_sources) +
                     " sources to the audited port, `wwctl status --json` every 100 ms, and one "
                     "`wwctl policy apply` of the 10,000-rule policy"},
        {"seconds", traffic.seconds},
        {"packets", traffic.packets},
        {"pps", traffic.seconds > 0 ? traffic.packets / traffic.seconds : 0},
        {"status_calls", sample.status_calls},
        {"rss_mb", to_json(spread_of(sample.rss_mb))},
        {"peak_rss_mb", sample.peak_rss_mb},
        {"apply_seconds_via_agent", apply_seconds}};
    out["hwm_rss_mb"] = status_mb(pid_text, "VmHWM");
  } catch (...) {
    stop_agent();
    throw;
  }
  stop_agent();
  return out;
}

}  // namespace

json measure_control_plane(const Profile& profile, const ControlPlaneInputs& in) {
  json out;
  out["compile_method"] =
      "a fresh `ww-bench compile-probe` process per size: generate the bench policy, then time "
      "load_policy_text() (YAML -> validated model) and compile() (model -> map image); peak = "
      "VmHWM after resetting it just before loading (includes the YAML text and the process "
      "baseline). Above the loader's 16,384-rule limit the loader refuses, and compile() runs "
      "on the generated model directly";
  out["compile"] = json::array();
  for (uint32_t rules : profile.compile_rule_counts) {
    json probe = compile_once(in.self_exe, rules);
    std::fprintf(stderr, "[control] compile %6u rules: %.3f s, peak %.0f MB%s\n", rules,
                 probe["total_seconds"].get<double>(), probe["peak_rss_mb"].get<double>(),
                 probe["loader_accepted"].get<bool>() ? "" : " (loader refused; compile only)");
    out["compile"].push_back(probe);
  }
  out["apply"] = measure_apply(profile, in);
  std::fprintf(stderr, "[control] apply %u rules: %.3f s\n", out["apply"]["rules"].get<unsigned>(),
               out["apply"]["seconds"]["median"].get<double>());
  // The agent's load measurement needs the traffic generator; when it fails, the compile
  // and apply figures above still stand, and the failure is reported beside them.
  try {
    out["agent"] = measure_agent(profile, in);
  } catch (const std::exception& e) {
    out["agent"] = {{"error", e.what()}};
    return out;
  }
  std::fprintf(stderr, "[control] agent RSS idle %.1f MB, under load peak %.1f MB\n",
               out["agent"]["idle_rss_mb"]["median"].get<double>(),
               out["agent"]["load"]["peak_rss_mb"].get<double>());
  return out;
}

int run_compile_probe(uint32_t rules) {
  const policy::Policy model = make_bench_policy({.rules = rules});
  const std::string yaml = to_yaml(model);
  const double baseline_mb = status_mb("self", "VmRSS");
  // Writing 5 resets VmHWM to the current RSS: the peak below is this compile's.
  std::ofstream("/proc/self/clear_refs") << "5";

  const Clock::time_point start = Clock::now();
  policy::LoadResult loaded = policy::load_policy_text(yaml, "bench.yaml");
  const double load_seconds = seconds_since(start);
  std::string loader_error;
  for (const auto& d : loaded.diagnostics) {
    if (d.severity == policy::Severity::error && loader_error.empty()) loader_error = d.format();
  }
  const Clock::time_point compile_start = Clock::now();
  const policy::CompiledPolicy compiled = policy::compile(loaded.policy ? *loaded.policy : model);
  const double compile_seconds = seconds_since(compile_start);

  json out = {{"rules", rules},
              {"yaml_bytes", yaml.size()},
              {"loader_accepted", loaded.policy.has_value()},
              {"load_seconds", load_seconds},
              {"compile_seconds", compile_seconds},
              {"total_seconds", load_seconds + compile_seconds},
              {"baseline_rss_mb", baseline_mb},
              {"peak_rss_mb", status_mb("self", "VmHWM")},
              {"src_prefix_entries", compiled.src.size()},
              {"dst_port_intervals", compiled.dst_ports.starts.size()}};
  if (!loader_error.empty()) out["loader_error"] = loader_error;
  std::cout << out.dump() << "\n";
  return 0;
}

}  // namespace westworld::bench
