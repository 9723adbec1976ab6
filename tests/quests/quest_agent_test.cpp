// wwctl quest against the real agent in a namespace (the integration tests' GuardTest fixture;
// needs root, skips without it): progress reads the agent's own status, a met step is granted
// once on evidence signed by the node's key, a repeat claim says it was granted already, and
// a step the agent cannot attest stays "missing evidence" and is refused. A flood from a source
// namespace fires the detector, the agent quarantines it and opens a flood crisis: `quest crises`
// shows it open, progress reads flood_contained from the agent's alerts, and the crisis quest is
// granted inside it. On a mesh the router publishes its crisis, and another member claims the
// crisis quest on it.
#include <chrono>
#include <fstream>
#include <functional>
#include <set>

#include "built_binaries.h"
#include "etcd_cluster.h"
#include "guard_test.h"
#include "westworld/harness/polling.h"

namespace westworld::integration {
namespace {

using namespace std::chrono_literals;

// The rate-jump detector quarantines (drop) after a short warm-up; share creep stays off, as a
// link with one talker has no shares to compare.
constexpr int kWarmupWindows = 4;
const std::string kFloodDetection = R"(anti_meave:
  quota: {pps: 200000, burst: 200000}
  detect:
    rate_jump: {warmup_windows: 4, min_pps: 1000, persistence: 2}
    share_creep: {enabled: false}
    quarantine: {action: drop, ban_s: 60, quiet_pps: 10, quiet_s: 5}
)";
constexpr uint16_t kFloodPort = 7001;  // nobody listens: XDP counts and drops before the stack
constexpr uint32_t kNormalPps = 200;
constexpr uint32_t kFloodPps = 20000;
constexpr uint32_t kFloodPackets = 160000;  // 8 s

class QuestAgentTest : public GuardTest {
 protected:
  // A quest this single guarded router can meet (one link), and one it cannot (peers need a
  // mesh the agent is not in).
  std::filesystem::path write_quests() const {
    const auto dir = work_dir() / "quests";
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "guard-one.yaml") << "version: 1\n"
                                             "id: guard-one\n"
                                             "title: Guard one link\n"
                                             "category: mesh_builder\n"
                                             "steps:\n"
                                             "  - id: link\n"
                                             "    title: One guarded link\n"
                                             "    criteria: [links >= 1]\n"
                                             "    reward: {points: 7, badge: first-link}\n"
                                             "  - id: peers\n"
                                             "    title: A peer\n"
                                             "    criteria: [peers >= 1]\n"
                                             "    reward: {points: 9}\n";
    return dir;
  }
  // A crisis quest this router can meet once its agent has contained a flood.
  void write_crisis_quest() const {
    std::ofstream(work_dir() / "quests" / "contain-a-flood.yaml")
        << "version: 1\n"
           "id: contain-a-flood\n"
           "title: Help contain a flood\n"
           "category: crisis_helper\n"
           "opens_on: flood\n"
           "expires: 12h\n"
           "steps:\n"
           "  - id: contain\n"
           "    title: Quarantine a flood\n"
           "    criteria: [flood_contained >= 1, links >= 1]\n"
           "    reward: {points: 60, badge: crisis-helper}\n";
  }
  json quest_json(const std::vector<std::string>& args) const {
    const CommandResult result = quest(args);
    if (!result.ok()) throw std::runtime_error(result.describe());
    return json::parse(result.out);
  }
  // `wwctl quest crises --json`: read from the data directory the agent shares with wwctl.
  json crises() const {
    const CommandResult result = wwctl({"quest", "crises", "--json"});
    if (!result.ok()) throw std::runtime_error(result.describe());
    return json::parse(result.out);
  }
  // Waits until `source` has sent in `windows` of the watchman's windows (told apart by their
  // measured lengths, as the watchman tests do) or `timeout` passes.
  bool wait_for_windows_with(const std::string& source, int windows,
                             std::chrono::milliseconds timeout) const {
    std::set<double> seen;
    return harness::eventually(timeout, [&] {
      const CommandResult top = wwctl({"top", "--once", "--json"});
      if (!top.ok()) return false;
      const json view = json::parse(top.out);
      for (const json& s : view["sources"])
        if (s["source"] == source && s["pps"].get<double>() > 0)
          seen.insert(view["window_s"].get<double>());
      return static_cast<int>(seen.size()) >= windows;
    });
  }
  // The link's source sends normal traffic long enough for its baseline, then a flood, until the
  // agent quarantines it.
  void flood_until_quarantined(const VethLink& flooded) {
    const std::string flooder = flooded.source_ipv4;
    TrafficSender normal =
        start_sending(flooded.source_ns, {.dst = flooded.router_ipv4,
                                          .dport = kFloodPort,
                                          .count = kNormalPps * (kWarmupWindows + 4),
                                          .pps = kNormalPps});
    ASSERT_TRUE(wait_for_windows_with(flooder, kWarmupWindows + 1, 20s))
        << "the watchman did not see the source's normal traffic for its baseline";
    TrafficSender flood = start_sending(flooded.source_ns, {.dst = flooded.router_ipv4,
                                                            .dport = kFloodPort,
                                                            .count = kFloodPackets,
                                                            .pps = kFloodPps});
    EXPECT_TRUE(harness::eventually(10s, [&] { return quarantined(flooder); }))
        << "the flood was not quarantined";
    flood.finish();
    normal.finish();
  }
  std::string member_key(const std::string& id) const {
    return (work_dir() / (id + ".key")).string();
  }
  // Keys for members r1, r2 and r3 (wwctl peer keygen) and a governance founded on them in the
  // mesh `mesh` (its --mesh... flags) through `run`, a wwctl that reaches its etcd. Returns the
  // genesis digest, what --gov-genesis pins.
  std::string found_mesh(const std::vector<std::string>& mesh,
                         const std::function<CommandResult(std::vector<std::string>)>& run) const {
    std::string members;
    for (const std::string id : {"r1", "r2", "r3"}) {
      const CommandResult made = wwctl({"peer", "keygen", member_key(id), "--peer", id});
      if (!made.ok()) throw std::runtime_error(made.describe());
      members += made.out;
    }
    std::ofstream(work_dir() / "members") << members;
    std::vector<std::string> init = {"gov", "init", "--members", (work_dir() / "members").string()};
    init.insert(init.end(), mesh.begin(), mesh.end());
    const CommandResult founded = run(init);
    if (!founded.ok()) throw std::runtime_error(founded.describe());
    return founded.out.substr(0, 64);
  }
  bool quarantined(const std::string& source) const {
    const CommandResult list = wwctl({"quarantine", "list", "--json"});
    if (!list.ok()) return false;
    for (const json& q : json::parse(list.out))
      if (q["source"] == source && q["enforced"].get<bool>()) return true;
    return false;
  }
  CommandResult quest(const std::vector<std::string>& args) const {
    // The sandbox's wwctl keeps its --data-dir in the state directory: the ledger goes there.
    std::vector<std::string> full = {"quest"};
    full.insert(full.end(), args.begin(), args.end());
    full.push_back("--dir");
    full.push_back(write_quests().string());
    return wwctl(full);
  }
};

