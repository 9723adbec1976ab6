// Governance on the real mesh, shared by its tests: five routers running the real agent with
// --gov-genesis, a 3-member etcd, and five members with keys made by `wwctl peer keygen`, who
// propose and vote through wwctl (run in a router's namespace).
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "built_binaries.h"
#include "mesh_lab.h"
#include "westworld/governance/genesis.h"
#include "westworld/governance/records.h"
#include "westworld/governance/rollout.h"
#include "westworld/harness/command.h"
#include "westworld/harness/netns.h"
#include "westworld/harness/pid_tag.h"
#include "westworld/harness/polling.h"
#include "westworld/harness/text_file.h"
#include "westworld/mesh/keys.h"
#include "westworld/mesh/mesh_view.h"

namespace westworld::mesh_test {

using namespace std::chrono_literals;
using nlohmann::json;
using Steady = std::chrono::steady_clock;

inline constexpr const char* kAllowAll = "version: 1\ncharter:\n  default: allow\n";
inline constexpr int kMembers = 5;

// The settings `wwctl gov init` is given below, shortened for a test (and said so): windows
// of seconds, one sample a second, no twin report required (Cradle is not built yet).
inline const std::vector<std::string> kInitFlags = {
    "--min-window", "5s", "--sample-interval",      "1s",      "--min-samples",  "2",
    "--bake",       "2s", "--experiment-above-ppm", "1000000", "--nodata-limit", "15"};

inline governance::GovernanceSettings test_settings() {
  governance::GovernanceSettings s;
  s.min_window = 5s;
  s.sample_interval = 1s;
  s.min_samples = 2;
  s.default_bake = 2s;
  s.experiment_above_ppm = governance::kPpm;
  s.nodata_limit = 15;
  return s;
}

inline std::string member_id(int i) { return "r" + std::to_string(i + 1); }

inline double seconds_since(Steady::time_point start) {
  return std::chrono::duration<double>(Steady::now() - start).count();
}

// Member keys made with `wwctl peer keygen`, and the members file they form.
class MemberKeys {
 public:
  MemberKeys() : dir_(harness::make_tagged_directory("wwgv")) {
    std::string members;
    for (int i = 0; i < kMembers; ++i)
      members += harness::run_checked(
          {harness::kWwctlBinary, "peer", "keygen", key(i), "--peer", member_id(i)});
    harness::write_text_file(members_file(), members);
    members_text_ = members;
  }
  ~MemberKeys() {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  std::string key(int i) const { return (dir_ / (member_id(i) + ".key")).string(); }
  std::string members_file() const { return (dir_ / "members").string(); }
  // What --gov-genesis must be: computed here, and checked against what wwctl prints.
  std::string genesis_digest() const {
    governance::Genesis g{"default", governance::parse_members(members_text_, "members"),
                          test_settings()};
    return governance::hex_id(governance::genesis_digest(g));
  }

 private:
  std::filesystem::path dir_;
  std::string members_text_;
};

class MeshGovernanceTest : public ::testing::Test {
 protected:
  // What every router runs before any proposal.
  virtual std::string initial_policy() const { return kAllowAll; }

  void SetUp() override {
    genesis_ = keys_.genesis_digest();
    MeshLabOptions options;
    options.agent_flags = {"--gov-genesis", genesis_};
    lab_.emplace(options, initial_policy());
    std::vector<std::string> init = {"gov", "init", "--members", keys_.members_file()};
    init.insert(init.end(), kInitFlags.begin(), kInitFlags.end());
    const harness::CommandResult founded = gov(init);
    ASSERT_TRUE(founded.ok()) << founded.describe();
    ASSERT_EQ(founded.out, genesis_ + "\n") << "wwctl and the routers disagree on the genesis";
    ASSERT_TRUE(harness::eventually(30s, [&] { return alive_count() == kMembers; }));
    initial_digest_ = lab_->view().nodes.at(0).record.applied_digest;
  }
  void TearDown() override {
    if (HasFailure() && lab_) std::cerr << lab_->agent_logs();
  }

  // wwctl gov ... --mesh ENDPOINTS, run in router 0's namespace.
  harness::CommandResult gov(std::vector<std::string> args) {
    args.insert(args.end(), {"--mesh", lab_->endpoints()});
    return lab_->wwctl(0, args);
  }

