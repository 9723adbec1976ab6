// The experiment loader: a full file loads with every field right, and every error class is
// reported at its exact line and column, alone (one mistake, one diagnostic), with nothing
// returned. The YAML is written inline, in block style where a column is asserted, so the
// columns can be counted by eye.
#include "westworld/cradle/experiment_loader.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "diagnostic_matchers.h"
#include "westworld/policy/loader.h"

namespace westworld::cradle {
namespace {

using policy::Diagnostic;
using policy::Severity;

ExperimentLoad load(const std::string& yaml, const std::string& base_dir = "/srv/exp") {
  return load_experiment_text(yaml, "exp.yaml", base_dir);
}

using harness::all_of;

// The load failed with exactly one diagnostic: an error at line:column whose message holds
// every one of `parts`.
::testing::AssertionResult only_error(const ExperimentLoad& result, int line, int column,
                                      std::initializer_list<std::string_view> parts) {
  return harness::only_error(result.experiment.has_value(), result.diagnostics, line, column,
                             parts);
}

// The experiment of a load that must have no diagnostics at all (a copy: loads are
// temporaries).
Experiment loaded(const ExperimentLoad& result) {
  EXPECT_TRUE(result.diagnostics.empty()) << all_of(result.diagnostics);
  EXPECT_TRUE(result.experiment.has_value());
  return result.experiment.value_or(Experiment{});
}

// Lines 1-8: a valid line of three routers and the arm's length.
const std::string kHead =
    "version: 1\n"
    "name: t\n"
    "topology:\n"
    "  routers: [r1, r2, r3]\n"
    "  links:\n"
    "    - {between: [r1, r2]}\n"
    "    - {between: [r2, r3]}\n"
    "duration: 20s\n";

// Three lines: one flow, r1 to r3.
const std::string kWorkload =
    "workload:\n"
    "  flows:\n"
    "    - {name: f1, from: r1, to: r3, port: 7000, rate: 200pps, size: 200B}\n";

// Two lines: one fail gate.
const std::string kGate =
    "gates:\n"
    "  - {name: g, signal: delivery_ratio, op: \">=\", threshold: 95%}\n";

// Faults (from line 14) after a valid head, workload and gate.
std::string with_faults(const std::string& faults) {
  return kHead + kWorkload + kGate + "faults:\n" + faults;
}

// Gates (from line 12) after a valid head and workload.
std::string with_gates(const std::string& gates) { return kHead + kWorkload + "gates:\n" + gates; }

// Workload (from line 9) between a valid head and gate.
std::string with_workload(const std::string& workload) {
  return kHead + "workload:\n" + workload + kGate;
}

// Topology (from line 4) in an otherwise valid experiment.
std::string with_topology(const std::string& topology) {
  return "version: 1\nname: t\ntopology:\n" + topology + "duration: 20s\n" + kWorkload + kGate;
}

// --- a full file ---

TEST(ExperimentLoader, LoadsEveryFieldOfAFullExperiment) {
  const Experiment& e = loaded(load(R"(
version: 1
name: flood-is-contained
topology:
  routers: [r1, r2, r3, edge-1]
  links:
    - {between: [r1, r2], mtu: 9000}
    - {between: [r2, r3]}
    - {between: [r3, edge-1], mtu: 1280}
duration: 2m
sample_every: 500ms
policies:
  baseline: ../mesh-demo.yaml
  candidate: /etc/westworld/candidate.yaml
workload:
  flows:
    - {name: r1-to-r3, from: r1, to: r3, port: 7000, rate: 200pps, size: 200B}
    - {name: back, proto: udp, from: edge-1, to: r1, port: 7002, rate: 20000pps, size: 1KB}
  attacks:
    - {name: flood, kind: source_flood, from: r2, to: r3, port: 7001, rate: 200000pps,
       start: 5s, duration: 10s}
    - {name: spoofed, kind: spoofed_flood, from: r2, to: r3, port: 7003, rate: 1pps, start: 0s}
    - {name: creep, kind: share_creep, from: r1, to: r3, port: 7004, rate: 100pps,
       rate_end: 5000pps, start: 1500ms, duration: 1m}
    - {name: applies, kind: apply_burst, from: r1, to: r2, rate: 50pps, start: 119s}
faults:
  - {kind: loss, link: r1-r2, loss: 0.5%, start: 2s, duration: 5s}
  - {kind: partition, link: r3-r2, start: 8s, duration: 2s}
  - {kind: rate_limit, link: r1-r2, rate: 10Mbit, start: 0s}
  - {kind: link_down, link: edge-1-r3, start: 3s, duration: 1s}
  - {kind: agent_kill, router: r2, start: 8s}
  - {kind: router_freeze, router: edge-1, start: 4s, duration: 2s}
  - {kind: etcd_member_lost, start: 4s}
  - {kind: delay, link: r1-r2, delay: 20ms, start: 0s}
gates:
  - {name: legit-delivery, signal: delivery_ratio, op: ">=", threshold: 99.5%, min_samples: 240}
  - {name: p99, signal: latency_p99.r1-to-r3, op: "<=", threshold: 500us, action: warn}
  - {name: p50, signal: latency_p50, op: "<", threshold: 2ms, action: fail}
  - {name: contained, signal: time_to_quarantine, op: "<=", threshold: 5s}
  - {name: no-collateral, signal: legit_quarantined, op: "==", threshold: 0}
  - {name: quota-drops, signal: drops.quota, op: ">", threshold: 12}
  - {name: share, signal: attacker_share, op: "<=", threshold: 250000ppm}
  - {name: restarts, signal: restarts_survived, op: ">=", threshold: 1}
  - {name: flood-held, signal: time_to_quarantine.flood, op: "<=", threshold: 3s}
)"));
  EXPECT_EQ(e.name, "flood-is-contained");
  EXPECT_FALSE(e.topology.from_mesh);
  EXPECT_EQ(e.topology.routers, (std::vector<std::string>{"r1", "r2", "r3", "edge-1"}));
  ASSERT_EQ(e.topology.links.size(), 3u);
  EXPECT_EQ(e.topology.links[0].a, "r1");
  EXPECT_EQ(e.topology.links[0].b, "r2");
  EXPECT_EQ(e.topology.links[0].mtu, 9000u);
  EXPECT_EQ(e.topology.links[1].mtu, 1500u);  // the default
  EXPECT_EQ(e.topology.links[2].b, "edge-1");
  EXPECT_EQ(e.topology.links[2].mtu, 1280u);
  EXPECT_EQ(e.duration_ms, 120000u);
  EXPECT_EQ(e.sample_ms, 500u);
  EXPECT_EQ(e.baseline_policy, "/srv/mesh-demo.yaml");
  EXPECT_EQ(e.candidate_policy, "/etc/westworld/candidate.yaml");

  ASSERT_EQ(e.flows.size(), 2u);
  EXPECT_EQ(e.flows[0].name, "r1-to-r3");
  EXPECT_EQ(e.flows[0].from, "r1");
  EXPECT_EQ(e.flows[0].to, "r3");
  EXPECT_EQ(e.flows[0].port, 7000);
  EXPECT_EQ(e.flows[0].pps, 200u);
  EXPECT_EQ(e.flows[0].size_bytes, 200u);
  EXPECT_EQ(e.flows[1].from, "edge-1");
  EXPECT_EQ(e.flows[1].pps, 20000u);
  EXPECT_EQ(e.flows[1].size_bytes, 1024u);

  ASSERT_EQ(e.attacks.size(), 4u);
  EXPECT_EQ(e.attacks[0].name, "flood");
  EXPECT_EQ(e.attacks[0].kind, AttackKind::source_flood);
  EXPECT_EQ(e.attacks[0].from, "r2");
  EXPECT_EQ(e.attacks[0].to, "r3");
  EXPECT_EQ(e.attacks[0].port, 7001);
  EXPECT_EQ(e.attacks[0].pps, 200000u);
  EXPECT_EQ(e.attacks[0].start_ms, 5000u);
  EXPECT_EQ(e.attacks[0].duration_ms, 10000u);
  EXPECT_EQ(e.attacks[1].kind, AttackKind::spoofed_flood);
  EXPECT_EQ(e.attacks[1].duration_ms, 0u);  // to the end of the arm
  EXPECT_EQ(e.attacks[2].kind, AttackKind::share_creep);
  EXPECT_EQ(e.attacks[2].pps, 100u);
  EXPECT_EQ(e.attacks[2].pps_end, 5000u);
  EXPECT_EQ(e.attacks[2].start_ms, 1500u);
  EXPECT_EQ(e.attacks[2].duration_ms, 60000u);
  EXPECT_EQ(e.attacks[3].kind, AttackKind::apply_burst);
  EXPECT_EQ(e.attacks[3].port, 0);
  EXPECT_EQ(e.attacks[3].pps, 50u);
  EXPECT_EQ(e.attacks[3].start_ms, 119000u);

  ASSERT_EQ(e.faults.size(), 8u);
  EXPECT_EQ(e.faults[0].kind, FaultKind::loss);
  EXPECT_EQ(e.faults[0].link, "r1-r2");
  EXPECT_EQ(e.faults[0].loss_ppm, 5000u);
  EXPECT_EQ(e.faults[0].start_ms, 2000u);
  EXPECT_EQ(e.faults[0].duration_ms, 5000u);
  EXPECT_EQ(e.faults[1].kind, FaultKind::partition);
  EXPECT_EQ(e.faults[1].link, "r2-r3");  // named either way round, kept in the topology's
  EXPECT_EQ(e.faults[2].kind, FaultKind::rate_limit);
  EXPECT_EQ(e.faults[2].rate_bits_per_second, 10'000'000u);
  EXPECT_EQ(e.faults[2].duration_ms, 0u);
  EXPECT_EQ(e.faults[3].kind, FaultKind::link_down);
  EXPECT_EQ(e.faults[3].link, "r3-edge-1");  // a router id with a dash
  EXPECT_EQ(e.faults[4].kind, FaultKind::agent_kill);
  EXPECT_EQ(e.faults[4].router, "r2");
  EXPECT_EQ(e.faults[4].start_ms, 8000u);
  EXPECT_EQ(e.faults[5].kind, FaultKind::router_freeze);
  EXPECT_EQ(e.faults[5].router, "edge-1");
  EXPECT_EQ(e.faults[5].duration_ms, 2000u);
  EXPECT_EQ(e.faults[6].kind, FaultKind::etcd_member_lost);
  EXPECT_EQ(e.faults[6].start_ms, 4000u);
  EXPECT_EQ(e.faults[7].kind, FaultKind::delay);
  EXPECT_EQ(e.faults[7].delay_ms, 20u);

  ASSERT_EQ(e.gates.size(), 9u);
  EXPECT_EQ(e.gates[0].name, "legit-delivery");
  EXPECT_EQ(e.gates[0].signal, (SignalName{SignalKind::delivery_ratio, ""}));
  EXPECT_EQ(e.gates[0].op, GateOp::ge);
  EXPECT_EQ(e.gates[0].threshold, 995000);
  EXPECT_EQ(e.gates[0].action, GateAction::fail);  // the default
  EXPECT_EQ(e.gates[0].min_samples, 240u);         // every sample of a 2m arm at 500ms
  EXPECT_EQ(e.gates[1].signal, (SignalName{SignalKind::latency_p99, "r1-to-r3"}));
  EXPECT_EQ(e.gates[1].op, GateOp::le);
  EXPECT_EQ(e.gates[1].threshold, 500);  // microseconds
  EXPECT_EQ(e.gates[1].action, GateAction::warn);
  EXPECT_EQ(e.gates[1].min_samples, 1u);  // the default
  EXPECT_EQ(e.gates[2].op, GateOp::lt);
  EXPECT_EQ(e.gates[2].threshold, 2000);  // microseconds
  EXPECT_EQ(e.gates[3].signal.kind, SignalKind::time_to_quarantine);
  EXPECT_EQ(e.gates[3].threshold, 5000);  // milliseconds
  EXPECT_EQ(e.gates[4].op, GateOp::eq);
  EXPECT_EQ(e.gates[4].threshold, 0);
  EXPECT_EQ(e.gates[5].signal, (SignalName{SignalKind::drops, "quota"}));
  EXPECT_EQ(e.gates[5].op, GateOp::gt);
  EXPECT_EQ(e.gates[5].threshold, 12);
  EXPECT_EQ(e.gates[6].threshold, 250000);  // ppm as written
  EXPECT_EQ(e.gates[7].signal.kind, SignalKind::restarts_survived);
  EXPECT_EQ(e.gates[8].signal, (SignalName{SignalKind::time_to_quarantine, "flood"}));
  EXPECT_EQ(e.gates[8].threshold, 3000);
}

TEST(ExperimentLoader, DefaultsAndTheSmallestExperiment) {
  const Experiment& e = loaded(load(kHead + kWorkload + kGate));
  EXPECT_EQ(e.sample_ms, 1000u);
  EXPECT_TRUE(e.baseline_policy.empty());  // then --baseline must give it
  EXPECT_TRUE(e.candidate_policy.empty());
  EXPECT_TRUE(e.attacks.empty());
  EXPECT_TRUE(e.faults.empty());
  ASSERT_EQ(e.gates.size(), 1u);
  EXPECT_EQ(e.gates[0].action, GateAction::fail);
  EXPECT_EQ(e.gates[0].min_samples, 1u);
  EXPECT_EQ(e.gates[0].threshold, 950000);
}

TEST(ExperimentLoader, ResolvesRelativePolicyPathsAgainstTheExperimentsDirectory) {
  const std::string yaml =
      kHead + kWorkload + kGate +
      "policies:\n  baseline: ../mesh-demo.yaml\n  candidate: candidate.yaml\n";
  const Experiment& e = loaded(load(yaml, "/srv/westworld/experiments"));
  EXPECT_EQ(e.baseline_policy, "/srv/westworld/mesh-demo.yaml");
  EXPECT_EQ(e.candidate_policy, "/srv/westworld/experiments/candidate.yaml");

  // From a file: its own directory is the base, wherever the loader runs from.
  const auto dir =
      std::filesystem::temp_directory_path() / ("ww-cradle-loader-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto path = dir / "exp.yaml";
  std::ofstream(path) << yaml;
  ExperimentLoad from_file = load_experiment_file(path.string());
  std::filesystem::remove_all(dir);
  const Experiment& f = loaded(from_file);
  EXPECT_EQ(f.baseline_policy, (dir.parent_path() / "mesh-demo.yaml").string());
  EXPECT_EQ(f.candidate_policy, (dir / "candidate.yaml").string());
}

TEST(ExperimentLoader, AMissingFileIsAnErrorWithoutALine) {
  ExperimentLoad result = load_experiment_file("/nonexistent/exp.yaml");
  EXPECT_TRUE(only_error(result, 0, 0, {"cannot read /nonexistent/exp.yaml"}));
}

TEST(ExperimentLoader, AFromMeshTopologyLeavesTheRoutersToTheRun) {
  // Its routers are the registry's, so names the file uses cannot be checked yet.
  const Experiment& e =
      loaded(load("version: 1\nname: t\ntopology: {from: mesh}\nduration: 20s\n" + kWorkload +
                  "faults:\n  - {kind: loss, link: r1-r9, loss: 1%, start: 0s}\n" + kGate));
  EXPECT_TRUE(e.topology.from_mesh);
  EXPECT_TRUE(e.topology.routers.empty());
  EXPECT_EQ(e.faults[0].link, "r1-r9");
}

// --- the document ---

TEST(ExperimentLoader, RefusesAnEmptyDocument) {
  EXPECT_TRUE(only_error(load(""), 1, 1, {"the experiment is empty"}));
}

TEST(ExperimentLoader, RefusesInvalidYamlAtItsPlace) {
  EXPECT_TRUE(only_error(load("version: 1\nname: [t\n"), 3, 1, {"invalid YAML"}));
}

TEST(ExperimentLoader, RefusesASecondDocument) {
  EXPECT_TRUE(only_error(load(kHead + kWorkload + kGate + "---\nversion: 1\n"), 15, 1,
                         {"an experiment is one YAML document"}));
}

TEST(ExperimentLoader, RefusesANulByte) {
  using namespace std::string_literals;
  EXPECT_TRUE(
      only_error(load("version: 1\nname: t\0x\n"s), 2, 8, {"a NUL byte: an experiment is text"}));
}

TEST(ExperimentLoader, RefusesAnUnknownKeyNamingTheOneItMeant) {
  EXPECT_TRUE(
      only_error(load(kHead + kWorkload + kGate + "sample_evry: 1s\n"), 14, 1,
                 {"unknown field 'sample_evry' in experiment", "did you mean 'sample_every'"}));
}

TEST(ExperimentLoader, RefusesARepeatedKey) {
  EXPECT_TRUE(only_error(load(kHead + kWorkload + kGate + "duration: 30s\n"), 14, 1,
                         {"duplicate field 'duration'", "first on line 8"}));
}

TEST(ExperimentLoader, RefusesAMissingRequiredField) {
  EXPECT_TRUE(
      only_error(load(kHead + kWorkload), 1, 1, {"experiment is missing required field 'gates'"}));
}

TEST(ExperimentLoader, RefusesAnotherVersion) {
  EXPECT_TRUE(only_error(load("version: 2" + kHead.substr(10) + kWorkload + kGate), 1, 10,
                         {"unsupported experiment version '2'"}));
}

TEST(ExperimentLoader, RefusesANameOutsideTheIdentifierCharacters) {
  EXPECT_TRUE(only_error(load("version: 1\nname: my test" + kHead.substr(18) + kWorkload + kGate),
                         2, 7, {"name must be 1 to 63 letters, digits, '_' or '-'", "'my test'"}));
}

TEST(ExperimentLoader, ReportsEveryErrorInFileOrder) {
  ExperimentLoad result = load(with_gates("  - name: g\n"
                                          "    signal: nope\n"
                                          "    op: \">=\"\n"
                                          "    threshold: 1\n") +
                               "duration: 30s\n");
  EXPECT_FALSE(result.experiment);
  ASSERT_EQ(result.diagnostics.size(), 2u) << all_of(result.diagnostics);
  EXPECT_EQ(result.diagnostics[0].where.line, 14);
  EXPECT_EQ(result.diagnostics[1].where.line, 17);
  EXPECT_EQ(result.diagnostics[0].format().rfind("exp.yaml:14:13: error: unknown signal", 0), 0u)
      << result.diagnostics[0].format();
}

// --- topology ---

TEST(ExperimentLoader, CapsTheTwinAtWhatThisMachineHolds) {
  // The flows' routers are not checked against a topology that failed: one error, not three.
  EXPECT_TRUE(only_error(load(with_topology("  routers: [r1, r2, r3, r4, r5, r6, r7, r8, r9]\n"
                                            "  links:\n"
                                            "    - {between: [r1, r2]}\n")),
                         4, 12, {"the twin holds at most 8 routers on this machine", "has 9"}));
}

TEST(ExperimentLoader, NeedsTwoRouters) {
  EXPECT_TRUE(
      only_error(load(with_topology("  routers: [r1]\n  links:\n    - {between: [r1, r2]}\n")), 4,
                 12, {"at least 2 routers"}));
}

TEST(ExperimentLoader, RefusesABadOrRepeatedRouterId) {
  EXPECT_TRUE(
      only_error(load(with_topology("  routers: [r1, r2, r3, router.4]\n  links:\n"
                                    "    - {between: [r1, r2]}\n    - {between: [r2, r3]}\n")),
                 4, 25, {"router id must be 1 to 16 letters", "'router.4'"}));
  EXPECT_TRUE(
      only_error(load(with_topology("  routers: [r1, r2, r3, r1]\n  links:\n"
                                    "    - {between: [r1, r2]}\n    - {between: [r2, r3]}\n")),
                 4, 25, {"duplicate router 'r1'"}));
  EXPECT_TRUE(
      only_error(load(with_topology("  routers: [r1, r2, r3, abcdefghijklmnopq]\n  links:\n"
                                    "    - {between: [r1, r2]}\n    - {between: [r2, r3]}\n")),
                 4, 25, {"1 to 16"}));
}

TEST(ExperimentLoader, RefusesLinksThatJoinNoTwoKnownRouters) {
  const std::string routers = "  routers: [r1, r2, r3]\n  links:\n    - {between: [r1, r2]}\n";
  EXPECT_TRUE(only_error(load(with_topology(routers + "    - between: [r2, r4]\n")), 7, 21,
                         {"'r4' is not one of the routers (r1, r2, r3)"}));
  EXPECT_TRUE(only_error(load(with_topology(routers + "    - between: [r2, r2]\n")), 7, 16,
                         {"a link joins two different routers"}));
  EXPECT_TRUE(only_error(load(with_topology(routers + "    - between: [r2, r1]\n")), 7, 16,
                         {"duplicate link between r2 and r1"}));
  EXPECT_TRUE(only_error(load(with_topology(routers + "    - between: [r2, r3, r1]\n")), 7, 16,
                         {"between must name two routers, such as [r1, r2]"}));
  EXPECT_TRUE(only_error(load(with_topology(routers + "    - {mtu: 1500}\n")), 7, 7,
                         {"link is missing required field 'between'"}));
  EXPECT_TRUE(
      only_error(load(with_topology(routers + "    - between: [r2, r3]\n      mtu: 1279\n")), 8, 12,
                 {"mtu must be between 1280 and 9000, not 1279"}));
  EXPECT_TRUE(only_error(load(with_topology(routers + "    - between: [r2, r3]\n      speed: 1\n")),
                         8, 7, {"unknown field 'speed' in link"}));
}

TEST(ExperimentLoader, RefusesATopologyWithoutLinks) {
  EXPECT_TRUE(only_error(load(with_topology("  routers: [r1, r2, r3]\n  links: []\n")), 5, 10,
                         {"links needs at least one link"}));
  EXPECT_TRUE(only_error(load(with_topology("  routers: [r1, r2, r3]\n")), 4, 3,
                         {"topology is missing required field 'links'"}));
}

TEST(ExperimentLoader, RefusesFromMeshBesideRoutersOrAnotherSource) {
  EXPECT_TRUE(only_error(load(with_topology("  from: mesh\n  routers: [r1, r2]\n")), 5, 3,
                         {"either 'from: mesh' or routers and links, not both"}));
  EXPECT_TRUE(only_error(load(with_topology("  from: etcd\n")), 4, 9,
                         {"unknown from 'etcd'; expected mesh"}));
}

// --- duration and sampling ---

TEST(ExperimentLoader, RefusesADurationWithoutItsUnit) {
  EXPECT_TRUE(only_error(
      load(kHead.substr(0, kHead.size() - 4) + "20\n" + kWorkload + kGate), 8, 11,
      {"duration must be a time such as 20s, 500ms or 2m (units ms, s or m)", "not '20'"}));
}

TEST(ExperimentLoader, BoundsTheArm) {
  const std::string head = kHead.substr(0, kHead.size() - 4);  // up to "duration: "
  EXPECT_TRUE(only_error(load(head + "4s\n" + kWorkload + kGate), 8, 11,
                         {"duration must be between 5s and 5m, not 4s"}));
  EXPECT_TRUE(only_error(load(head + "301s\n" + kWorkload + kGate), 8, 11,
                         {"between 5s and 5m, not 301s"}));
  EXPECT_TRUE(only_error(load(head + "1.5s\n" + kWorkload + kGate), 8, 11, {"not '1.5s'"}));
}

TEST(ExperimentLoader, NeedsFiveSamplesPerArm) {
  EXPECT_TRUE(only_error(load(kHead + "sample_every: 5s\n" + kWorkload + kGate), 9, 15,
                         {"sample_every 5s leaves fewer than 5 samples in a 20s arm; at most 4s"}));
  EXPECT_TRUE(only_error(load(kHead + "sample_every: 50ms\n" + kWorkload + kGate), 9, 15,
                         {"sample_every must be between 100ms and 10s, not 50ms"}));
  loaded(load(kHead + "sample_every: 4s\n" + kWorkload + kGate));
}

// --- policies ---

TEST(ExperimentLoader, RefusesAnUnknownPolicyArm) {
  EXPECT_TRUE(only_error(load(kHead + kWorkload + kGate + "policies:\n  canditate: c.yaml\n"), 15,
                         3, {"unknown field 'canditate' in policies", "did you mean 'candidate'"}));
  EXPECT_TRUE(only_error(load(kHead + kWorkload + kGate + "policies:\n  baseline: ''\n"), 15, 13,
                         {"baseline must be the path of a policy file", "--baseline"}));
}

// --- flows ---

TEST(ExperimentLoader, RefusesFlowQuantitiesWithoutTheirUnits) {
  const std::string flow =
      "  flows:\n"
      "    - name: f1\n"
      "      from: r1\n"
      "      to: r3\n"
      "      port: 7000\n";
  EXPECT_TRUE(only_error(load(with_workload(flow + "      rate: 200\n      size: 200B\n")), 15, 13,
                         {"rate must be a rate in packets per second such as 200pps", "'200'"}));
  EXPECT_TRUE(only_error(load(with_workload(flow + "      rate: 200pps\n      size: 200\n")), 16,
                         13, {"size must be a size with its unit such as 200B", "'200'"}));
  EXPECT_TRUE(only_error(load(with_workload(flow + "      rate: 20001pps\n      size: 200B\n")), 15,
                         13, {"rate must be between 1pps and 20000pps, not 20001pps"}));
  EXPECT_TRUE(only_error(load(with_workload(flow + "      rate: 200pps\n      size: 15B\n")), 16,
                         13, {"size must be between 16B and 1400B, not 15B"}));
  EXPECT_TRUE(only_error(load(with_workload(flow + "      rate: 200pps\n      size: 2KB\n")), 16,
                         13, {"between 16B and 1400B"}));
}

TEST(ExperimentLoader, ModelsOnlyUdpFlows) {
  EXPECT_TRUE(only_error(
      load(with_workload("  flows:\n"
                         "    - {name: f1, from: r1, to: r3, port: 7000, rate: 1pps, size: 16B,\n"
                         "       proto: tcp}\n")),
      12, 15, {"proto 'tcp' is not modelled: only udp flows are"}));
}

TEST(ExperimentLoader, RefusesAFlowToItsOwnRouterOrAnUnknownOne) {
  const std::string flow = "  flows:\n    - name: f1\n      from: r1\n";
  const std::string rest = "      port: 7000\n      rate: 200pps\n      size: 200B\n";
  EXPECT_TRUE(only_error(load(with_workload(flow + "      to: r1\n" + rest)), 13, 11,
                         {"flow from and to are both r1"}));
  EXPECT_TRUE(only_error(load(with_workload(flow + "      to: r7\n" + rest)), 13, 11,
                         {"to 'r7' is not one of the routers (r1, r2, r3)"}));
}

TEST(ExperimentLoader, RefusesAFlowNoChainOfLinksCarries) {
  EXPECT_TRUE(only_error(load(with_topology("  routers: [r1, r2, r3, r4]\n"
                                            "  links:\n"
                                            "    - {between: [r1, r2]}\n"
                                            "    - {between: [r3, r4]}\n")),
                         11, 32, {"no chain of links joins r1 to r3", "flow could never arrive"}));
}

TEST(ExperimentLoader, NeedsALegitimateFlow) {
  EXPECT_TRUE(only_error(load(with_workload("  flows: []\n")), 10, 10,
                         {"flows needs at least one legitimate flow"}));
  // A gate on a flow of the empty list is not reported again.
  EXPECT_TRUE(only_error(load(kHead + "workload:\n  flows: []\ngates:\n"
                                      "  - {name: g, signal: delivery_ratio.f1, op: \">=\", "
                                      "threshold: 95%}\n"),
                         10, 10, {"flows needs at least one legitimate flow"}));
  EXPECT_TRUE(only_error(load(with_workload("  attacks: []\n")), 10, 3,
                         {"workload is missing required field 'flows'"}));
}

TEST(ExperimentLoader, RefusesAFlowMissingAField) {
  EXPECT_TRUE(only_error(
      load(with_workload("  flows:\n    - {name: f1, from: r1, to: r3, rate: 1pps, size: 16B}\n")),
      11, 7, {"flow is missing required field 'port'"}));
}

TEST(ExperimentLoader, RefusesARepeatedWorkloadName) {
  EXPECT_TRUE(only_error(
      load(
          with_workload("  flows:\n"
                        "    - {name: f1, from: r1, to: r3, port: 7000, rate: 1pps, size: 16B}\n"
                        "    - {name: f1, from: r3, to: r1, port: 7000, rate: 1pps, size: 16B}\n")),
      12, 14, {"duplicate workload name 'f1' (first on line 11)"}));
}

// --- attacks ---

// An attack from line 13 (after one flow), ending at `tail`.
std::string with_attack(const std::string& attack) {
  return with_workload(
      "  flows:\n"
      "    - {name: f1, from: r1, to: r3, port: 7000, rate: 200pps, size: 200B}\n"
      "  attacks:\n"
      "    - name: a\n" +
      attack);
}

TEST(ExperimentLoader, RefusesAnUnknownAttackKind) {
  EXPECT_TRUE(only_error(load(with_attack("      kind: ddos\n      from: r2\n      to: r3\n"
                                          "      port: 7001\n      rate: 1pps\n"
                                          "      start: 0s\n")),
                         14, 13,
                         {"unknown kind 'ddos'; expected source_flood, spoofed_flood, share_creep "
                          "or apply_burst"}));
}

TEST(ExperimentLoader, NeedsRateEndForAShareCreepAndOnlyThere) {
  const std::string ends = "      from: r2\n      to: r3\n      port: 7001\n      rate: 1000pps\n";
  EXPECT_TRUE(only_error(load(with_attack("      kind: share_creep\n" + ends +
                                          "      rate_end: 500pps\n      start: 5s\n")),
                         19, 17, {"rate_end 500pps must be above rate 1000pps"}));
  EXPECT_TRUE(
      only_error(load(with_attack("      kind: share_creep\n" + ends + "      start: 5s\n")), 13, 7,
                 {"share_creep attack is missing required field 'rate_end'"}));
  EXPECT_TRUE(only_error(load(with_attack("      kind: source_flood\n" + ends +
                                          "      rate_end: 5000pps\n      start: 5s\n")),
                         19, 7, {"only share_creep attacks take rate_end, not source_flood"}));
}

TEST(ExperimentLoader, AppliesTakeNoPortAndFloodsNeedOne) {
  EXPECT_TRUE(
      only_error(load(with_attack("      kind: apply_burst\n      from: r2\n      to: r3\n"
                                  "      port: 7001\n      rate: 10pps\n      start: 0s\n")),
                 17, 7, {"apply_burst attacks take no port"}));
  EXPECT_TRUE(
      only_error(load(with_attack("      kind: spoofed_flood\n      from: r2\n      to: r3\n"
                                  "      rate: 10pps\n      start: 0s\n")),
                 13, 7, {"spoofed_flood attack is missing required field 'port'"}));
}

TEST(ExperimentLoader, BoundsAnAttacksRate) {
  EXPECT_TRUE(only_error(load(with_attack("      kind: source_flood\n      from: r2\n      to: r3\n"
                                          "      port: 7001\n      rate: 200001pps\n"
                                          "      start: 0s\n")),
                         18, 13, {"rate must be between 1pps and 200000pps, not 200001pps"}));
}

TEST(ExperimentLoader, KeepsAnAttackWithinTheArm) {
  const std::string attack =
      "      kind: source_flood\n      from: r2\n      to: r3\n      port: 7001\n"
      "      rate: 20000pps\n";
  EXPECT_TRUE(only_error(load(with_attack(attack + "      start: 15s\n      duration: 10s\n")), 20,
                         17, {"start + duration is 25s, past the end of the 20s arm; at most 5s"}));
  EXPECT_TRUE(only_error(load(with_attack(attack + "      start: 20s\n")), 19, 14,
                         {"start 20s is not within the 20s arm"}));
  EXPECT_TRUE(only_error(load(with_attack(attack + "      start: 5\n")), 19, 14,
                         {"start must be a time such as 20s, 500ms or 2m", "not '5'"}));
  EXPECT_TRUE(only_error(load(with_attack(attack + "      start: 5s\n      duration: 0s\n")), 20,
                         17, {"duration must be positive; leave it out to run to the end"}));
}

// --- faults ---

TEST(ExperimentLoader, RefusesALossWithoutItsPercentSign) {
  const std::string fault = "  - kind: loss\n    link: r1-r2\n    start: 0s\n";
  EXPECT_TRUE(
      only_error(load(with_faults(fault + "    loss: 1\n")), 18, 11,
                 {"loss must be a percentage such as 95% or 99.5% (up to 4 decimals)", "'1'"}));
  EXPECT_TRUE(only_error(load(with_faults(fault + "    loss: 0.00001%\n")), 18, 11,
                         {"up to 4 decimals", "'0.00001%'"}));
  EXPECT_TRUE(only_error(load(with_faults(fault + "    loss: 0%\n")), 18, 11,
                         {"loss must be between 0.0001% and 100%, not 0%"}));
  EXPECT_TRUE(only_error(load(with_faults(fault + "    loss: 101%\n")), 18, 11,
                         {"between 0.0001% and 100%"}));
}

TEST(ExperimentLoader, RefusesALinkTheTopologyLacks) {
  EXPECT_TRUE(only_error(load(with_faults("  - kind: partition\n    link: r1-r3\n    start: 0s\n")),
                         16, 11, {"link 'r1-r3' is not one of the links (r1-r2, r2-r3)"}));
}

TEST(ExperimentLoader, RefusesALinkNameThatDashesMakeAmbiguous) {
  EXPECT_TRUE(only_error(
      load("version: 1\nname: t\ntopology:\n  routers: [a, a-b, b, b-c, c]\n  links:\n"
           "    - {between: [a-b, c]}\n    - {between: [a, b-c]}\n    - {between: [b, c]}\n"
           "duration: 20s\n"
           "workload:\n  flows:\n    - {name: f1, from: b, to: c, port: 1, rate: 1pps, size: "
           "16B}\n" +
           kGate + "faults:\n  - {kind: link_down, link: a-b-c, start: 0s}\n"),
      16, 29,
      {"link 'a-b-c' could be the link between a and b-c or between a-b and c",
       "rename a router"}));
}

TEST(ExperimentLoader, RefusesFieldsAFaultKindDoesNotTake) {
  EXPECT_TRUE(only_error(
      load(with_faults("  - kind: partition\n    link: r1-r2\n    loss: 1%\n"
                       "    start: 0s\n")),
      17, 5, {"partition faults take no loss; they take kind, link, start and duration"}));
  EXPECT_TRUE(only_error(load(with_faults("  - kind: agent_kill\n    router: r2\n    start: 1s\n"
                                          "    duration: 2s\n")),
                         18, 5, {"agent_kill faults take no duration (the agent is killed once"}));
  EXPECT_TRUE(only_error(load(with_faults("  - kind: etcd_member_lost\n    router: r2\n"
                                          "    start: 1s\n")),
                         16, 5, {"etcd_member_lost faults take no router"}));
}

TEST(ExperimentLoader, RefusesAFaultMissingWhatItsKindNeeds) {
  EXPECT_TRUE(
      only_error(load(with_faults("  - kind: rate_limit\n    link: r1-r2\n    start: 0s\n")), 15, 5,
                 {"rate_limit fault is missing required field 'rate'"}));
  EXPECT_TRUE(only_error(load(with_faults("  - kind: router_freeze\n    start: 0s\n")), 15, 5,
                         {"router_freeze fault is missing required field 'router'"}));
  EXPECT_TRUE(only_error(load(with_faults("  - kind: loss\n    link: r1-r2\n    loss: 1%\n")), 15,
                         5, {"fault is missing required field 'start'"}));
  EXPECT_TRUE(only_error(load(with_faults("  - {link: r1-r2, start: 0s}\n")), 15, 5,
                         {"fault is missing required field 'kind'"}));
}

TEST(ExperimentLoader, RefusesFaultQuantitiesWithoutTheirUnits) {
  EXPECT_TRUE(only_error(load(with_faults("  - kind: rate_limit\n    link: r1-r2\n"
                                          "    rate: 10000000\n    start: 0s\n")),
                         17, 11, {"rate must be a bit rate with its unit such as 10Mbit"}));
  EXPECT_TRUE(only_error(load(with_faults("  - kind: delay\n    link: r1-r2\n    delay: 20\n"
                                          "    start: 0s\n")),
                         17, 12, {"delay must be a time such as 20s, 500ms or 2m"}));
}

TEST(ExperimentLoader, RefusesAnUnknownFaultKindOrRouter) {
  EXPECT_TRUE(only_error(load(with_faults("  - {kind: jitter, link: r1-r2, start: 0s}\n")), 15, 12,
                         {"unknown kind 'jitter'; expected loss, partition, rate_limit"}));
  EXPECT_TRUE(only_error(load(with_faults("  - kind: router_freeze\n    router: r4\n"
                                          "    start: 0s\n")),
                         16, 13, {"router 'r4' is not one of the routers (r1, r2, r3)"}));
}

TEST(ExperimentLoader, KeepsAFaultWithinTheArm) {
  EXPECT_TRUE(only_error(load(with_faults("  - kind: link_down\n    link: r1-r2\n    start: 19s\n"
                                          "    duration: 2s\n")),
                         18, 15, {"past the end of the 20s arm; at most 1s"}));
}

// --- gates ---

// A gate from line 13, after `name: g` and the given fields.
std::string gate(const std::string& fields) { return with_gates("  - name: g\n" + fields); }

TEST(ExperimentLoader, RefusesAnUnknownSignalListingTheKnownOnes) {
  EXPECT_TRUE(only_error(load(gate("    signal: goodput\n    op: \">=\"\n    threshold: 1\n")), 14,
                         13, {"unknown signal 'goodput'", "known: delivery_ratio[.FLOW]"}));
}

TEST(ExperimentLoader, RefusesAnUnknownDropReason) {
  EXPECT_TRUE(only_error(load(gate("    signal: drops.bogus\n    op: \">\"\n    threshold: 0\n")),
                         14, 13, {"unknown drop reason 'bogus'", "quota"}));
  EXPECT_TRUE(only_error(load(gate("    signal: drops\n    op: \">\"\n    threshold: 0\n")), 14, 13,
                         {"drops needs a reason"}));
}

TEST(ExperimentLoader, RefusesAFlowQualifierNamingNoFlow) {
  EXPECT_TRUE(only_error(
      load(gate("    signal: latency_p99.f2\n    op: \"<=\"\n    threshold: 50ms\n")), 14, 13,
      {"signal latency_p99.f2 names no flow of this experiment", "flows are f1"}));
  EXPECT_TRUE(
      only_error(load(gate("    signal: legit_quarantined.f1\n    op: \"==\"\n    threshold: 0\n")),
                 14, 13, {"legit_quarantined takes no qualifier"}));
}

TEST(ExperimentLoader, RefusesAnAttackQualifierNamingNoAttack) {
  const std::string text = R"(version: 1
name: held
topology:
  routers: [r1, r2]
  links: [{between: [r1, r2]}]
duration: 10s
workload:
  flows: [{name: f1, from: r1, to: r2, port: 7000, rate: 10pps, size: 64B}]
  attacks: [{name: flood, kind: source_flood, from: r1, to: r2, port: 7001, rate: 100pps, start: 1s}]
gates:
  - {name: g, signal: time_to_quarantine.floood, op: "<=", threshold: 5s}
)";
  EXPECT_TRUE(only_error(load_experiment_text(text, "held.yaml", "/tmp"), 11, 23,
                         {"signal time_to_quarantine.floood names no attack of this experiment",
                          "attacks are flood"}));
}

TEST(ExperimentLoader, RefusesAttackSignalsWithoutAnAttack) {
  EXPECT_TRUE(only_error(
      load(gate("    signal: time_to_quarantine\n    op: \"<=\"\n    threshold: 5s\n")), 14, 13,
      {"time_to_quarantine can never be measured: this experiment has no attacks"}));
  EXPECT_TRUE(
      only_error(load(gate("    signal: attacker_share\n    op: \"<=\"\n    threshold: 50%\n")), 14,
                 13, {"attacker_share can never be measured"}));
}

TEST(ExperimentLoader, ReadsAThresholdInItsSignalsUnitOnly) {
  const auto threshold_of = [](const std::string& signal, const std::string& threshold) {
    return load(
        gate("    signal: " + signal + "\n    op: \"<=\"\n    threshold: " + threshold + "\n"));
  };
  EXPECT_TRUE(only_error(threshold_of("delivery_ratio", "0.95"), 16, 16,
                         {"the threshold of delivery_ratio must be a ratio: a percentage such as "
                          "95%",
                          "950000ppm", "not '0.95'"}));
  EXPECT_TRUE(only_error(threshold_of("delivery_ratio", "100.1%"), 16, 16, {"at most 100%"}));
  EXPECT_TRUE(only_error(threshold_of("latency_p50.f1", "50"), 16, 16,
                         {"the threshold of latency_p50.f1 must be a latency: a time such as 50ms "
                          "or 500us (units us, ms or s)"}));
  EXPECT_TRUE(only_error(threshold_of("latency_p99", "2m"), 16, 16, {"units us, ms or s"}));
  EXPECT_TRUE(only_error(threshold_of("drops.quota", "5%"), 16, 16,
                         {"the threshold of drops.quota must be a count: a plain integer"}));
  EXPECT_TRUE(only_error(threshold_of("restarts_survived", "-1"), 16, 16, {"plain integer"}));
  EXPECT_EQ(loaded(threshold_of("delivery_ratio", "0.0001%")).gates[0].threshold, 1);
  EXPECT_EQ(loaded(threshold_of("delivery_ratio", "100%")).gates[0].threshold, 1000000);
  EXPECT_EQ(loaded(threshold_of("latency_p50", "1s")).gates[0].threshold, 1000000);
}

TEST(ExperimentLoader, RefusesAnUnknownOpOrAction) {
  EXPECT_TRUE(only_error(load(gate("    signal: delivery_ratio\n    op: \"=>\"\n"
                                   "    threshold: 95%\n")),
                         15, 9, {"unknown op '=>'; expected <, <=, ==, >= or >"}));
  EXPECT_TRUE(only_error(load(gate("    signal: delivery_ratio\n    op: \">=\"\n"
                                   "    threshold: 95%\n    action: block\n")),
                         17, 13, {"unknown action 'block'; expected fail or warn"}));
}

TEST(ExperimentLoader, NeedsNoMoreSamplesThanAnArmTakes) {
  const std::string fields = "    signal: delivery_ratio\n    op: \">=\"\n    threshold: 95%\n";
  EXPECT_TRUE(only_error(load(gate(fields + "    min_samples: 21\n")), 17, 18,
                         {"min_samples 21 is more than the 20 samples an arm takes"}));
  EXPECT_TRUE(only_error(load(gate(fields + "    min_samples: 0\n")), 17, 18,
                         {"min_samples must be between 1 and 10000"}));
  EXPECT_EQ(loaded(load(gate(fields + "    min_samples: 20\n"))).gates[0].min_samples, 20u);
}

TEST(ExperimentLoader, RefusesAnExperimentWithNoFailGate) {
  EXPECT_TRUE(only_error(
      load(with_gates("  - {name: g, signal: delivery_ratio, op: \">=\", threshold: 95%, "
                      "action: warn}\n")),
      12, 1, {"an experiment with no fail gate can never pass"}));
  EXPECT_TRUE(
      only_error(load(kHead + kWorkload + "gates: []\n"), 12, 1, {"no fail gate can never pass"}));
}

TEST(ExperimentLoader, RefusesARepeatedGateNameOrAMissingField) {
  EXPECT_TRUE(only_error(
      load(with_gates("  - {name: g, signal: delivery_ratio, op: \">=\", threshold: 95%}\n"
                      "  - {name: g, signal: latency_p99, op: \"<=\", threshold: 9ms}\n")),
      14, 12, {"duplicate gate name 'g' (first on line 13)"}));
  EXPECT_TRUE(only_error(load(with_gates("  - {name: g, signal: delivery_ratio, op: \">=\"}\n")),
                         13, 5, {"gate is missing required field 'threshold'"}));
}

// --- the shipped examples ---

TEST(ExperimentLoader, LoadsTheShippedExperimentsAndTheirPolicies) {
  const std::filesystem::path dir = WW_EXPERIMENTS_DIR;
  int experiments = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const std::string path = entry.path().string();
    // Candidates beside the experiments are policies, read by the policy loader below.
    if (path.ends_with("deny-flows.yaml") || path.ends_with("quotas.yaml")) continue;
    SCOPED_TRACE(path);
    ExperimentLoad result = load_experiment_file(path);
    const Experiment& e = loaded(result);
    if (!result.experiment) continue;
    ++experiments;
    for (const std::string& policy_path : {e.baseline_policy, e.candidate_policy}) {
      ASSERT_FALSE(policy_path.empty());
      policy::LoadResult policy = policy::load_policy_file(policy_path);
      EXPECT_TRUE(policy.policy.has_value()) << policy_path << all_of(policy.diagnostics);
    }
  }
  EXPECT_EQ(experiments, 3);
}

}  // namespace
}  // namespace westworld::cradle