TEST_F(QuestAgentTest, ProgressAndClaimFromTheRunningAgent) {
  start_agent(write_deny_port_policy(), {link(1).router_iface});

  const CommandResult progress = quest({"progress", "--node", "r1", "--json"});
  ASSERT_TRUE(progress.ok()) << progress.describe();
  const json report = json::parse(progress.out);
  EXPECT_EQ(report["node"], "r1");
  const json& steps = report["quests"][0]["steps"];
  ASSERT_EQ(steps.size(), 2u) << progress.out;
  EXPECT_EQ(steps[0]["outcome"], "met") << progress.out;
  EXPECT_EQ(steps[1]["outcome"], "missing evidence") << progress.out;

  const CommandResult human = quest({"progress", "--node", "r1"});
  ASSERT_TRUE(human.ok()) << human.describe();
  EXPECT_NE(human.out.find("step link: met"), std::string::npos) << human.out;
  EXPECT_NE(human.out.find("step peers: missing evidence"), std::string::npos) << human.out;

  const auto key = work_dir() / "r1.key";
  ASSERT_TRUE(wwctl({"peer", "keygen", key.string(), "--peer", "r1"}).ok());
  const CommandResult granted =
      quest({"claim", "guard-one", "--step", "link", "--key", key.string(), "--node", "r1"});
  ASSERT_TRUE(granted.ok()) << granted.describe();
  EXPECT_NE(granted.out.find("granted to r1: 7 points, badge first-link"), std::string::npos)
      << granted.out;

  const CommandResult again =
      quest({"claim", "guard-one", "--step", "link", "--key", key.string(), "--node", "r1"});
  ASSERT_TRUE(again.ok()) << again.describe();
  EXPECT_NE(again.out.find("already granted"), std::string::npos) << again.out;

  const CommandResult refused =
      quest({"claim", "guard-one", "--step", "peers", "--key", key.string(), "--node", "r1"});
  EXPECT_EQ(refused.exit_status, 1) << refused.describe();
  EXPECT_NE(refused.out.find("missing evidence"), std::string::npos) << refused.out;

  const CommandResult history = wwctl({"quest", "ledger", "--node", "r1", "--verify"});
  ASSERT_TRUE(history.ok()) << history.describe();
  EXPECT_NE(history.out.find("guard-one/link"), std::string::npos) << history.out;
  EXPECT_EQ(history.out.find("guard-one/peers"), std::string::npos) << history.out;
}

