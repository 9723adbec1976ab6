// ww-bench: Westworld's performance harness. `scripts/bench.sh` builds the
// namespaces and runs `ww-bench run`; the other subcommands are its tools:
// the benchmark policy generator, the nftables translator, and the child
// process that measures one compile.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "bench_policy.h"
#include "control_plane.h"
#include "live_traffic.h"
#include "machine_facts.h"
#include "nft_translator.h"
#include "prog_cost.h"
#include "report.h"
#include "results.h"
#include "westworld/dataplane/bpffs.h"
#include "westworld/dataplane/library_log.h"
#include "westworld/policy/loader.h"

namespace {

using namespace westworld::bench;
using nlohmann::json;

struct RunOptions {
  bool smoke = false;
  bool quick = false;
  std::string out_dir;
  std::string tx_netns, rx_netns;
  std::string tx_iface = "wwb-tx", rx_iface = "wwb-rx";
  std::vector<std::string> sections = {"program", "live", "control"};
  std::string bin_dir;
  std::string pin_root;
  uint32_t repeat = 0, live_sources = 0, live_repetitions = 0;
  double live_seconds = 0;
};

std::string self_exe() { return std::filesystem::read_symlink("/proc/self/exe").string(); }

void write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::trunc);
  if (!(out << text)) throw std::runtime_error("cannot write " + path);
}

bool wanted(const RunOptions& o, const std::string& section) {
  return std::find(o.sections.begin(), o.sections.end(), section) != o.sections.end();
}

Profile profile_of(const RunOptions& o) {
  Profile p = make_profile(o.smoke ? RunMode::smoke : (o.quick ? RunMode::quick : RunMode::full));
  if (o.repeat) p.repeat = o.repeat;
  if (o.live_sources) p.live_sources = o.live_sources;
  if (o.live_seconds > 0) p.live_seconds = o.live_seconds;
  if (o.live_repetitions) p.live_repetitions = o.live_repetitions;
  return p;
}

int run(const RunOptions& o) {
  const auto start = std::chrono::steady_clock::now();
  westworld::dataplane::ensure_bpffs_mounted();
  westworld::dataplane::install_library_log();  // libbpf/libxdp chatter stays out of the output
  std::filesystem::create_directories(o.out_dir);
  const Profile profile = profile_of(o);
  const std::string pin_root =
      o.pin_root.empty() ? "/sys/fs/bpf/ww-bench-" + std::to_string(getpid()) : o.pin_root;
  const std::string bin_dir =
      o.bin_dir.empty() ? std::filesystem::path(self_exe()).parent_path().string() : o.bin_dir;

  // One policy file for both sides of the live comparison.
  const std::string policy_path = o.out_dir + "/bench-policy.yaml";
  const std::string nft_path = o.out_dir + "/bench-policy.nft";
  const westworld::policy::Policy live_policy = make_bench_policy({.rules = profile.live_rules});
  write_file(policy_path, to_yaml(live_policy));
  write_file(nft_path, translate_to_nft(live_policy, {.device = o.rx_iface}));

  json results = {
      {"mode", profile.name}, {"profile", to_json(profile)}, {"machine", machine_facts()}};
  results["files"] = {{"policy", "bench-policy.yaml"}, {"nft_ruleset", "bench-policy.nft"}};
  json errors = json::array();
  auto section = [&](const std::string& name, auto&& measure) {
    if (!wanted(o, name)) return;
    try {
      measure();
    } catch (const std::exception& e) {
      std::fprintf(stderr, "ww-bench: %s failed: %s\n", name.c_str(), e.what());
      errors.push_back(name + ": " + e.what());
    }
  };
  const bool has_netns = !o.tx_netns.empty() && !o.rx_netns.empty();
  section("program",
          [&] { results["program_cost"] = measure_program_cost(profile, pin_root + "-prog"); });
  section("live", [&] {
    if (!has_netns) throw std::runtime_error("--tx-netns and --rx-netns are required");
    results["live"] = measure_live_traffic(profile, {o.tx_netns, o.rx_netns, o.tx_iface, o.rx_iface,
                                                     pin_root + "-live", policy_path, nft_path});
  });
  section("control", [&] {
    if (!has_netns) throw std::runtime_error("--tx-netns and --rx-netns are required");
    results["control_plane"] = measure_control_plane(
        profile, {self_exe(), bin_dir, o.out_dir, pin_root + "-ctl", policy_path, o.tx_netns,
                  o.rx_netns, o.tx_iface, o.rx_iface});
    if (const json& agent = results["control_plane"]["agent"]; agent.contains("error"))
      throw std::runtime_error("agent under load: " + agent["error"].get<std::string>());
  });

  results["errors"] = errors;
  results["load_average_at_end"] = load_average();
  results["elapsed_seconds"] =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  add_summary(results);
  write_file(o.out_dir + "/results.json", results.dump(2) + "\n");
  write_file(o.out_dir + "/results.md", markdown_report(results));
  write_plot_data(results, o.out_dir);
  return errors.empty() ? 0 : 1;
}

