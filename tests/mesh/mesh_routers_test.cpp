// Five routers in a ring, each running the real agent and guard, sharing a 3-member etcd:
// a policy published once is enforced everywhere (the packets that arrive prove it), forged
// bundles change nothing, and losing etcd or an agent leaves enforcement as it was.
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "built_binaries.h"
#include "mesh_lab.h"
#include "scratch_dir.h"
#include "test_policies.h"
#include "udp_traffic.h"
#include "westworld/harness/netns.h"
#include "westworld/harness/polling.h"
#include "westworld/harness/text_file.h"
#include "westworld/mesh/keys.h"
#include "westworld/mesh/mesh_view.h"
#include "westworld/mesh/policy_bundle.h"

namespace westworld::mesh_test {
namespace {

using namespace std::chrono_literals;

constexpr uint16_t kBlockedPort = 5555;
constexpr uint16_t kOpenPort = 5556;
constexpr const char* kAllowAll = "version: 1\ncharter:\n  default: allow\n";

std::string deny_blocked_port() {
  return harness::deny_port_policy({.name = "mesh-deny", .ports = {kBlockedPort}});
}

class MeshRoutersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Labs are built per test; insecure open mesh here, the trust gate in its own test.
    MeshLabOptions options;
    options.agent_flags = {"--insecure-open-mesh"};
    lab_.emplace(options, kAllowAll);
  }
  void TearDown() override {
    if (HasFailure() && lab_) std::cerr << lab_->agent_logs();
  }

  // Whether every router in `expected` is registered and alive (and nothing else is).
  bool alive_exactly(const std::set<std::string>& expected) {
    try {
      std::set<std::string> alive;
      for (const auto& node : lab_->view().nodes)
        if (node.alive) alive.insert(node.record.id);
      return alive == expected;
    } catch (const std::exception&) {
      return false;
    }
  }

  std::set<std::string> all_ids() const {
    std::set<std::string> ids;
    for (int i = 0; i < lab_->size(); ++i) ids.insert(lab_->node_id(i));
    return ids;
  }

  harness::CommandResult publish_all(const std::string& file, double wait_s) {
    return lab_->wwctl(0, {"mesh", "publish", file, "--all", "--mesh", lab_->endpoints(), "--wait",
                           std::to_string(wait_s)});
  }

  // What `wwctl status --json` says of the router's mesh link; nullopt without one.
  std::optional<bool> mesh_connected(int router) {
    const auto status = lab_->wwctl(router, {"status", "--json"});
    if (!status.ok()) return std::nullopt;
    const auto doc = nlohmann::json::parse(status.out);
    if (!doc.contains("mesh")) return std::nullopt;
    return doc["mesh"]["connected"].get<bool>();
  }

  std::optional<MeshLab> lab_;
};

TEST_F(MeshRoutersTest, APolicyPublishedOnceIsEnforcedByEveryRouter) {
  ASSERT_TRUE(harness::eventually(20s, [&] { return alive_exactly(all_ids()); }));
  for (int i = 0; i < lab_->size(); ++i)
    ASSERT_EQ(lab_->delivered_to(i, kBlockedPort), 20u)
        << "before publishing, at " << lab_->node_id(i);

  const auto policy = lab_->write_file("deny.yaml", deny_blocked_port());
  const harness::CommandResult published = publish_all(policy.string(), 30);
  ASSERT_TRUE(published.ok()) << published.describe();
  EXPECT_NE(published.out.find("all 5 routers enforce"), std::string::npos) << published.out;
  std::cerr << "convergence: " << published.out;

  for (int i = 0; i < lab_->size(); ++i) {
    EXPECT_EQ(lab_->delivered_to(i, kBlockedPort), 0u)
        << "after publishing, at " << lab_->node_id(i);
    EXPECT_EQ(lab_->delivered_to(i, kOpenPort), 20u)
        << "an unrelated port, at " << lab_->node_id(i);
  }
  for (const auto& node : lab_->view().nodes) EXPECT_EQ(node.target, mesh::TargetState::in_sync);
}