TEST_F(QuestAgentTest, AContainedFloodOpensACrisisAndCountsAsEvidence) {
  const VethLink& flooded = link(1);
  start_agent(write_policy("flood.yaml", harness::deny_port_policy({"deny-udp-port", {kDeniedPort}},
                                                                   kFloodDetection)),
              {flooded.router_iface});
  write_quests();
  write_crisis_quest();
  const std::string flooder = flooded.source_ipv4;

  // Before any flood: no crisis, and the crisis quest is not open.
  EXPECT_TRUE(crises().empty());
  const CommandResult early = quest(
      {"claim", "contain-a-flood", "--key", (work_dir() / "r1.key").string(), "--node", "r1"});
  EXPECT_EQ(early.exit_status, 1) << early.describe();
  EXPECT_NE(early.err.find("no open flood crisis on this node"), std::string::npos) << early.err;

  ASSERT_NO_FATAL_FAILURE(flood_until_quarantined(flooded));

  // One open flood crisis, about the flooder.
  const json opened = crises();
  ASSERT_EQ(opened.size(), 1u) << opened.dump(2);
  EXPECT_EQ(opened[0]["kind"], "flood");
  EXPECT_EQ(opened[0]["subject"], flooder);
  EXPECT_TRUE(opened[0]["open"].get<bool>());
  EXPECT_EQ(
      opened[0]["closes_at_unix_s"].get<int64_t>() - opened[0]["opened_at_unix_s"].get<int64_t>(),
      12 * 3600);

  // `wwctl alerts` says which alert's quarantine took effect: what flood_contained counts.
  const CommandResult alerts = wwctl({"alerts"});
  ASSERT_TRUE(alerts.ok()) << alerts.describe();
  EXPECT_NE(alerts.out.find("(contained: its quarantine took effect)"), std::string::npos)
      << alerts.out;

  // Progress reads flood_contained from the agent's alerts, and shows the crisis quest open.
  const json progress = quest_json({"progress", "--node", "r1", "--json"});
  const json* crisis_quest = nullptr;
  for (const json& q : progress["quests"])
    if (q["quest"] == "contain-a-flood") crisis_quest = &q;
  ASSERT_NE(crisis_quest, nullptr) << progress.dump(2);
  EXPECT_TRUE((*crisis_quest)["claimable_here"].get<bool>()) << crisis_quest->dump(2);
  EXPECT_EQ((*crisis_quest)["crisis"]["id"], opened[0]["id"]);
  bool flood_met = false;
  for (const json& c : (*crisis_quest)["steps"][0]["criteria"])
    if (c["criterion"] == "flood_contained >= 1") flood_met = c["outcome"] == "met";
  EXPECT_TRUE(flood_met) << crisis_quest->dump(2);

  // And the crisis quest is granted inside its crisis, once.
  const auto key = work_dir() / "r1.key";
  ASSERT_TRUE(wwctl({"peer", "keygen", key.string(), "--peer", "r1"}).ok());
  const CommandResult granted =
      quest({"claim", "contain-a-flood", "--key", key.string(), "--node", "r1"});
  ASSERT_TRUE(granted.ok()) << granted.describe();
  EXPECT_NE(granted.out.find("granted to r1: 60 points, badge crisis-helper"), std::string::npos)
      << granted.out;
  const CommandResult again =
      quest({"claim", "contain-a-flood", "--key", key.string(), "--node", "r1"});
  EXPECT_NE(again.out.find("already granted"), std::string::npos) << again.describe();
}

