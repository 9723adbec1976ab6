// The Cradle end to end (label cradle, root): `wwctl cradle run` builds real twins of network
// namespaces running the built agent, sends stamped traffic through them under faults, and
// writes a signed report. Each test also checks that the twin left nothing behind: no
// namespace, pin, cgroup or agent of it, after a finished run, an interrupted one, and a
// killed one followed by `wwctl cradle clean`.
#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "built_binaries.h"
#include "scratch_dir.h"
#include "westworld/harness/child_process.h"
#include "westworld/harness/command.h"
#include "westworld/harness/polling.h"
#include "westworld/harness/text_file.h"

namespace westworld::cradle {
namespace {

namespace fs = std::filesystem;
using harness::run_command;
using nlohmann::json;

// Everything a twin makes is named "wwc<pid>-...": what of it is there now.
std::vector<std::string> twin_traces() {
  std::vector<std::string> traces;
  for (const char* dir : {"/run/netns", "/sys/fs/bpf", "/sys/fs/cgroup/freezer"}) {
    std::error_code missing;
    for (const auto& entry : fs::directory_iterator(dir, missing)) {
      const std::string name = entry.path().filename().string();
      if (name.rfind("wwc", 0) == 0 && name.rfind("wwctl", 0) != 0)
        traces.push_back(entry.path().string());
    }
  }
  for (const auto& entry : fs::directory_iterator("/proc")) {
    const std::string cmdline = harness::read_text_file(entry.path() / "cmdline");
    if (cmdline.find("westworld-agent") != std::string::npos &&
        cmdline.find("/sys/fs/bpf/wwc") != std::string::npos)
      traces.push_back("agent " + entry.path().filename().string());
  }
  return traces;
}

std::string joined(const std::vector<std::string>& words) {
  std::string text;
  for (const auto& w : words) text += w + "\n";
  return text;
}

constexpr const char* kBaseline = WW_POLICIES_DIR "/mesh-demo.yaml";
constexpr const char* kQuotas = WW_POLICIES_DIR "/experiments/quotas.yaml";
constexpr const char* kDenyFlows = WW_POLICIES_DIR "/experiments/deny-flows.yaml";

// Two routers, one legitimate flow r1 -> r2 on udp/7000, and whatever `extra` adds.
std::string two_routers(const std::string& duration, const std::string& extra) {
  return "version: 1\n"
         "name: twin-test\n"
         "topology:\n"
         "  routers: [r1, r2]\n"
         "  links: [{between: [r1, r2]}]\n"
         "duration: " +
         duration +
         "\n"
         "workload:\n"
         "  flows: [{name: f1, from: r1, to: r2, port: 7000, rate: 100pps, size: 64B}]\n" +
         extra;
}

class CradleTwin : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(twin_traces().empty()) << "left by something before this test:\n"
                                       << joined(twin_traces());
    const auto keygen = run_command(
        {harness::kWwctlBinary, "peer", "keygen", (dir_ / "node.key").string(), "--peer", "me"});
    ASSERT_TRUE(keygen.ok()) << keygen.describe();
    public_key_ = keygen.out.substr(keygen.out.find(' ') + 1);
    public_key_.erase(public_key_.find_last_not_of("\n ") + 1);
  }

  void TearDown() override {
    EXPECT_TRUE(twin_traces().empty()) << "the twin left:\n" << joined(twin_traces());
    run_command({harness::kWwctlBinary, "cradle", "clean"});
  }

  fs::path write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
    return dir_ / name;
  }

  std::vector<std::string> run_args(const fs::path& experiment,
                                    const std::vector<std::string>& extra = {}) {
    std::vector<std::string> argv = {harness::kWwctlBinary,
                                     "cradle",
                                     "run",
                                     experiment.string(),
                                     "--key",
                                     (dir_ / "node.key").string(),
                                     "-o",
                                     report().string()};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return argv;
  }

  harness::CommandResult run(const fs::path& experiment,
                             const std::vector<std::string>& extra = {}) {
    return run_command(run_args(experiment, extra), std::chrono::minutes(5));
  }

  fs::path report() const { return dir_ / "report.json"; }
  json report_json() const { return json::parse(harness::read_text_file(report())); }

  static const json& gate(const json& report, const std::string& name) {
    for (const json& g : report.at("gates"))
      if (g.at("name") == name) return g;
    throw std::runtime_error("no gate " + name);
  }

  harness::ScratchDir dir_{"ww-cradle"};
  std::string public_key_;
};