TEST_F(MeshRoutersTest, AForgedBundleIsRefusedByEveryRouterAndChangesNothing) {
  const auto policy = lab_->write_file("deny.yaml", deny_blocked_port());
  ASSERT_TRUE(publish_all(policy.string(), 30).ok());
  const std::string enforced = lab_->view().nodes.at(0).record.applied_digest;

  // Whoever controls etcd rewrites the bundle: another policy text under the same digest.
  {
    harness::NetnsScope core(lab_->core_ns());
    auto store = lab_->store();
    const mesh::MeshKeys keys("default");
    auto current = store->get(keys.target(mesh::kAllRouters));
    ASSERT_EQ(current.kvs.size(), 1u);
    mesh::PolicyBundle forged = mesh::decode_bundle(current.kvs[0].value);
    forged.request.policy = kAllowAll;  // the digest still claims the deny policy
    store->put({keys.target(mesh::kAllRouters), mesh::encode_bundle(forged)});
  }
  ASSERT_TRUE(harness::eventually(20s, [&] {
    const auto nodes = lab_->view().nodes;
    return nodes.size() == 5u && std::all_of(nodes.begin(), nodes.end(), [](const auto& n) {
             return n.target == mesh::TargetState::refused;
           });
  }));
  for (const auto& node : lab_->view().nodes) {
    EXPECT_EQ(node.record.applied_digest, enforced) << node.record.id;
    ASSERT_TRUE(node.record.last_refusal.has_value());
    EXPECT_NE(node.record.last_refusal->reason.find("digest mismatch"), std::string::npos)
        << node.record.last_refusal->reason;
  }
  for (int i = 0; i < lab_->size(); ++i) EXPECT_EQ(lab_->delivered_to(i, kBlockedPort), 0u);

  // wwctl shows the refusal to people.
  const auto shown = lab_->wwctl(1, {"mesh", "nodes", "--mesh", lab_->endpoints(), "--json"});
  ASSERT_TRUE(shown.ok()) << shown.describe();
  const auto nodes = nlohmann::json::parse(shown.out);
  ASSERT_EQ(nodes.size(), 5u);
  for (const auto& node : nodes) {
    EXPECT_TRUE(node.at("alive").get<bool>());
    EXPECT_EQ(node.at("target"), "refused");
    EXPECT_EQ(node.at("applied_digest"), enforced);
    EXPECT_GE(node.at("heartbeat_age_s").get<int64_t>(), 0);
  }
}

TEST_F(MeshRoutersTest, EtcdOutagesLeaveEnforcementAsItWas) {
  const auto policy = lab_->write_file("deny.yaml", deny_blocked_port());
  ASSERT_TRUE(publish_all(policy.string(), 30).ok());

  // One member of three gone: publishing and applying go on.
  lab_->etcd().kill(0);
  const auto open = lab_->write_file("open.yaml", kAllowAll);
  const auto after_one = publish_all(open.string(), 30);
  ASSERT_TRUE(after_one.ok()) << after_one.describe();
  for (int i = 0; i < lab_->size(); ++i) EXPECT_EQ(lab_->delivered_to(i, kBlockedPort), 20u);
  ASSERT_TRUE(publish_all(policy.string(), 30).ok());

  // All gone: every router keeps enforcing, says so in its log, and catches up later.
  for (int m = 1; m < lab_->etcd().size(); ++m) lab_->etcd().kill(m);
  for (int i = 0; i < lab_->size(); ++i) {
    EXPECT_EQ(lab_->delivered_to(i, kBlockedPort), 0u) << lab_->node_id(i);
    EXPECT_TRUE(lab_->agent_running(i)) << lab_->node_id(i);
  }
  // Each router says so in its status (and its log and metrics).
  ASSERT_TRUE(harness::eventually(30s, [&] {
    for (int i = 0; i < lab_->size(); ++i)
      if (mesh_connected(i) != false) return false;
    return true;
  }));
  for (int m = 0; m < lab_->etcd().size(); ++m) lab_->etcd().restart(m);
  ASSERT_TRUE(lab_->etcd().wait_ready(30s)) << lab_->etcd().logs();
  ASSERT_TRUE(harness::eventually(30s, [&] { return alive_exactly(all_ids()); }));
  // etcd restores the routers' leases with it, so the registry can look whole before each
  // router's own retry (its backoff) has reconnected: wait for every router to say so.
  EXPECT_TRUE(harness::eventually(30s, [&] {
    for (int i = 0; i < lab_->size(); ++i)
      if (mesh_connected(i) != true) return false;
    return true;
  })) << "a router still reports itself disconnected from etcd";
  const auto caught_up = publish_all(open.string(), 30);
  EXPECT_TRUE(caught_up.ok()) << caught_up.describe();
}

