// `from: mesh` without etcd: registry views built by hand become twin topologies. Routers
// sharing a subnet are linked, and what does not fit is left out with its reason, never
// silently: a router not reporting, one not linked to the rest, one beyond the cap.
#include "westworld/cradle/mesh_snapshot.h"

#include <gtest/gtest.h>

namespace westworld::cradle {
namespace {

mesh::NodeView node(const std::string& id, std::vector<mesh::RouterLink> links, bool alive = true) {
  mesh::NodeView n;
  n.record.id = id;
  n.record.applied_digest = "digest-of-" + id;
  n.record.links = std::move(links);
  n.alive = alive;
  return n;
}

// Five routers in a ring: r(i) east 10.251.i.1/24 meets r(i+1) west 10.251.i.2/24.
mesh::MeshView ring(int routers) {
  mesh::MeshView view;
  for (int i = 1; i <= routers; ++i) {
    const int west = i == 1 ? routers : i - 1;
    view.nodes.push_back(node("r" + std::to_string(i),
                              {{"east", "10.251." + std::to_string(i) + ".1/24", 1500},
                               {"west", "10.251." + std::to_string(west) + ".2/24", 1400}}));
  }
  return view;
}

TEST(MeshSnapshot, RoutersSharingASubnetAreLinked) {
  const MeshSnapshot s = snapshot_topology(ring(5), 8);
  EXPECT_EQ(s.topology.routers, (std::vector<std::string>{"r1", "r2", "r3", "r4", "r5"}));
  ASSERT_EQ(s.topology.links.size(), 5u);
  EXPECT_EQ(s.topology.links[0].a, "r1");
  EXPECT_EQ(s.topology.links[0].b, "r2");
  EXPECT_EQ(s.topology.links[0].mtu, 1400u);  // the smaller end
  EXPECT_TRUE(s.left_out.empty());
  EXPECT_EQ(s.running_digests.at("r4"), "digest-of-r4");
}

TEST(MeshSnapshot, ACappedTwinStaysConnectedAndSaysWhoWasLeftOut) {
  const MeshSnapshot s = snapshot_topology(ring(5), 3);
  // Breadth first from r1: r1, then its neighbours r2 and r5.
  EXPECT_EQ(s.topology.routers, (std::vector<std::string>{"r1", "r2", "r5"}));
  EXPECT_EQ(s.topology.links.size(), 2u);
  ASSERT_EQ(s.left_out.size(), 2u);
  EXPECT_NE(s.left_out[0].find("beyond the 3 routers"), std::string::npos) << s.left_out[0];
  EXPECT_EQ(s.running_digests.count("r3"), 0u);
}

TEST(MeshSnapshot, SilentUnlinkedAndUnreadableRoutersAreNamed) {
  mesh::MeshView view = ring(3);
  view.nodes.push_back(node("quiet", {{"eth0", "10.9.9.1/24", 1500}}, false));
  view.nodes.push_back(node("island", {{"eth0", "192.0.2.1/24", 1500}}));
  mesh::NodeView broken = node("broken", {});
  broken.unreadable = "not JSON";
  view.nodes.push_back(broken);
  const MeshSnapshot s = snapshot_topology(view, 8);
  EXPECT_EQ(s.topology.routers.size(), 3u);
  std::string all;
  for (const auto& left : s.left_out) all += left + "\n";
  EXPECT_NE(all.find("quiet: not reporting"), std::string::npos) << all;
  EXPECT_NE(all.find("island: no link to r1"), std::string::npos) << all;
  EXPECT_NE(all.find("broken: its record does not decode (not JSON)"), std::string::npos) << all;
}

TEST(MeshSnapshot, AnExperimentNamingWhatTheMeshLacksIsRefused) {
  Experiment e;
  e.topology.from_mesh = true;
  e.flows.push_back({"f", "r1", "r9", 7000, 10, 64});
  FaultSpec down;
  down.kind = FaultKind::link_down;
  down.link = "r1-r3";
  e.faults.push_back(down);
  const auto missing = adopt_snapshot(e, snapshot_topology(ring(5), 8));
  ASSERT_EQ(missing.size(), 2u);
  EXPECT_EQ(missing[0], "flow f: router r9 is not in the mesh's snapshot");
  EXPECT_EQ(missing[1], "fault: link r1-r3 is not in the mesh's snapshot");
  EXPECT_FALSE(e.topology.from_mesh);
  EXPECT_EQ(e.topology.routers.size(), 5u);
}

}  // namespace
}  // namespace westworld::cradle
