// Governance on the real mesh: five routers running the real agent with --gov-genesis, a
// 3-member etcd, five members voting with their own keys through wwctl. A passed proposal
// reaches every router in canary waves; a wave whose gate fails takes every released router
// back; a coordinator that dies is replaced and the rollout resumes; and nothing written
// into etcd without a passed proposal is applied by any router. Delivered packets prove
// what each router enforces.
#include <set>

#include "mesh_governance_fixture.h"
#include "test_policies.h"
#include "udp_traffic.h"
#include "westworld/mesh/policy_bundle.h"

namespace westworld::mesh_test {
namespace {

constexpr uint16_t kBlockedPort = 5555;
constexpr uint16_t kOpenPort = 5556;

std::string deny_blocked_port() {
  return harness::deny_port_policy({.name = "gov-deny", .ports = {kBlockedPort}});
}

std::vector<size_t> wave_sizes(const json& rollout) {
  std::vector<size_t> sizes;
  for (const auto& wave : rollout.at("waves")) sizes.push_back(wave.at("nodes").size());
  return sizes;
}

TEST_F(MeshGovernanceTest, APassedProposalReachesEveryRouterInCanaryWaves) {
  const std::string id =
      propose(deny_blocked_port(), "deny-5555", {"--waves", "1,50%,100%", "--bake", "3s"});
  ASSERT_FALSE(id.empty());
  // 3 of 5 yes: not passed after two yes and a no, passed (early) with the third yes.
  cast(id, 3, "no");
  cast(id, 0, "yes");
  cast(id, 1, "yes");
  json t = tally(id);
  EXPECT_FALSE(t.at("passed").get<bool>());
  EXPECT_TRUE(t.at("open").get<bool>());
  cast(id, 2, "yes");
  const auto passed_at = Steady::now();
  t = tally(id);
  EXPECT_EQ(t.at("yes"), 3);
  EXPECT_EQ(t.at("no"), 1);
  EXPECT_EQ(t.at("abstain"), 0);
  EXPECT_EQ(t.at("total"), 5);
  EXPECT_TRUE(t.at("passed").get<bool>());

  // While the canary bakes, a router of a later wave still runs the old policy.
  json state;
  ASSERT_TRUE(harness::eventually(30s, [&] {
    state = rollout(id);
    return state.value("state", "") == "running" && state.at("waves").size() == 3u &&
           state["waves"][0]["state"] == "baking";
  })) << state.dump();
  EXPECT_EQ(wave_sizes(state), (std::vector<size_t>{1, 2, 2}));
  const std::string canary = state["waves"][0]["nodes"][0];
  const std::string later = state["waves"][2]["nodes"][0];
  EXPECT_EQ(lab_->delivered_to(router_index(later), kBlockedPort), 20u)
      << later << " before its wave";

  state = wait_for_rollout(id, "succeeded", 90s);
  ASSERT_EQ(state.value("state", ""), "succeeded") << state.dump();
  const std::string digest = state.at("digest");
  ASSERT_TRUE(harness::eventually(20s, [&] { return running(digest) == kMembers; }));
  std::cerr << "governance: from the passing vote to 100% of the routers: "
            << seconds_since(passed_at) << " s (3 waves, bake 3 s, 1 s samples)\n";
  for (const auto& wave : state.at("waves")) EXPECT_EQ(wave.at("state"), "succeeded");

  for (int i = 0; i < lab_->size(); ++i) {
    EXPECT_EQ(lab_->delivered_to(i, kBlockedPort), 0u)
        << "after the rollout, at " << lab_->node_id(i);
    EXPECT_EQ(lab_->delivered_to(i, kOpenPort), 20u)
        << "an unrelated port, at " << lab_->node_id(i);
  }
  // Every router audited the decision it verified; the coordinator audited the waves.
  const std::string canary_log = audit_log(router_index(canary));
  EXPECT_NE(canary_log.find("gov_apply"), std::string::npos) << canary_log;
  EXPECT_NE(canary_log.find(id), std::string::npos) << canary_log;
  // ... and each counted vote (3 yes, 1 no) with its signature, before the apply.
  size_t votes = 0;
  for (size_t at = canary_log.find("gov_vote"); at != std::string::npos;
       at = canary_log.find("gov_vote", at + 1))
    ++votes;
  EXPECT_EQ(votes, 4u) << canary_log;
  EXPECT_LT(canary_log.find("gov_vote"), canary_log.find("gov_apply")) << canary_log;
  const std::string coordinator_log = audit_log(router_index(state.at("coordinator")));
  for (const char* step : {"passed", "wave_start", "gate_verdict", "promotion", "success"})
    EXPECT_NE(coordinator_log.find(step), std::string::npos) << step << "\n" << coordinator_log;
}

TEST_F(MeshGovernanceTest, AFailedGateTakesEveryReleasedRouterBack) {
  const std::string id =
      propose(deny_blocked_port(), "deny-legit", {"--waves", "1,100%", "--bake", "3s"});
  ASSERT_FALSE(id.empty());
  for (int member : {0, 1, 2}) cast(id, member, "yes");

  json state = wait_for_rollout(id, "running", 30s);
  ASSERT_EQ(state.value("state", ""), "running") << state.dump();
  // A legitimate flow to every router of the second wave: harmless until the candidate,
  // which denies it, reaches them; then their rule drops trip the gate.
  std::vector<std::unique_ptr<harness::TrafficSender>> flows;
  const std::string canary = state["waves"][0]["nodes"][0];
  for (const auto& node : state["waves"][1]["nodes"]) {
    const int router = router_index(node);
    const std::string out = (lab_->work_dir() / ("flow-" + node.get<std::string>())).string();
    flows.push_back(std::make_unique<harness::TrafficSender>(
        lab_->router_ns(lab_->west_neighbour(router)),
        harness::SendSpec{.dst = lab_->west_address(router),
                          .dport = kBlockedPort,
                          .count = 200 * 60,
                          .pps = 200},
        harness::ChildIo{out, out}));
  }
  const auto aborted_at = watch_until_aborted(id, 90s);
  ASSERT_TRUE(aborted_at.has_value()) << rollout(id).dump();
  state = rollout(id);
  ASSERT_EQ(state.value("state", ""), "aborted") << state.dump();
  EXPECT_NE(state.at("reason").get<std::string>().find("drop_rate.rule <= 50"), std::string::npos)
      << state.dump();
  EXPECT_EQ(state["waves"][0]["state"], "succeeded") << "the canary had passed";
  EXPECT_EQ(state["waves"][1]["state"], "failed");

  ASSERT_TRUE(harness::eventually(30s, [&] { return running(initial_digest_) == kMembers; }));
  std::cerr << "governance: from the failed gate to every router rolled back: "
            << seconds_since(*aborted_at) << " s\n";
  flows.clear();  // stop the flows (killed by PID)
  for (int i = 0; i < lab_->size(); ++i)
    EXPECT_EQ(lab_->delivered_to(i, kBlockedPort), 20u) << "rolled back, at " << lab_->node_id(i);
  const std::string canary_log = audit_log(router_index(canary));
  EXPECT_NE(canary_log.find("gov_rollback"), std::string::npos) << canary_log;

  // The members approve the same policy again (the flow has stopped): it sticks, and the
  // aborted rollout of that very policy does not take any router back a second time.
  const std::string again =
      propose(deny_blocked_port(), "deny-legit-again", {"--waves", "100%", "--bake", "1s"});
  for (int member : {0, 1, 2}) cast(again, member, "yes");
  state = wait_for_rollout(again, "succeeded", 60s);
  ASSERT_EQ(state.value("state", ""), "succeeded") << state.dump();
  const std::string digest = state.at("digest");
  ASSERT_TRUE(harness::eventually(20s, [&] { return running(digest) == kMembers; }));
  for (int i = 0; i < lab_->size(); ++i) EXPECT_EQ(lab_->delivered_to(i, kBlockedPort), 0u);
  EXPECT_EQ(running(digest), kMembers) << "a router went back to the policy before";
  const std::string log = audit_log(router_index(canary));
  size_t rollbacks = 0;
  for (size_t at = log.find("gov_rollback"); at != std::string::npos;
       at = log.find("gov_rollback", at + 1))
    ++rollbacks;
  EXPECT_EQ(rollbacks, 1u) << log;
}

TEST_F(MeshGovernanceTest, NothingWithoutAPassedProposalIsApplied) {
  // One yes of five: not passed.
  const std::string id = propose(deny_blocked_port(), "unapproved", {});
  ASSERT_FALSE(id.empty());
  cast(id, 0, "yes");
  EXPECT_FALSE(tally(id).at("passed").get<bool>());

  // Whoever controls etcd writes a rollout releasing it everywhere, and a bundle.
  {
    harness::NetnsScope core(lab_->core_ns());
    auto store = lab_->store();
    const mesh::MeshKeys keys("default");
    const auto record = governance::decode_proposal(store->get(keys.proposal(id)).kvs.at(0).value);
    std::vector<std::string> nodes;
    for (int i = 0; i < lab_->size(); ++i) nodes.push_back(lab_->node_id(i));
    governance::RolloutState forged = governance::start_rollout(
        id, record.proposal.proposal, nodes,
        common::UnixSeconds(std::chrono::duration_cast<std::chrono::seconds>(
            std::chrono::system_clock::now().time_since_epoch())),
        "mallory");
    forged.state = governance::RolloutPhase::succeeded;
    store->put({keys.rollout(id), governance::encode_rollout(forged)});
  }
  ASSERT_TRUE(harness::eventually(20s, [&] {
    const auto nodes = lab_->view().nodes;
    return std::all_of(nodes.begin(), nodes.end(), [&](const auto& n) {
      return n.record.last_refusal &&
             n.record.last_refusal->reason.find("has not passed") != std::string::npos;
    });
  }));
  EXPECT_EQ(running(initial_digest_), kMembers);
  for (int i = 0; i < lab_->size(); ++i) EXPECT_EQ(lab_->delivered_to(i, kBlockedPort), 20u);

  // A bundle under policy/target/ carries no proposal: refused by routers that follow
  // governance, whatever credentials it claims.
  const auto policy = lab_->write_file("bundle.yaml", deny_blocked_port());
  const harness::CommandResult published =
      lab_->wwctl(0, {"mesh", "publish", policy.string(), "--all", "--mesh", lab_->endpoints()});
  ASSERT_TRUE(published.ok()) << published.describe();
  ASSERT_TRUE(harness::eventually(20s, [&] {
    const auto nodes = lab_->view().nodes;
    return std::all_of(nodes.begin(), nodes.end(), [&](const auto& n) {
      return n.record.last_refusal &&
             n.record.last_refusal->reason.find("follows governance") != std::string::npos;
    });
  }));
  EXPECT_EQ(running(initial_digest_), kMembers);

  // wwctl refuses what routers would: a second vote, a non-member, a stolen key, a window
  // outside the mesh's bounds, an emergency longer than 2 h.
  const harness::CommandResult again = vote(id, 0, "no");
  EXPECT_FALSE(again.ok());
  EXPECT_NE(again.err.find("duplicate"), std::string::npos) << again.describe();
  const harness::CommandResult outsider =
      gov({"gov", "vote", id, "yes", "--key", keys_.key(1), "--member", "r9"});
  EXPECT_FALSE(outsider.ok());
  EXPECT_NE(outsider.err.find("not a member"), std::string::npos) << outsider.describe();
  const harness::CommandResult stolen =
      gov({"gov", "vote", id, "yes", "--key", keys_.key(1), "--member", "r3"});
  EXPECT_FALSE(stolen.ok());
  EXPECT_NE(stolen.err.find("not the key of member"), std::string::npos) << stolen.describe();
  const auto deny = lab_->write_file("deny.yaml", deny_blocked_port());
  const harness::CommandResult short_window =
      gov({"gov", "propose", deny.string(), "--title", "x", "--key", keys_.key(0), "--member", "r1",
           "--window", "2s"});
  EXPECT_FALSE(short_window.ok());
  EXPECT_NE(short_window.err.find("outside the mesh's bounds"), std::string::npos)
      << short_window.describe();
  const harness::CommandResult long_emergency =
      gov({"gov", "propose", deny.string(), "--title", "x", "--key", keys_.key(0), "--member", "r1",
           "--kind", "emergency", "--window", "3h"});
  EXPECT_FALSE(long_emergency.ok());
  EXPECT_NE(long_emergency.err.find("emergency"), std::string::npos) << long_emergency.describe();
}

TEST_F(MeshGovernanceTest, AnotherRouterTakesOverFromADeadCoordinator) {
  const std::string id =
      propose(deny_blocked_port(), "takeover", {"--waves", "1,50%,100%", "--bake", "4s"});
  ASSERT_FALSE(id.empty());
  for (int member : {0, 1, 2}) cast(id, member, "yes");
  json state = wait_for_rollout(id, "running", 30s);
  ASSERT_EQ(state.value("state", ""), "running") << state.dump();
  const std::string first = state.at("coordinator");
  const int dead = router_index(first);
  lab_->kill_agent(dead);  // SIGKILL mid-rollout: its lease runs out, nobody resigns
  ASSERT_TRUE(harness::eventually(30s,
                                  [&] {
                                    state = rollout(id);
                                    return state.value("coordinator", first) != first;
                                  }))
      << "no router took over: " << state.dump();
  std::cerr << "governance: " << state.at("coordinator").get<std::string>() << " took over from "
            << first << "\n";
  lab_->start_agent(dead);  // back as an ordinary router, so its wave has data again

  state = wait_for_rollout(id, "succeeded", 120s);
  ASSERT_EQ(state.value("state", ""), "succeeded") << state.dump();
  ASSERT_TRUE(harness::eventually(20s, [&] { return running(state.at("digest")) == kMembers; }));
  for (int i = 0; i < lab_->size(); ++i) EXPECT_EQ(lab_->delivered_to(i, kBlockedPort), 0u);
}

}  // namespace
}  // namespace westworld::mesh_test