// Settlement goes through the agent, which owns the audit log: the batch's digest is an audit
// entry, and `ledger --verify` checks the ledger against it. The status carries the agent's
// start, which is what the uptime criterion reads.
TEST_F(QuestAgentTest, SettlementIsCommittedToTheAgentsAuditLog) {
  start_agent(write_deny_port_policy(), {link(1).router_iface});
  const json agent = status()["agent"];
  const uint64_t started = agent.value("started_unix_ns", uint64_t{0});
  EXPECT_GT(started, 0u) << agent.dump();
  EXPECT_LE(started, static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                               std::chrono::system_clock::now().time_since_epoch())
                                               .count()));

  const CommandResult nothing = wwctl({"quest", "settle"});
  ASSERT_TRUE(nothing.ok()) << nothing.describe();
  EXPECT_NE(nothing.out.find("nothing to settle"), std::string::npos) << nothing.out;

  const auto key = work_dir() / "r1.key";
  ASSERT_TRUE(wwctl({"peer", "keygen", key.string(), "--peer", "r1"}).ok());
  ASSERT_TRUE(
      quest({"claim", "guard-one", "--step", "link", "--key", key.string(), "--node", "r1"}).ok());
  const CommandResult settled = wwctl({"quest", "settle"});
  ASSERT_TRUE(settled.ok()) << settled.describe();
  EXPECT_NE(settled.out.find("batch 1: transactions 1-1, 2 entries, 7 points minted"),
            std::string::npos)
      << settled.out;
  EXPECT_NE(settled.out.find("audit entry "), std::string::npos) << settled.out;

  const CommandResult log = wwctl({"audit", "log", "--log", (state_dir() / "audit.db").string()});
  ASSERT_TRUE(log.ok()) << log.describe();
  EXPECT_NE(log.out.find("quest_settlement"), std::string::npos) << log.out;
  const CommandResult verified = wwctl({"quest", "ledger", "--node", "r1", "--verify"});
  ASSERT_TRUE(verified.ok()) << verified.describe();
  EXPECT_NE(verified.out.find("matches its digest and what the audit log"), std::string::npos)
      << verified.out;

  const CommandResult elsewhere = wwctl(
      {"quest", "ledger", "--node", "r1", "--verify", "--audit-log", "/nonexistent/audit.db"});
  EXPECT_EQ(elsewhere.exit_status, 1) << elsewhere.describe();
  EXPECT_NE(elsewhere.out.find("no audit log at /nonexistent/audit.db to check the 1 settled "
                               "batches against"),
            std::string::npos)
      << elsewhere.out;
}