TEST_F(MeshRoutersTest, AKilledAgentLeavesTheRegistryAndComesBackWithItsGuard) {
  const auto policy = lab_->write_file("deny.yaml", deny_blocked_port());
  ASSERT_TRUE(publish_all(policy.string(), 30).ok());
  lab_->kill_agent(2);
  std::set<std::string> rest = all_ids();
  rest.erase(lab_->node_id(2));
  // Its lease (3 s) runs out: the registration goes, the others stay.
  ASSERT_TRUE(harness::eventually(20s, [&] {
    const auto nodes = lab_->view().nodes;
    std::set<std::string> ids;
    for (const auto& n : nodes) ids.insert(n.record.id);
    return ids == rest;
  }));
  EXPECT_TRUE(alive_exactly(rest));
  // The guard it left behind still enforces.
  EXPECT_EQ(lab_->delivered_to(2, kBlockedPort), 0u);
  // Its operator sees it in `wwctl mesh status`; a live neighbour sees itself (no --node:
  // its agent says who it is).
  const auto gone =
      lab_->wwctl(2, {"mesh", "status", "--mesh", lab_->endpoints(), "--node", lab_->node_id(2)});
  ASSERT_TRUE(gone.ok()) << gone.describe();
  EXPECT_NE(gone.out.find("this router: " + lab_->node_id(2) + " is NOT registered"),
            std::string::npos)
      << gone.out;
  const auto here = lab_->wwctl(1, {"mesh", "status", "--mesh", lab_->endpoints()});
  ASSERT_TRUE(here.ok()) << here.describe();
  EXPECT_NE(here.out.find("this router: " + lab_->node_id(1) + " registered, alive"),
            std::string::npos)
      << here.out;

  // Its policy file is not the mesh's policy: an open-mode agent applies the file at start,
  // then catches up with the mesh before it registers again.
  lab_->start_agent(2);
  ASSERT_TRUE(harness::eventually(20s, [&] { return alive_exactly(all_ids()); }));
  ASSERT_TRUE(harness::eventually(10s, [&] {
    const auto nodes = lab_->view().nodes;
    return std::all_of(nodes.begin(), nodes.end(),
                       [](const auto& n) { return n.target == mesh::TargetState::in_sync; });
  }));
  EXPECT_EQ(lab_->delivered_to(2, kBlockedPort), 0u);
}

// The Cradle's `from: mesh`: the registry's routers and the links their guarded interfaces
// share become the twin, each router's running policy digest goes into the report.
TEST_F(MeshRoutersTest, TheCradleBuildsItsTwinFromTheRegistry) {
  ASSERT_TRUE(harness::eventually(20s, [&] {
    try {
      const auto view = lab_->view();
      return view.nodes.size() == 5u &&
             std::all_of(view.nodes.begin(), view.nodes.end(), [](const mesh::NodeView& n) {
               return n.alive && n.record.links.size() == 2;
             });
    } catch (const std::exception&) {
      return false;
    }
  })) << "the routers never published their two ring links";
  const auto r1 = lab_->view().nodes[0].record;
  EXPECT_EQ(r1.links[0].cidr.substr(0, 7), "10.251.");
  EXPECT_EQ(r1.links[0].mtu, 1500u);

  harness::ScratchDir dir("ww-cradle-mesh");
  const auto key = harness::run_command(
      {harness::kWwctlBinary, "peer", "keygen", (dir / "node.key").string(), "--peer", "r1"});
  ASSERT_TRUE(key.ok()) << key.describe();
  harness::write_text_file(dir / "allow.yaml", kAllowAll);
  harness::write_text_file(
      dir / "from-mesh.yaml",
      "version: 1\n"
      "name: the-mesh-itself\n"
      "topology: {from: mesh}\n"
      "duration: 5s\n"
      "workload:\n"
      "  flows: [{name: across, from: r1, to: r3, port: 7000, rate: 100pps, "
      "size: 64B}]\n"
      "gates:\n"
      "  - {name: delivery, signal: delivery_ratio, op: \">=\", threshold: 90%}\n");
  const auto run = harness::run_command(
      {harness::kWwctlBinary, "cradle", "run", (dir / "from-mesh.yaml").string(), "--key",
       (dir / "node.key").string(), "-o", (dir / "report.json").string(), "--baseline",
       (dir / "allow.yaml").string(), "--candidate", (dir / "allow.yaml").string(), "--mesh",
       lab_->endpoints(), "--mesh-netns", lab_->core_ns()},
      std::chrono::minutes(3));
  ASSERT_EQ(run.exit_status, 0) << run.describe();
  const auto report = nlohmann::json::parse(harness::read_text_file(dir / "report.json"));
  EXPECT_EQ(report["build"]["routers"], 5);
  EXPECT_EQ(report["build"]["links"], 5);  // the ring
  ASSERT_EQ(report["build"]["running_digests"].size(), 5u);
  EXPECT_EQ(report["build"]["running_digests"]["r3"], lab_->view().nodes[2].record.applied_digest);
  EXPECT_EQ(report["verdict"], "pass");
}

}  // namespace
}  // namespace westworld::mesh_test