int write_policy(uint32_t rules, bool parse_only, uint64_t pps, uint64_t burst,
                 const std::string& out) {
  const westworld::policy::Policy p =
      parse_only ? make_parse_only_policy(1048576)
                 : make_bench_policy({.rules = rules, .quota_pps = pps, .quota_burst = burst});
  if (out.empty() || out == "-") {
    std::cout << to_yaml(p);
  } else {
    write_file(out, to_yaml(p));
  }
  return 0;
}

int translate(const std::string& policy_file, const std::string& device, const std::string& out) {
  westworld::policy::LoadResult loaded = westworld::policy::load_policy_file(policy_file);
  for (const auto& d : loaded.diagnostics) {
    if (d.severity == westworld::policy::Severity::error) std::cerr << d.format() << '\n';
  }
  if (!loaded.policy) return 1;
  const std::string ruleset = translate_to_nft(*loaded.policy, {.device = device});
  if (out.empty() || out == "-") {
    std::cout << ruleset;
  } else {
    write_file(out, ruleset);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"ww-bench: Westworld's performance harness (scripts/bench.sh runs it)"};
  app.require_subcommand(1);

  RunOptions o;
  CLI::App* run_cmd =
      app.add_subcommand("run", "Measure and write results.json, results.md and plot data");
  auto* smoke = run_cmd->add_flag("--smoke", o.smoke, "Tiny counts, one repetition: a self-check");
  run_cmd->add_flag("--quick", o.quick, "Under five minutes")->excludes(smoke);
  run_cmd->add_option("--out", o.out_dir, "Results directory")->required();
  run_cmd->add_option("--tx-netns", o.tx_netns, "Sender's network namespace (/run/netns/NAME)");
  run_cmd->add_option("--rx-netns", o.rx_netns, "Receiver's network namespace");
  run_cmd->add_option("--tx-iface", o.tx_iface, "Sender's veth")->capture_default_str();
  run_cmd->add_option("--rx-iface", o.rx_iface, "Receiver's veth")->capture_default_str();
  run_cmd->add_option("--sections", o.sections, "Any of program, live, control")
      ->check(CLI::IsMember({"program", "live", "control"}))
      ->capture_default_str();
  run_cmd->add_option("--bin-dir", o.bin_dir,
                      "Where westworld-agent and wwctl are (default: beside ww-bench)");
  run_cmd->add_option("--pin-root", o.pin_root, "bpffs prefix for the bench's own pins");
  run_cmd->add_option("--repeat", o.repeat, "Override: test_run repeat per frame");
  run_cmd->add_option("--live-sources", o.live_sources, "Override: sources in the live run");
  run_cmd->add_option("--live-seconds", o.live_seconds, "Override: seconds per live run");
  run_cmd->add_option("--live-repetitions", o.live_repetitions, "Override: live repetitions");

  uint32_t rules = 10000;
  bool parse_only = false;
  uint64_t pps = 20000, burst = 5000;
  std::string out, policy_file, device;
  CLI::App* policy_cmd = app.add_subcommand("policy", "Print the benchmark policy as YAML");
  policy_cmd->add_option("--rules", rules, "Flow rules in total")->capture_default_str();
  policy_cmd->add_flag("--parse-only", parse_only, "0 rules, default allow, quota unlimited");
  policy_cmd->add_option("--quota-pps", pps, "Per-source quota")->capture_default_str();
  policy_cmd->add_option("--quota-burst", burst, "Per-source burst")->capture_default_str();
  policy_cmd->add_option("-o,--output", out, "File instead of stdout");

  CLI::App* nft_cmd =
      app.add_subcommand("nft-translate", "Translate a policy to an nftables ruleset");
  nft_cmd->add_option("POLICY", policy_file, "Policy file (YAML)")
      ->required()
      ->check(CLI::ExistingFile);
  nft_cmd->add_option("--device", device, "Interface of the netdev ingress hook")->required();
  nft_cmd->add_option("-o,--output", out, "File instead of stdout");

  CLI::App* probe_cmd = app.add_subcommand("compile-probe", "Measure one compile (used by run)");
  probe_cmd->add_option("--rules", rules, "Flow rules")->required();

  CLI11_PARSE(app, argc, argv);
  try {
    if (*run_cmd) return run(o);
    if (*policy_cmd) return write_policy(rules, parse_only, pps, burst, out);
    if (*nft_cmd) return translate(policy_file, device, out);
    return run_compile_probe(rules);
  } catch (const std::exception& e) {
    std::cerr << "ww-bench: error: " << e.what() << '\n';
    return 1;
  }
}