// On a mesh: a member claims through wwctl on evidence from its agent, its vault share and the
// mesh; the claim is a create-only record in etcd, so it is granted once mesh-wide; a node that
// is not a member, or a member's id with another key, earns nothing; and another node's
// `quest sync` mirrors the claim after verifying it itself.
TEST_F(QuestAgentTest, AMeshMemberClaimsAndAnotherNodeMirrorsIt) {
  start_agent(write_deny_port_policy(), {link(1).router_iface});
  write_quests();
  harness::EtcdCluster etcd(harness::EtcdClusterOptions::of(1));
  // etcd listens on the host's loopback, so this wwctl runs in the host's namespace; it reaches
  // the agent through its control socket all the same.
  auto host_wwctl = [&](std::vector<std::string> args) {
    args.insert(args.begin(),
                {harness::kWwctlBinary, "--control", (work_dir() / "agent.sock").string(),
                 "--state-dir", state_dir().string(), "--data-dir", state_dir().string()});
    return harness::run_command(args);
  };
  auto key = [&](const std::string& id) { return member_key(id); };
  const std::vector<std::string> mesh = {"--mesh", etcd.endpoints(), "--mesh-name", "quests"};
  const std::string genesis = found_mesh(mesh, host_wwctl);
  ASSERT_TRUE(wwctl({"peer", "keygen", key("r9"), "--peer", "r9"}).ok());    // not a member
  ASSERT_TRUE(wwctl({"peer", "keygen", key("fake"), "--peer", "r2"}).ok());  // r2's id, not key
  std::vector<std::string> on_mesh = mesh;
  on_mesh.insert(on_mesh.end(), {"--gov-genesis", genesis});

  // r1 is also a guardian of a vault: its share verifies against the public commitments.
  const auto vault = work_dir() / "vault";
  std::string guardians;
  for (const std::string id : {"r1", "r2"}) {
    const CommandResult made = wwctl(
        {"vault", "guardian", "keygen", (work_dir() / ("g-" + id + ".key")).string(), "--id", id});
    ASSERT_TRUE(made.ok()) << made.describe();
    guardians += made.out;
  }
  std::ofstream(work_dir() / "guardians") << guardians;
  const CommandResult dealt =
      wwctl({"vault", "init", "--guardians", (work_dir() / "guardians").string(), "--threshold",
             "2", "--vault", vault.string()});
  ASSERT_TRUE(dealt.ok()) << dealt.describe();
  std::ofstream(work_dir() / "quests" / "guard-the-vault.yaml")
      << "version: 1\n"
         "id: guard-the-vault\n"
         "title: Guard the vault\n"
         "category: guardian\n"
         "steps:\n"
         "  - id: verify-share\n"
         "    title: Verify your share\n"
         "    criteria: [guardian_share_verified == true, links >= 1]\n"
         "    reward: {points: 25}\n";

  auto claim = [&](const std::string& quest_id, const std::string& step, const std::string& node,
                   const std::string& key_file, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"claim", quest_id, "--step", step,
                                     "--key", key_file, "--node", node};
    args.insert(args.end(), on_mesh.begin(), on_mesh.end());
    args.insert(args.end(), extra.begin(), extra.end());
    args.insert(args.end(), {"--dir", (work_dir() / "quests").string()});
    args.insert(args.begin(), "quest");
    return host_wwctl(args);
  };
  const CommandResult granted = claim("guard-one", "link", "r1", key("r1"));
  ASSERT_TRUE(granted.ok()) << granted.describe();
  EXPECT_NE(granted.out.find("granted to r1: 7 points, badge first-link"), std::string::npos)
      << granted.out;
  EXPECT_NE(granted.out.find("recorded in mesh 'quests'"), std::string::npos) << granted.out;
  const CommandResult again = claim("guard-one", "link", "r1", key("r1"));
  EXPECT_NE(again.out.find("already granted to r1"), std::string::npos) << again.describe();

  const CommandResult share =
      claim("guard-the-vault", "verify-share", "r1", key("r1"),
            {"--vault", vault.string(), "--guardian-key", (work_dir() / "g-r1.key").string()});
  ASSERT_TRUE(share.ok()) << share.describe();
  EXPECT_NE(share.out.find("granted to r1: 25 points"), std::string::npos) << share.out;
  const CommandResult no_share = claim("guard-the-vault", "verify-share", "r1", key("r1"));
  EXPECT_EQ(no_share.exit_status, 1) << no_share.describe();
  EXPECT_NE(no_share.out.find("missing evidence"), std::string::npos) << no_share.out;

  const CommandResult stranger = claim("guard-one", "link", "r9", key("r9"));
  EXPECT_EQ(stranger.exit_status, 1) << stranger.describe();
  EXPECT_NE(stranger.err.find("'r9' is not a member of mesh 'quests'"), std::string::npos)
      << stranger.err;
  const CommandResult impostor = claim("guard-one", "link", "r2", key("fake"));
  EXPECT_EQ(impostor.exit_status, 1) << impostor.describe();
  EXPECT_NE(impostor.err.find("the key given is not the member key of 'r2'"), std::string::npos)
      << impostor.err;

  // Another node's ledger: empty until it syncs, then holding r1's two grants, verified there.
  const auto other = work_dir() / "other-node";
  std::vector<std::string> sync = {
      harness::kWwctlBinary,           "--data-dir", other.string(), "quest", "sync", "--dir",
      (work_dir() / "quests").string()};
  sync.insert(sync.end(), on_mesh.begin(), on_mesh.end());
  const CommandResult synced = harness::run_command(sync);
  ASSERT_TRUE(synced.ok()) << synced.describe();
  EXPECT_NE(synced.out.find("2 claims verified, 2 new"), std::string::npos) << synced.out;
  const CommandResult board = harness::run_command(
      {harness::kWwctlBinary, "--data-dir", other.string(), "quest", "leaderboard", "--json"});
  ASSERT_TRUE(board.ok()) << board.describe();
  const json standings = json::parse(board.out);
  ASSERT_FALSE(standings.empty()) << board.out;
  EXPECT_NE(board.out.find("\"r1\""), std::string::npos) << board.out;
  EXPECT_NE(board.out.find("32"), std::string::npos) << "7 + 25 points: " << board.out;
}

