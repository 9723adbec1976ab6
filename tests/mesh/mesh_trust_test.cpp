// The mesh with every router's trust gate closed: etcd carries bundles, but each router
// decides. A mesh-wide policy needs a token and three peer signatures over "all"; a bundle
// without them, with a tampered signature, or replayed after the mesh moved on, is refused
// by every router and changes nothing.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <ctime>

#include "built_binaries.h"
#include "mesh_lab.h"
#include "test_policies.h"
#include "udp_traffic.h"
#include "westworld/harness/command.h"
#include "westworld/harness/netns.h"
#include "westworld/harness/pid_tag.h"
#include "westworld/harness/polling.h"
#include "westworld/harness/text_file.h"
#include "westworld/mesh/keys.h"
#include "westworld/mesh/mesh_view.h"
#include "westworld/mesh/policy_bundle.h"

namespace westworld::mesh_test {
namespace {

using namespace std::chrono_literals;

constexpr uint16_t kBlockedPort = 5555;
constexpr const char* kAllowAll = "version: 1\ncharter:\n  default: allow\n";
const std::vector<std::string> kPeers = {"q1", "q2", "q3"};

std::string wwctl_checked(std::vector<std::string> args) {
  args.insert(args.begin(), harness::kWwctlBinary);
  return harness::run_checked(args);
}

// Keys made before the routers start: the capability root, an operator token for
// policy.apply on any node, and three peers.
class MeshKeysDir {
 public:
  MeshKeysDir() : dir_(harness::make_tagged_directory("wwmt")) {
    wwctl_checked({"token", "keygen", root_key()});
    harness::write_text_file(
        token(), wwctl_checked({"token", "mint", "--key", root_key(), "--id", "operator",
                                "--caveat", "action = policy.apply"}));
    ::chmod(token().c_str(), 0600);
    std::string peers;
    for (const std::string& id : kPeers)
      peers += wwctl_checked({"peer", "keygen", peer_key(id), "--peer", id});
    harness::write_text_file(peers_file(), peers);
  }
  ~MeshKeysDir() {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  std::string root_key() const { return (dir_ / "root.key").string(); }
  std::string token() const { return (dir_ / "operator.token").string(); }
  std::string peers_file() const { return (dir_ / "peers").string(); }
  std::string peer_key(const std::string& id) const { return (dir_ / (id + ".key")).string(); }
  // Every peer's signature of `policy` for all routers, with one nonce and one time (each
  // signer's own "now" could straddle a second); the files' paths.
  std::vector<std::string> sign_for_all(const std::string& policy, const std::string& nonce,
                                        const std::string& time) const {
    std::vector<std::string> files;
    for (const std::string& id : kPeers) {
      const std::string file = (dir_ / (id + "-" + nonce.substr(0, 8) + ".sig")).string();
      wwctl_checked({"policy", "sign", policy, "--key", peer_key(id), "--peer", id, "--node", "all",
                     "--nonce", nonce, "--time", time, "-o", file});
      files.push_back(file);
    }
    return files;
  }

 private:
  std::filesystem::path dir_;
};

std::string nonce_of(char fill) { return std::string(64, fill); }

// Now, as `wwctl policy sign --time` takes it (RFC 3339, UTC, seconds).
std::string utc_now() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  ::gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

class MeshTrustTest : public ::testing::Test {
 protected:
  void SetUp() override {
    MeshLabOptions options;
    options.router_flags = [](int i) {
      return std::vector<std::string>{"--node-id", "r" + std::to_string(i + 1)};
    };
    options.agent_flags = {"--trust-root-key", keys_.root_key(), "--peers",
                           keys_.peers_file(), "--mesh-size",    "5"};
    lab_.emplace(options, kAllowAll);
  }
  void TearDown() override {
    if (HasFailure() && lab_) std::cerr << lab_->agent_logs();
  }

  harness::CommandResult publish(const std::string& policy, const std::vector<std::string>& extra) {
    std::vector<std::string> args = {
        "mesh",         "publish",     policy,   "--all", "--mesh", lab_->endpoints(),
        "--token-file", keys_.token(), "--wait", "30"};
    args.insert(args.end(), extra.begin(), extra.end());
    return lab_->wwctl(0, args);
  }

