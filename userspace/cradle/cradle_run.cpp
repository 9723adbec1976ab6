#include "westworld/cradle/cradle_run.h"

#include <sys/utsname.h>
#include <unistd.h>

#include <ctime>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

#include "westworld/capability/bytes.h"
#include "westworld/capability/crypto.h"
#include "westworld/cradle/arm.h"
#include "westworld/cradle/report_codec.h"
#include "westworld/cradle/twin.h"
#include "westworld/cradle/twin_plan.h"
#include "westworld/harness/pid_tag.h"
#include "westworld/harness/text_file.h"
#include "westworld/policy/compiled_policy.h"
#include "westworld/policy/loader.h"
#include "ww_guard.skel.h"

namespace westworld::cradle {
namespace {

namespace fs = std::filesystem;

std::string sha256_hex(const void* data, size_t size) {
  return capability::to_hex(capability::sha256({static_cast<const uint8_t*>(data), size}));
}

std::string file_sha256(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream bytes;
  bytes << in.rdbuf();
  const std::string text = bytes.str();
  return sha256_hex(text.data(), text.size());
}

// The digest proposals and routers name a policy by; throws when the policy does not load.
std::string compiled_digest(const fs::path& path) {
  const auto loaded = policy::load_policy_file(path.string());
  if (!loaded.policy) throw std::runtime_error("the policy " + path.string() + " has errors");
  return policy::compile(*loaded.policy).digest_hex;
}

std::string duration_text(uint32_t ms) {
  return ms % 1000 == 0 ? std::to_string(ms / 1000) + " s" : std::to_string(ms) + " ms";
}

}  // namespace

std::vector<std::string> unmodelled_items(const Experiment& experiment) {
  std::vector<std::string> items = {
      "propagation delay and jitter of real links: the twin's links are veth pairs, and this "
      "kernel has no netem"};
  for (const LinkSpec& link : experiment.topology.links)
    if (link.mtu > kMaxNativeXdpMtu)
      items.push_back("native XDP on link " + link_name(link) + " (MTU " +
                      std::to_string(link.mtu) + "): a veth takes one page per frame in native " +
                      "mode, so its routers run the guard in generic mode");
  for (const FaultSpec& fault : experiment.faults) {
    if (fault.kind == FaultKind::delay)
      items.push_back("delay of " + std::to_string(fault.delay_ms) + " ms on link " + fault.link +
                      " at " + duration_text(fault.start_ms) +
                      ": no netem on this kernel and no userspace relay in the twin");
    if (fault.kind == FaultKind::etcd_member_lost)
      items.push_back("etcd member lost at " + duration_text(fault.start_ms) +
                      ": the twin's routers run alone on local state, without etcd");
  }
  return items;
}

TwinBuild describe_build(const Experiment& experiment, const fs::path& agent_binary) {
  TwinBuild build;
  build.agent_sha256 = file_sha256(agent_binary);
  size_t size = 0;
  const void* elf = ww_guard__elf_bytes(&size);
  build.guard_sha256 = sha256_hex(elf, size);
  build.routers = static_cast<uint32_t>(experiment.topology.routers.size());
  build.links = static_cast<uint32_t>(experiment.topology.links.size());
  return build;
}

MachineFacts machine_facts() {
  MachineFacts facts;
  utsname name{};
  if (uname(&name) == 0) facts.kernel = name.release;
  facts.cpus = static_cast<uint32_t>(sysconf(_SC_NPROCESSORS_ONLN));
  facts.memory_kib = static_cast<uint64_t>(sysconf(_SC_PHYS_PAGES)) * sysconf(_SC_PAGE_SIZE) / 1024;
  std::istringstream load(harness::read_text_file("/proc/loadavg"));
  std::string one, five, fifteen;
  load >> one >> five >> fifteen;
  facts.load_average = one + " " + five + " " + fifteen;
  return facts;
}

Report run_experiment(const Experiment& experiment, const RunOptions& options,
                      const capability::Ed25519KeyPair& key) {
  if (geteuid() != 0) throw std::runtime_error("the twin needs root (namespaces and BPF)");
  if (experiment.topology.from_mesh)
    throw std::runtime_error("`from: mesh`: the mesh's snapshot was not adopted (--mesh)");
  Report report;
  report.experiment = experiment.name;
  report.experiment_sha256 = file_sha256(options.experiment_file);
  report.started_unix_s = std::time(nullptr);
  report.machine = machine_facts();
  report.build = describe_build(experiment, options.agent_binary);
  report.unmodelled = unmodelled_items(experiment);
  if (options.snapshot) {
    for (const std::string& left : options.snapshot->left_out)
      report.build.capped += (report.build.capped.empty() ? "" : "; ") + left;
    report.build.running_digests = options.snapshot->running_digests;
    std::set<std::string> policies;
    for (const auto& [router, digest] : options.snapshot->running_digests) policies.insert(digest);
    if (policies.size() > 1)
      report.unmodelled.push_back(
          "the mesh's routers run " + std::to_string(policies.size()) +
          " different policies; each arm of the twin runs one policy on every router");
  }
  const std::string baseline_sha = file_sha256(options.baseline_policy);
  const std::string candidate_sha = file_sha256(options.candidate_policy);
  const std::string baseline_digest = compiled_digest(options.baseline_policy);
  const std::string candidate_digest = compiled_digest(options.candidate_policy);
  const TwinPlan plan = plan_twin(experiment);

  // What dead runs left is cleared first: their names could collide with nothing of ours,
  // but their agents and pins still cost memory and CPU the arms would then share.
  remove_twin_leftovers();
  const fs::path work = harness::make_tagged_directory(kTwinStem);
  auto arm = [&](const std::string& label, const fs::path& policy) {
    return run_arm(experiment, plan,
                   ArmOptions{.label = label,
                              .policy = policy,
                              .agent_binary = options.agent_binary,
                              .work_dir = work / label,
                              .progress = options.progress,
                              .stop = options.stop});
  };
  auto interrupted = [&] { return options.stop && *options.stop; };
  report.baseline = arm("baseline", options.baseline_policy);
  report.baseline.policy_sha256 = baseline_sha;
  report.baseline.policy_digest = baseline_digest;
  if (!interrupted()) {
    report.candidate = arm("candidate", options.candidate_policy);
    report.candidate.policy_sha256 = candidate_sha;
    report.candidate.policy_digest = candidate_digest;
  }
  std::error_code ignored;
  fs::remove_all(work, ignored);
  // An interrupted run has no verdict: its twins are gone, and so is the report.
  if (interrupted()) throw std::runtime_error("interrupted; the twin was torn down");

  report.finished_unix_s = std::time(nullptr);
  judge(experiment, report);
  sign_report(report, key);
  return report;
}

}  // namespace westworld::cradle