  std::string propose(const std::string& policy_text, const std::string& title,
                      const std::vector<std::string>& more) {
    const auto policy = lab_->write_file(title + ".yaml", policy_text);
    std::vector<std::string> args = {"gov",
                                     "propose",
                                     policy.string(),
                                     "--title",
                                     title,
                                     "--key",
                                     keys_.key(0),
                                     "--member",
                                     "r1",
                                     "--window",
                                     "10m",
                                     "--gate",
                                     "drop_rate.rule <= 50",
                                     "--gov-genesis",
                                     genesis_};
    args.insert(args.end(), more.begin(), more.end());
    const harness::CommandResult proposed = gov(args);
    EXPECT_TRUE(proposed.ok()) << proposed.describe();
    std::string id = proposed.out;
    id.erase(std::remove(id.begin(), id.end(), '\n'), id.end());
    EXPECT_EQ(id.size(), 64u) << proposed.describe();
    return id;
  }

  harness::CommandResult vote(const std::string& id, int member, const std::string& choice) {
    return gov(
        {"gov", "vote", id, choice, "--key", keys_.key(member), "--member", member_id(member)});
  }

  // A vote that must count.
  void cast(const std::string& id, int member, const std::string& choice) {
    const harness::CommandResult result = vote(id, member, choice);
    ASSERT_TRUE(result.ok()) << result.describe();
  }

  json tally(const std::string& id) {
    const harness::CommandResult shown =
        gov({"gov", "tally", id, "--json", "--gov-genesis", genesis_});
    EXPECT_TRUE(shown.ok()) << shown.describe();
    return json::parse(shown.out);
  }

  json rollout(const std::string& id) {
    const harness::CommandResult shown = gov({"gov", "rollout", "status", id, "--json"});
    if (!shown.ok()) return json{{"state", "unknown"}};
    return json::parse(shown.out);
  }

  // Polls the rollout until it is in `state`; the rollout's JSON then.
  json wait_for_rollout(const std::string& id, const std::string& state,
                        std::chrono::seconds timeout) {
    json last;
    harness::eventually(timeout, [&] {
      last = rollout(id);
      return last.value("state", "") == state;
    });
    return last;
  }

  // When etcd delivered the write that aborted the rollout, caught by a watch so that the
  // rollback is timed from the abort itself and not from a poll.
  std::optional<Steady::time_point> watch_until_aborted(const std::string& id,
                                                        std::chrono::seconds timeout) {
    harness::NetnsScope core(lab_->core_ns());
    auto store = lab_->store();
    const std::string key = mesh::MeshKeys("default").rollout(id);
    const mesh::RangeReply current = store->get(key);
    auto aborted = [](const std::string& value) {
      return governance::decode_rollout(value).state == governance::RolloutPhase::aborted;
    };
    if (!current.kvs.empty() && aborted(current.kvs[0].value)) return Steady::now();
    auto watch = store->watch(key, current.revision + 1);
    const auto deadline = Steady::now() + timeout;
    while (Steady::now() < deadline)
      if (auto batch = watch->next(250ms))
        for (const mesh::WatchEvent& event : batch->events)
          if (event.kind == mesh::WatchEvent::Kind::put && aborted(event.kv.value))
            return Steady::now();
    return std::nullopt;
  }

  int alive_count() {
    try {
      const auto nodes = lab_->view().nodes;
      return static_cast<int>(
          std::count_if(nodes.begin(), nodes.end(), [](const auto& n) { return n.alive; }));
    } catch (const std::exception&) {
      return -1;
    }
  }

  // How many routers report running `digest`.
  int running(const std::string& digest) {
    const auto nodes = lab_->view().nodes;
    return static_cast<int>(std::count_if(nodes.begin(), nodes.end(), [&](const auto& n) {
      return n.record.applied_digest == digest;
    }));
  }

  std::string audit_log(int router) {
    const harness::CommandResult entries = harness::run_command(
        {harness::kWwctlBinary, "audit", "log", "--log", lab_->state_dir(router) + "/audit.db"});
    EXPECT_TRUE(entries.ok()) << entries.describe();
    return entries.out;
  }

  int router_index(const std::string& node) { return std::stoi(node.substr(1)) - 1; }

  MemberKeys keys_;
  std::string genesis_;
  std::optional<MeshLab> lab_;
  std::string initial_digest_;
};

}  // namespace westworld::mesh_test
