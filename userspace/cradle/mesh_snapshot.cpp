#include "westworld/cradle/mesh_snapshot.h"

#include <algorithm>
#include <deque>
#include <set>

#include "westworld/policy/model.h"

namespace westworld::cradle {
namespace {

// The IPv4 subnet an interface sits in: its address ("10.251.1.1/24") masked to its prefix.
std::optional<policy::Cidr> subnet_of(const std::string& cidr) {
  auto network = policy::interface_network(cidr);
  if (!network || network->family != policy::Family::ipv4 || network->length == 0)
    return std::nullopt;
  return network;
}

struct Candidate {
  std::string id;
  std::vector<std::pair<policy::Cidr, uint32_t>> subnets;  // with the interface's MTU
};

// The link between two routers, if an interface of each shares a subnet (the smaller MTU).
std::optional<uint32_t> shared_subnet_mtu(const Candidate& a, const Candidate& b) {
  for (const auto& [subnet_a, mtu_a] : a.subnets)
    for (const auto& [subnet_b, mtu_b] : b.subnets)
      if (subnet_a == subnet_b) {
        const uint32_t mtu = std::min(mtu_a ? mtu_a : 1500, mtu_b ? mtu_b : 1500);
        return std::clamp<uint32_t>(mtu, 1280, 9000);
      }
  return std::nullopt;
}

}  // namespace

MeshSnapshot snapshot_topology(const mesh::MeshView& view, size_t max_routers) {
  MeshSnapshot snapshot;
  std::vector<Candidate> candidates;
  for (const mesh::NodeView& node : view.nodes) {
    const std::string& id = node.record.id;
    if (!node.unreadable.empty()) {
      snapshot.left_out.push_back(id + ": its record does not decode (" + node.unreadable + ")");
      continue;
    }
    if (!node.alive) {
      snapshot.left_out.push_back(id + ": not reporting");
      continue;
    }
    Candidate c{id, {}};
    for (const mesh::RouterLink& link : node.record.links)
      if (auto subnet = subnet_of(link.cidr)) c.subnets.emplace_back(*subnet, link.mtu);
    candidates.push_back(std::move(c));
    snapshot.running_digests[id] = node.record.applied_digest;
  }
  if (candidates.empty()) return snapshot;

  // Breadth first from the first router, so a capped twin stays connected.
  std::vector<size_t> order;
  std::vector<bool> seen(candidates.size(), false);
  std::deque<size_t> queue{0};
  seen[0] = true;
  while (!queue.empty()) {
    const size_t at = queue.front();
    queue.pop_front();
    order.push_back(at);
    for (size_t other = 0; other < candidates.size(); ++other)
      if (!seen[other] && shared_subnet_mtu(candidates[at], candidates[other])) {
        seen[other] = true;
        queue.push_back(other);
      }
  }
  for (size_t i = 0; i < candidates.size(); ++i)
    if (!seen[i])
      snapshot.left_out.push_back(candidates[i].id + ": no link to " + candidates[0].id +
                                  "'s part of the mesh");
  if (order.size() > max_routers) {
    for (size_t i = max_routers; i < order.size(); ++i)
      snapshot.left_out.push_back(candidates[order[i]].id + ": beyond the " +
                                  std::to_string(max_routers) +
                                  " routers this machine holds in a twin");
    order.resize(max_routers);
  }
  std::vector<size_t> kept = order;
  std::sort(kept.begin(), kept.end());  // by id, as the registry lists them
  for (size_t i : kept) snapshot.topology.routers.push_back(candidates[i].id);
  for (size_t x = 0; x < kept.size(); ++x)
    for (size_t y = x + 1; y < kept.size(); ++y)
      if (auto mtu = shared_subnet_mtu(candidates[kept[x]], candidates[kept[y]]))
        snapshot.topology.links.push_back({candidates[kept[x]].id, candidates[kept[y]].id, *mtu});
  for (const auto& [id, digest] : std::map(snapshot.running_digests))
    if (std::find(snapshot.topology.routers.begin(), snapshot.topology.routers.end(), id) ==
        snapshot.topology.routers.end())
      snapshot.running_digests.erase(id);
  return snapshot;
}

std::vector<std::string> adopt_snapshot(Experiment& experiment, const MeshSnapshot& snapshot) {
  experiment.topology = snapshot.topology;
  std::vector<std::string> missing;
  const auto& routers = snapshot.topology.routers;
  auto need_router = [&](const std::string& id, const std::string& what) {
    if (std::find(routers.begin(), routers.end(), id) == routers.end())
      missing.push_back(what + ": router " + id + " is not in the mesh's snapshot");
  };
  for (const FlowSpec& flow : experiment.flows) {
    need_router(flow.from, "flow " + flow.name);
    need_router(flow.to, "flow " + flow.name);
  }
  for (const AttackSpec& attack : experiment.attacks) {
    need_router(attack.from, "attack " + attack.name);
    need_router(attack.to, "attack " + attack.name);
  }
  for (const FaultSpec& fault : experiment.faults) {
    if (!fault.router.empty()) need_router(fault.router, "fault");
    if (fault.link.empty()) continue;
    const auto& links = snapshot.topology.links;
    if (std::none_of(links.begin(), links.end(),
                     [&](const LinkSpec& link) { return names_link(link, fault.link); }))
      missing.push_back("fault: link " + fault.link + " is not in the mesh's snapshot");
  }
  return missing;
}

}  // namespace westworld::cradle