TEST_F(CradleTwin, TheBaselineAgainstItselfPassesAndItsSignedReportVerifies) {
  const fs::path experiment = write(
      "same.yaml", two_routers("6s",
                               "faults:\n"
                               "  - {kind: loss, link: r1-r2, loss: 20%, start: 1s, duration: 2s}\n"
                               "  - {kind: agent_kill, router: r2, start: 3s}\n"
                               "gates:\n"
                               "  - {name: delivery, signal: delivery_ratio, op: \">=\", "
                               "threshold: 80%, min_samples: 5}\n"
                               "  - {name: survived, signal: restarts_survived, op: \">=\", "
                               "threshold: 1}\n"));
  const auto result = run(experiment, {"--baseline", kBaseline, "--candidate", kBaseline});
  ASSERT_EQ(result.exit_status, 0) << result.describe();
  const json r = report_json();
  EXPECT_EQ(r.at("verdict"), "pass");
  EXPECT_EQ(gate(r, "delivery").at("verdict"), "pass");
  EXPECT_EQ(gate(r, "survived").at("candidate").at("value"), 1);
  // The loss was real: 20% for 2 of 6 seconds, on both arms, and the table says so.
  for (const char* arm : {"baseline", "candidate"}) {
    const int64_t delivered = r.at(arm).at("signals").at("delivery_ratio").at("value");
    EXPECT_LT(delivered, 990'000) << arm;
    EXPECT_GT(delivered, 800'000) << arm;
  }
  EXPECT_FALSE(r.at("build").at("agent_sha256").get<std::string>().empty());
  EXPECT_FALSE(r.at("unmodelled").empty());
  EXPECT_TRUE(fs::exists(dir_ / "report.png"));

  const auto verify = run_command(
      {harness::kWwctlBinary, "cradle", "verify", report().string(), "--vkey", public_key_});
  EXPECT_EQ(verify.exit_status, 0) << verify.describe();
  // One byte flipped in a measured value: the digest no longer matches.
  std::string text = harness::read_text_file(report());
  const size_t at = text.find("\"delivery_ratio\"");
  const size_t digit = text.find_first_of("123456789", text.find("\"value\"", at));
  text[digit] = text[digit] == '9' ? '8' : static_cast<char>(text[digit] + 1);
  harness::write_text_file(dir_ / "tampered.json", text);
  const auto tampered =
      run_command({harness::kWwctlBinary, "cradle", "verify", (dir_ / "tampered.json").string()});
  EXPECT_EQ(tampered.exit_status, 1) << tampered.describe();
}

TEST_F(CradleTwin, ACandidateThatBlocksLegitimateTrafficFailsOnTheDeliveryGate) {
  const fs::path experiment =
      write("blocks.yaml", two_routers("5s",
                                       "gates:\n"
                                       "  - {name: delivery, signal: delivery_ratio, op: \">=\", "
                                       "threshold: 95%, min_samples: 4}\n"));
  const auto result = run(experiment, {"--baseline", kBaseline, "--candidate", kDenyFlows});
  ASSERT_EQ(result.exit_status, 1) << result.describe();
  const json r = report_json();
  EXPECT_EQ(r.at("verdict"), "fail");
  EXPECT_EQ(gate(r, "delivery").at("verdict"), "fail");
  EXPECT_EQ(gate(r, "delivery").at("baseline").at("value"), 1'000'000);
  EXPECT_EQ(gate(r, "delivery").at("candidate").at("value"), 0);
  EXPECT_GT(r.at("candidate").at("signals").at("drops.rule").at("value").get<int64_t>(), 0);
}

TEST_F(CradleTwin, ATwinThatCannotStartIsNeverAPass) {
  const fs::path broken = write("broken-agent", "#!/bin/sh\necho 'no guard today' >&2\nexit 1\n");
  fs::permissions(broken, fs::perms::owner_all);
  const fs::path experiment =
      write("down.yaml", two_routers("5s",
                                     "gates:\n"
                                     "  - {name: delivery, signal: delivery_ratio, op: \">=\", "
                                     "threshold: 0%}\n"));
  const auto result = run(
      experiment, {"--baseline", kBaseline, "--candidate", kBaseline, "--agent", broken.string()});
  ASSERT_EQ(result.exit_status, 3) << result.describe();
  const json r = report_json();
  EXPECT_EQ(r.at("verdict"), "inconclusive");
  EXPECT_FALSE(r.at("candidate").at("twin_up").get<bool>());
  EXPECT_NE(r.at("candidate").at("twin_error").get<std::string>().find("no guard today"),
            std::string::npos);
}

TEST_F(CradleTwin, ASpoofedFloodShowsTheQuarantineTimeAndNoLegitimateSourceHeld) {
  const fs::path experiment = write(
      "flood.yaml",
      "version: 1\n"
      "name: flood\n"
      "topology:\n"
      "  routers: [r1, r2, r3]\n"
      "  links: [{between: [r1, r2]}, {between: [r2, r3]}]\n"
      "duration: 12s\n"
      "workload:\n"
      "  flows: [{name: f1, from: r1, to: r3, port: 7000, rate: 100pps, size: 64B}]\n"
      "  attacks:\n"
      "    - {name: flood, kind: source_flood, from: r2, to: r3, port: 7001, rate: 8000pps, "
      "start: 2s}\n"
      "    - {name: spoofed, kind: spoofed_flood, from: r2, to: r3, port: 7003, rate: 8000pps, "
      "start: 2s}\n"
      "gates:\n"
      "  - {name: delivery, signal: delivery_ratio, op: \">=\", threshold: 90%}\n"
      "  - {name: no-collateral, signal: legit_quarantined, op: \"==\", threshold: 0}\n"
      "  - {name: held, signal: time_to_quarantine, op: \"<=\", threshold: 9s, action: warn}\n");
  const auto result = run(experiment, {"--baseline", kBaseline, "--candidate", kQuotas});
  ASSERT_EQ(result.exit_status, 0) << result.describe();
  const json r = report_json();
  const json& candidate = r.at("candidate").at("signals");
  EXPECT_EQ(candidate.at("legit_quarantined").at("value"), 0);
  ASSERT_TRUE(candidate.at("time_to_quarantine").at("value").is_number())
      << candidate.at("time_to_quarantine").dump();
  EXPECT_GT(candidate.at("time_to_quarantine").at("value").get<int64_t>(), 0);
  // The spoofed flood has no one source to hold; the baseline has no detector at all.
  EXPECT_TRUE(candidate.at("time_to_quarantine.spoofed").at("value").is_null());
  EXPECT_TRUE(r.at("baseline").at("signals").at("time_to_quarantine").at("value").is_null());
  EXPECT_GT(candidate.at("drops.quarantine").at("value").get<int64_t>(), 0);
}

// Starts a long run in the background and waits until its first twin is up.
harness::ChildProcess start_long_run(const std::vector<std::string>& argv, const fs::path& log) {
  harness::ChildProcess run(argv, {log, log});
  const bool up = harness::eventually(std::chrono::seconds(60), [&] {
    return !run.running() || harness::read_text_file(log).find("running") != std::string::npos;
  });
  if (!up || !run.running()) throw std::runtime_error("the run never got going: " + run.describe());
  return run;
}

TEST_F(CradleTwin, AnInterruptedRunTearsItsTwinDown) {
  const fs::path experiment =
      write("long.yaml", two_routers("60s",
                                     "gates:\n"
                                     "  - {name: delivery, signal: delivery_ratio, op: \">=\", "
                                     "threshold: 95%}\n"));
  auto run = start_long_run(
      run_args(experiment, {"--baseline", kBaseline, "--candidate", kBaseline}), dir_ / "run.log");
  EXPECT_FALSE(twin_traces().empty());
  run.send_signal(SIGINT);
  const auto status = run.wait_for_exit(std::chrono::seconds(60));
  ASSERT_TRUE(status.has_value()) << "still running after SIGINT";
  EXPECT_EQ(*status, 2) << harness::read_text_file(dir_ / "run.log");
  EXPECT_NE(harness::read_text_file(dir_ / "run.log").find("interrupted"), std::string::npos);
  EXPECT_FALSE(fs::exists(report()));
}

TEST_F(CradleTwin, AKilledRunIsClearedByClean) {
  const fs::path experiment =
      write("long.yaml", two_routers("60s",
                                     "gates:\n"
                                     "  - {name: delivery, signal: delivery_ratio, op: \">=\", "
                                     "threshold: 95%}\n"));
  auto run = start_long_run(
      run_args(experiment, {"--baseline", kBaseline, "--candidate", kBaseline}), dir_ / "run.log");
  run.kill9();
  // A KILL cannot be caught: the namespaces and pins stay (the agents die with wwctl).
  EXPECT_FALSE(twin_traces().empty());
  const auto clean = run_command({harness::kWwctlBinary, "cradle", "clean"});
  EXPECT_EQ(clean.exit_status, 0) << clean.describe();
  EXPECT_NE(clean.out.find("removed namespace"), std::string::npos) << clean.out;
  const bool gone =
      harness::eventually(std::chrono::seconds(10), [] { return twin_traces().empty(); });
  EXPECT_TRUE(gone) << joined(twin_traces());
}

}  // namespace
}  // namespace westworld::cradle
