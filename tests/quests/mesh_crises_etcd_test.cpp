// Crises shared by the mesh over a real etcd: the agent's publisher writes each open crisis of
// its board once, signed with the member key (and finds it there after a restart, writing
// nothing twice), never a closed one; and `wwctl quest crises` lists what the mesh counts and
// names a forged crisis record, refusing it.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "built_binaries.h"
#include "governance_etcd_fixture.h"
#include "scratch_dir.h"
#include "westworld/agent/crisis_publisher.h"
#include "westworld/harness/command.h"
#include "westworld/harness/polling.h"
#include "westworld/quests/mesh_crises.h"

namespace westworld::quests {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

class MeshCrisesEtcdTest : public governance::GovernanceEtcdTest {
 protected:
  governance::MemberHistory history(common::UnixSeconds now) {
    governance::GovernanceStore store = gov();
    return governance::member_history(store, genesis_, now);
  }
  MeshCrises read(common::UnixSeconds now) {
    return MeshCrisisStore(*store_, keys_).read(history(now), now);
  }
  // A copy of member `i`'s key, as the agent reads it from --node-key.
  capability::Ed25519KeyPair member_key(std::size_t i) const {
    return capability::Ed25519KeyPair::from_seed(mesh_.keys[i].seed().view());
  }
  std::unique_ptr<agent::CrisisPublisher> publisher(CrisisBoard& board) const {
    return std::make_unique<agent::CrisisPublisher>(open(), mesh_name_, "m0", member_key(0), board,
                                                    common::system_clock());
  }
};

TEST_F(MeshCrisesEtcdTest, ThePublisherWritesEachOpenCrisisOnceSignedByItsMember) {
  harness::ScratchDir data("wwcr");
  CrisisBoard board(data / "quests.db", true);
  const common::UnixSeconds now =
      std::chrono::floor<std::chrono::seconds>(common::system_clock().now());
  // One crisis closed an hour ago, one opened a minute ago: only the open one is published.
  ASSERT_TRUE(board.open(CrisisKind::flood, "10.0.0.5", 1, now - 13h).opened);
  const CrisisOpening open = board.open(CrisisKind::flood, "10.0.0.66", 2, now - 1min);
  ASSERT_TRUE(open.opened);

  {
    const auto first = publisher(board);
    first->start();
    ASSERT_TRUE(harness::eventually(10s, [&] { return first->published() == 1; }));
  }
  const std::string key =
      keys_.quest_crisis("flood", (now - 1min).time_since_epoch().count(), "m0");
  ASSERT_EQ(store_->list(keys_.quest_crises()).kvs.size(), 1u);
  const mesh::Revision written = store_->get(key).kvs.at(0).mod_revision;

  const MeshCrises crises = read(now);
  EXPECT_TRUE(crises.refused.empty());
  ASSERT_EQ(crises.counted.size(), 1u);
  EXPECT_EQ(crises.counted[0].opener, "m0");
  EXPECT_EQ(crises.counted[0].subject, "10.0.0.66");
  EXPECT_EQ(crises.counted[0].alert_id, 2u);
  EXPECT_EQ(crises.counted[0].opened_at, now - 1min);

  // After a restart the crisis is found published, and nothing is written again.
  const auto second = publisher(board);
  second->start();
  ASSERT_TRUE(harness::eventually(10s, [&] { return second->published() == 1; }));
  EXPECT_EQ(store_->get(key).kvs.at(0).mod_revision, written);
  EXPECT_EQ(store_->list(keys_.quest_crises()).kvs.size(), 1u);
}

TEST_F(MeshCrisesEtcdTest, WwctlListsTheMeshsCrisesAndNamesAForgedOne) {
  harness::ScratchDir data("wwcr");
  const common::UnixSeconds now =
      std::chrono::floor<std::chrono::seconds>(common::system_clock().now());
  MeshCrisisStore crises(*store_, keys_);
  const Crisis flood{0, CrisisKind::flood, "10.0.0.66", 4, now - 2h, now + 10h, {}};
  ASSERT_TRUE(crises.publish(signed_crisis_record(flood, "m1", mesh_.keys[1])));
  EXPECT_FALSE(crises.publish(signed_crisis_record(flood, "m1", mesh_.keys[1])))
      << "create-only: a crisis is published once";
  // m2 saw the same flood an hour later: verified, but superseded by m1's.
  Crisis later = flood;
  later.opened_at = now - 1h;
  ASSERT_TRUE(crises.publish(signed_crisis_record(later, "m2", mesh_.keys[2])));
  // Whoever controls etcd writes a crisis in m3's name with another key.
  Crisis forged = flood;
  forged.opened_at = now - 30min;
  ASSERT_TRUE(
      crises.publish(signed_crisis_record(forged, "m3", capability::Ed25519KeyPair::generate())));

  const std::string genesis = governance::hex_id(governance::genesis_digest(genesis_));
  const auto listed = harness::run_command(
      {harness::kWwctlBinary, "--data-dir", data.path().string(), "quest", "crises", "--json",
       "--mesh", cluster_->endpoints(), "--mesh-name", mesh_name_, "--gov-genesis", genesis});
  EXPECT_EQ(listed.exit_status, 1) << listed.describe();
  EXPECT_NE(listed.err.find(
                "refused crisis " +
                keys_.quest_crisis("flood", forged.opened_at.time_since_epoch().count(), "m3") +
                ": the crisis's signature does not verify with the member key of 'm3'"),
            std::string::npos)
      << listed.describe();
  const json shown = json::parse(listed.out);
  ASSERT_EQ(shown.size(), 2u) << shown.dump(2);
  EXPECT_EQ(shown[0]["opener"], "m1");
  EXPECT_TRUE(shown[0]["open"].get<bool>());
  EXPECT_FALSE(shown[0].contains("superseded"));
  EXPECT_EQ(shown[1]["opener"], "m2");
  EXPECT_TRUE(shown[1]["superseded"].get<bool>());
}

}  // namespace
}  // namespace westworld::quests