// On a mesh (etcd inside the router's namespace, so the agent reaches it): the router whose
// detector contains a flood publishes the crisis, signed with its member key (--node-key). Before
// it, a member's claim of a crisis quest is refused; after it, `quest crises --mesh` shows the
// crisis as r1's, member r2 claims the helpers' crisis quest on its own evidence and key, the
// claim is recorded in the mesh naming r1's crisis, and another node's `quest sync` mirrors it
// after verifying the crisis and the claim itself.
TEST_F(QuestAgentTest, AFloodOnOneRouterOpensACrisisAnotherMemberHelpsWith) {
  harness::EtcdClusterOptions in_router = harness::EtcdClusterOptions::of(1);
  in_router.netns = router_ns();
  harness::EtcdCluster etcd(in_router);
  auto key = [&](const std::string& id) { return member_key(id); };
  const std::vector<std::string> mesh = {"--mesh", etcd.endpoints(), "--mesh-name", "crises"};
  // etcd is in the router's namespace, where the sandbox's wwctl runs.
  const std::string genesis =
      found_mesh(mesh, [&](const std::vector<std::string>& args) { return wwctl(args); });
  std::vector<std::string> on_mesh = mesh;
  on_mesh.insert(on_mesh.end(), {"--gov-genesis", genesis});

  std::vector<std::string> agent_flags = {"--node-id", "r1",         "--gov-genesis",
                                          genesis,     "--node-key", key("r1")};
  agent_flags.insert(agent_flags.end(), mesh.begin(), mesh.end());
  const VethLink& flooded = link(1);
  start_agent(write_policy("flood.yaml", harness::deny_port_policy({"deny-udp-port", {kDeniedPort}},
                                                                   kFloodDetection)),
              {flooded.router_iface}, "native", agent_flags);
  const auto quests = write_quests();
  std::ofstream(quests / "hold-the-line.yaml") << "version: 1\n"
                                                  "id: hold-the-line\n"
                                                  "title: Hold the line\n"
                                                  "category: crisis_helper\n"
                                                  "opens_on: flood\n"
                                                  "expires: 12h\n"
                                                  "steps:\n"
                                                  "  - id: keep-enforcing\n"
                                                  "    title: Keep enforcing\n"
                                                  "    criteria: [links >= 1]\n"
                                                  "    reward: {points: 20}\n";
  // wwctl as another node, with a data directory (ledger, crises) of its own, in the router's
  // namespace (where etcd is) and reading this agent's evidence.
  auto node_wwctl = [&](const std::string& node, std::vector<std::string> args) {
    args.insert(args.end(), on_mesh.begin(), on_mesh.end());
    args.insert(args.begin(),
                {harness::kWwctlBinary, "--netns", router_ns(), "--control",
                 (work_dir() / "agent.sock").string(), "--state-dir", state_dir().string(),
                 "--data-dir", (work_dir() / (node + "-data")).string()});
    return harness::run_command(args);
  };
  auto r2_claim = [&] {
    return node_wwctl("r2", {"quest", "claim", "hold-the-line", "--key", key("r2"), "--node", "r2",
                             "--dir", quests.string()});
  };
  const CommandResult early = r2_claim();
  EXPECT_EQ(early.exit_status, 1) << early.describe();
  EXPECT_NE(early.err.find("no open flood crisis on this node or in its mesh"), std::string::npos)
      << early.describe();

  const std::string flooder = flooded.source_ipv4;
  ASSERT_NO_FATAL_FAILURE(flood_until_quarantined(flooded));

  // The mesh's view, from a node with no crisis of its own (an empty data directory).
  json published;
  EXPECT_TRUE(harness::eventually(
      10s,
      [&] {
        const CommandResult listed = node_wwctl("r3", {"quest", "crises", "--json"});
        if (!listed.ok()) return false;
        published = json::parse(listed.out);
        return published.size() == 1;
      }))
      << "r1 did not publish its crisis: " << published.dump(2);
  ASSERT_EQ(published.size(), 1u);
  EXPECT_EQ(published[0]["opener"], "r1");
  EXPECT_EQ(published[0]["subject"], flooder);
  EXPECT_TRUE(published[0]["open"].get<bool>());

  const CommandResult helped = r2_claim();
  ASSERT_TRUE(helped.ok()) << helped.describe();
  EXPECT_NE(helped.out.find("the crisis r1 opened at"), std::string::npos) << helped.out;
  EXPECT_NE(helped.out.find("granted to r2: 20 points"), std::string::npos) << helped.out;
  EXPECT_NE(helped.out.find("recorded in mesh 'crises'"), std::string::npos) << helped.out;

  const CommandResult synced = node_wwctl("r3", {"quest", "sync", "--dir", quests.string()});
  ASSERT_TRUE(synced.ok()) << synced.describe();
  EXPECT_NE(synced.out.find("1 claims verified, 1 new"), std::string::npos) << synced.out;
  const CommandResult ledger =
      harness::run_command({harness::kWwctlBinary, "--data-dir", (work_dir() / "r3-data").string(),
                            "quest", "ledger", "--node", "r2"});
  ASSERT_TRUE(ledger.ok()) << ledger.describe();
  EXPECT_NE(ledger.out.find("hold-the-line"), std::string::npos) << ledger.out;
}

}  // namespace
}  // namespace westworld::integration
