// wwctl cradle run|clean (verify: cradle_verify_command.cpp): a policy tried in a twin of the
// mesh, in network namespaces running the real agent and guard, before anyone votes on it.
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <iostream>
#include <memory>

#include "cradle_cli.h"
#include "mesh_access.h"
#include "peer_key.h"
#include "westworld/common/atomic_file.h"
#include "westworld/cradle/cradle_run.h"
#include "westworld/cradle/experiment_loader.h"
#include "westworld/cradle/plot.h"
#include "westworld/cradle/report_codec.h"
#include "westworld/cradle/report_table.h"
#include "westworld/cradle/twin.h"
#include "westworld/harness/netns.h"
#include "westworld/harness/tool_paths.h"
#include "westworld/mesh/keys.h"
#include "westworld/mesh/mesh_view.h"
#include "westworld/policy/loader.h"

namespace westworld::cli {
namespace {

namespace fs = std::filesystem;

// Set on SIGINT or SIGTERM.
std::atomic<bool> interrupted{false};

// The exit code for "could not run at all"; pass, fail and inconclusive are 0, 1 and 3.
constexpr int kCouldNotRun = 2;

struct RunArgs {
  mesh::EtcdFlags mesh;    // `from: mesh`: where the registry is
  std::string mesh_netns;  // and the namespace to reach it from
  std::string experiment;
  std::string candidate;
  std::string baseline;
  std::string output;
  std::string key;
  std::string agent;
};

// The agent built or installed beside this wwctl, else the one on $PATH.
fs::path default_agent() {
  std::error_code error;
  const fs::path self = fs::read_symlink("/proc/self/exe", error);
  if (!error && fs::exists(self.parent_path() / "westworld-agent"))
    return self.parent_path() / "westworld-agent";
  return harness::system_tool("westworld-agent");
}

// A policy the twin will run: it must load cleanly now, not fail inside every router.
bool policy_loads(const fs::path& path, const std::string& role) {
  const auto loaded = policy::load_policy_file(path.string());
  for (const auto& d : loaded.diagnostics) std::cerr << d.format() << '\n';
  if (!loaded.policy) std::cerr << "wwctl: the " << role << " policy " << path << " has errors\n";
  return loaded.policy.has_value();
}

// The registry as etcd holds it now, read from --mesh-netns when given.
cradle::MeshSnapshot read_snapshot(const RunArgs& args, const CommonOptions& common) {
  std::optional<harness::NetnsScope> inside;
  if (!args.mesh_netns.empty()) inside.emplace(args.mesh_netns);
  mesh::EtcdGateway store = open_store(args.mesh, common);
  const mesh::MeshView view =
      mesh::read_mesh_view(store, mesh::MeshKeys(args.mesh.mesh_name), now_unix());
  return cradle::snapshot_topology(view, cradle::kMaxTwinRouters);
}

int run_cradle(const RunArgs& args, const CommonOptions& common) {
  const auto loaded = cradle::load_experiment_file(args.experiment);
  for (const auto& d : loaded.diagnostics) std::cerr << d.format() << '\n';
  if (!loaded.experiment) return kCouldNotRun;
  cradle::Experiment experiment = *loaded.experiment;

  cradle::RunOptions options;
  if (experiment.topology.from_mesh) {
    if (args.mesh.endpoints.empty()) {
      std::cerr << "wwctl: " << args.experiment
                << " takes its topology from the mesh: give --mesh URLS\n";
      return kCouldNotRun;
    }
    options.snapshot = read_snapshot(args, common);
    for (const std::string& left : options.snapshot->left_out)
      std::cerr << "left out of the twin: " << left << '\n';
    const auto missing = cradle::adopt_snapshot(experiment, *options.snapshot);
    for (const std::string& m : missing) std::cerr << "wwctl: " << m << '\n';
    if (!missing.empty()) return kCouldNotRun;
    if (experiment.topology.routers.size() < 2) {
      std::cerr << "wwctl: the mesh's snapshot holds fewer than two linked routers\n";
      return kCouldNotRun;
    }
  }
  options.experiment_file = args.experiment;
  options.baseline_policy = args.baseline.empty() ? experiment.baseline_policy : args.baseline;
  options.candidate_policy = args.candidate.empty() ? experiment.candidate_policy : args.candidate;
  options.agent_binary = args.agent.empty() ? default_agent() : fs::path(args.agent);
  for (const auto& [path, role] : {std::pair{options.baseline_policy, "baseline"},
                                   std::pair{options.candidate_policy, "candidate"}}) {
    if (path.empty()) {
      std::cerr << "wwctl: no " << role << " policy: give --" << role << " or set policies." << role
                << " in " << args.experiment << '\n';
      return kCouldNotRun;
    }
    if (!policy_loads(path, role)) return kCouldNotRun;
  }
  if (!fs::exists(options.agent_binary)) {
    std::cerr << "wwctl: no agent at " << options.agent_binary << " (--agent PATH)\n";
    return kCouldNotRun;
  }
  const auto key = read_peer_key(args.key);
  const fs::path report_path =
      args.output.empty() ? fs::path(fs::path(args.experiment).stem().string() + ".report.json")
                          : fs::path(args.output);
  options.progress = [](const std::string& line) { std::cerr << line << '\n'; };
  options.stop = &interrupted;
  // Ctrl-C or a TERM ends the arm early and still tears the twin down; a KILL cannot be
  // caught: `wwctl cradle clean` removes what that leaves.
  struct sigaction on_stop {};
  on_stop.sa_handler = [](int) { interrupted = true; };
  sigaction(SIGINT, &on_stop, nullptr);
  sigaction(SIGTERM, &on_stop, nullptr);

  const cradle::Report report = cradle::run_experiment(experiment, options, key);
  common::write_file_atomically(report_path.string(), cradle::encode_report(report));
  std::cout << cradle::render_table(report);
  fs::path png = report_path;
  png.replace_extension(".png");
  if (auto why_not = cradle::write_plot(report, png))
    std::cerr << "wwctl: no plot: " << *why_not << '\n';
  else
    std::cout << "plot:   " << png.string() << '\n';
  std::cout << "report: " << report_path.string() << " (digest " << report.digest << ")\n";
  return cradle::exit_code_for(report.verdict);
}

int clean_cradle() {
  const auto removed = cradle::remove_twin_leftovers();
  for (const std::string& what : removed) std::cout << "removed " << what << '\n';
  const auto left = cradle::twin_leftovers();
  for (const std::string& what : left) std::cerr << "still there: " << what << '\n';
  if (removed.empty() && left.empty()) std::cout << "nothing of a dead twin was left\n";
  return left.empty() ? 0 : 1;
}

}  // namespace

void register_cradle_commands(CLI::App& app, const CommonOptions& common, int& exit_code) {
  CLI::App* cradle = app.add_subcommand(
      "cradle",
      "The twin: try a policy in namespaces running the real agent and guard, under "
      "injected faults, before anyone votes on it");
  cradle->require_subcommand(1);

  auto args = std::make_shared<RunArgs>();
  CLI::App* run = cradle->add_subcommand(
      "run",
      "Run the experiment's baseline and candidate policies on fresh twins and write a signed "
      "report; exit 0 pass, 1 fail, 3 inconclusive, 2 could not run");
  run->add_option("EXPERIMENT", args->experiment, "Experiment file (YAML)")
      ->required()
      ->check(CLI::ExistingFile);
  run->add_option("--candidate", args->candidate, "Candidate policy (overrides the experiment's)");
  run->add_option("--baseline", args->baseline,
                  "Baseline policy, the one running now (overrides the experiment's)");
  run->add_option("-o,--output", args->output,
                  "Report file (default: EXPERIMENT's name + .report.json, here); the plot "
                  "goes beside it as .png");
  run->add_option("--key", args->key,
                  "This node's Ed25519 key (`wwctl peer keygen`), which signs the report")
      ->required();
  run->add_option("--agent", args->agent,
                  "The westworld-agent the twin runs (default: the one beside wwctl)");
  mesh::add_etcd_flags(*run, args->mesh,
                       "`topology: {from: mesh}`: the mesh's etcd endpoints (its registry)", false);
  run->add_option("--mesh-netns", args->mesh_netns,
                  "Reach --mesh from inside this network namespace");
  run->callback([args, &common, &exit_code] {
    try {
      exit_code = run_cradle(*args, common);
    } catch (const std::exception& e) {
      std::cerr << "wwctl: error: " << e.what() << '\n';
      exit_code = kCouldNotRun;
    }
  });

  CLI::App* clean = cradle->add_subcommand(
      "clean",
      "Remove what killed twin runs left: namespaces (their processes killed by PID), "
      "BPF pins, cgroups and work directories");
  clean->callback([&exit_code] { exit_code = clean_cradle(); });

  register_cradle_verify(*cradle, common, exit_code);
}

}  // namespace westworld::cli
