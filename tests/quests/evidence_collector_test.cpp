// evidence_from_status(): only what the agent's status shows becomes evidence; everything it
// cannot show stays absent, and a stale or unattached guard proves no enforcement.
#include "westworld/quests/evidence_collector.h"

#include <gtest/gtest.h>

namespace westworld::quests {
namespace {

using namespace std::chrono_literals;

const common::UnixSeconds kNow{std::chrono::seconds(1'800'000'000)};

dataplane::InterfaceStatus interface(const std::string& name, std::optional<bool> attached) {
  dataplane::InterfaceStatus i;
  i.name = name;
  i.xdp_attached = attached;
  return i;
}

control::StatusReply enforcing_for(std::chrono::seconds how_long) {
  control::StatusReply status;
  status.agent.running = true;
  status.guard.policy.valid = true;
  status.guard.policy.applied_at_unix_ns =
      static_cast<uint64_t>((kNow - how_long).time_since_epoch().count()) * 1'000'000'000ULL;
  status.guard.interfaces = {interface("eth0", true), interface("eth1", true),
                             interface("eth2", false), interface("veth9", std::nullopt)};
  return status;
}

TEST(EvidenceFromStatus, FillsWhatTheStatusShows) {
  control::StatusReply status = enforcing_for(2h);
  status.mesh = control::MeshSummary{};
  status.mesh->connected = true;
  status.mesh->registered_routers = 4;
  const Evidence e = evidence_from_status(status, "n1", kNow);
  EXPECT_EQ(e.node_id, "n1");
  EXPECT_EQ(e.observed_at, kNow);
  EXPECT_EQ(e.links, 2u) << "detached and unobservable interfaces are not links";
  EXPECT_EQ(e.continuous_enforcement, std::chrono::milliseconds(2h));
  EXPECT_EQ(e.peers, 3u) << "the registered count includes this router";
  EXPECT_TRUE(e.signature.empty());
}

TEST(EvidenceFromStatus, NeverInventsWhatItCannotSee) {
  const Evidence e = evidence_from_status(enforcing_for(2h), "n1", kNow);
  EXPECT_FALSE(e.uptime) << "an agent too old to report its start proves no uptime";
  EXPECT_FALSE(e.peers) << "not in a mesh";
  EXPECT_FALSE(e.runs_latest_approved_policy);
  EXPECT_FALSE(e.votes_cast);
  EXPECT_FALSE(e.twin_experiments_run);
  EXPECT_FALSE(e.twin_experiments_passed);
  EXPECT_FALSE(e.guardian_share_verified);
  EXPECT_FALSE(e.flood_contained);
  EXPECT_FALSE(e.mttr);
}

TEST(EvidenceFromStatus, NoEnforcementWithoutAValidAttachedPolicy) {
  control::StatusReply none = enforcing_for(2h);
  none.guard.policy.valid = false;
  EXPECT_FALSE(evidence_from_status(none, "n1", kNow).continuous_enforcement);

  control::StatusReply detached = enforcing_for(2h);
  detached.guard.interfaces = {interface("eth0", false)};
  const Evidence e = evidence_from_status(detached, "n1", kNow);
  EXPECT_FALSE(e.continuous_enforcement);
  EXPECT_EQ(e.links, 0u);

  control::StatusReply future = enforcing_for(-1h);
  EXPECT_FALSE(evidence_from_status(future, "n1", kNow).continuous_enforcement);
}

TEST(EvidenceFromStatus, UptimeCountsFromTheAgentsStart) {
  control::StatusReply status = enforcing_for(1h);
  status.agent.started_unix_ns =
      static_cast<uint64_t>((kNow - 3h).time_since_epoch().count()) * 1'000'000'000ULL;
  EXPECT_EQ(evidence_from_status(status, "n1", kNow).uptime, std::chrono::milliseconds(3h));

  status.agent.running = false;
  EXPECT_FALSE(evidence_from_status(status, "n1", kNow).uptime) << "a stopped agent is not up";

  control::StatusReply restarted_later = enforcing_for(1h);
  restarted_later.agent.started_unix_ns =
      static_cast<uint64_t>((kNow + 1min).time_since_epoch().count()) * 1'000'000'000ULL;
  EXPECT_FALSE(evidence_from_status(restarted_later, "n1", kNow).uptime)
      << "a start after the observation is a clock problem, not negative uptime";
}

TEST(EvidenceFromStatus, ADisconnectedMeshProvesNoPeers) {
  control::StatusReply status = enforcing_for(1h);
  status.mesh = control::MeshSummary{};
  status.mesh->connected = false;
  status.mesh->registered_routers = 5;
  EXPECT_FALSE(evidence_from_status(status, "n1", kNow).peers);
}

TEST(ReadAgentStatus, NoAgentNamesTheSocket) {
  const control::Client client("/nonexistent/ww-quests-test.sock", 1s);
  try {
    read_agent_status(client);
    FAIL() << "no agent listens there";
  } catch (const EvidenceUnavailable& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/ww-quests-test.sock"), std::string::npos);
  }
}

}  // namespace
}  // namespace westworld::quests