  std::vector<std::string> signed_with(const std::string& policy, const std::string& nonce) {
    std::vector<std::string> extra = {"--nonce", nonce};
    for (const std::string& file : keys_.sign_for_all(policy, nonce, utc_now()))
      extra.insert(extra.end(), {"--signature", file});
    return extra;
  }

  // Waits until every router refused the current target; returns their reasons.
  std::vector<std::string> refusals_everywhere() {
    std::vector<std::string> reasons;
    const bool all = harness::eventually(30s, [&] {
      reasons.clear();
      const auto nodes = lab_->view().nodes;
      for (const auto& node : nodes)
        if (node.target == mesh::TargetState::refused)
          reasons.push_back(node.record.last_refusal->reason);
      return nodes.size() == 5u && reasons.size() == 5u;
    });
    EXPECT_TRUE(all) << "not every router refused the bundle";
    return reasons;
  }

  void put_raw_target(const std::string& value) {
    harness::NetnsScope core(lab_->core_ns());
    lab_->store()->put({mesh::MeshKeys("default").target(mesh::kAllRouters), value});
  }
  std::string raw_target() {
    harness::NetnsScope core(lab_->core_ns());
    return lab_->store()->get(mesh::MeshKeys("default").target(mesh::kAllRouters)).kvs.at(0).value;
  }

  MeshKeysDir keys_;
  std::optional<MeshLab> lab_;
};

TEST_F(MeshTrustTest, OnlyAMeshWideChangeThePeersSignedIsApplied) {
  const std::string deny = lab_->write_file(
      "deny.yaml", harness::deny_port_policy({.name = "mesh-deny", .ports = {kBlockedPort}}));
  const std::string allow = lab_->write_file("allow.yaml", kAllowAll).string();

  // A token alone: a change to all routers is a mass change, and no router takes it.
  const auto unsigned_publish = publish(deny, {});
  EXPECT_FALSE(unsigned_publish.ok()) << unsigned_publish.describe();
  for (const std::string& reason : refusals_everywhere())
    EXPECT_NE(reason.find("too_few_signatures"), std::string::npos) << reason;
  for (int i = 0; i < lab_->size(); ++i) EXPECT_EQ(lab_->delivered_to(i, kBlockedPort), 20u);

  // Signed by three peers for "all": every router applies it.
  const auto approved = publish(deny, signed_with(deny, nonce_of('a')));
  ASSERT_TRUE(approved.ok()) << approved.describe();
  for (int i = 0; i < lab_->size(); ++i) EXPECT_EQ(lab_->delivered_to(i, kBlockedPort), 0u);
  const std::string approved_bundle = raw_target();

  // The mesh moves on to another approved policy.
  const auto moved_on = publish(allow, signed_with(allow, nonce_of('b')));
  ASSERT_TRUE(moved_on.ok()) << moved_on.describe();

  // Whoever controls etcd puts the old approved bundle back: its nonce is spent.
  put_raw_target(approved_bundle);
  for (const std::string& reason : refusals_everywhere())
    EXPECT_NE(reason.find("replayed_nonce"), std::string::npos) << reason;
  for (int i = 0; i < lab_->size(); ++i) EXPECT_EQ(lab_->delivered_to(i, kBlockedPort), 20u);

  // A fresh nonce with the signatures of another nonce: they do not verify.
  mesh::PolicyBundle tampered = mesh::decode_bundle(approved_bundle);
  tampered.request.credentials.nonce = nonce_of('c');
  put_raw_target(mesh::encode_bundle(tampered));
  for (const std::string& reason : refusals_everywhere())
    EXPECT_NE(reason.find("bad_signature"), std::string::npos) << reason;
  for (int i = 0; i < lab_->size(); ++i) EXPECT_EQ(lab_->delivered_to(i, kBlockedPort), 20u);
}

}  // namespace
}  // namespace westworld::mesh_test
