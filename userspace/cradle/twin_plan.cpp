#include "westworld/cradle/twin_plan.h"

#include <cstdio>
#include <deque>
#include <stdexcept>

namespace westworld::cradle {
namespace {

std::string node_address(size_t router) { return "10.77.0." + std::to_string(router + 1); }

std::string link_address(size_t link, int end) {
  return "10.78." + std::to_string(link) + "." + std::to_string(end);
}

// Locally administered, unique per (link, end): 02:77:00:LL:LL:EE.
std::string link_mac(size_t link, int end) {
  char text[18];
  std::snprintf(text, sizeof text, "02:77:00:%02x:%02x:%02x", unsigned(link >> 8) & 0xff,
                unsigned(link) & 0xff, unsigned(end));
  return text;
}

// For every router, the interface (index into its list) of the first hop towards `target`.
std::vector<std::optional<size_t>> first_hops_towards(
    const TwinPlan& plan, size_t target, const std::vector<std::vector<size_t>>& peer) {
  const size_t n = plan.routers.size();
  std::vector<std::optional<size_t>> hop(n);
  std::vector<bool> seen(n, false);
  std::deque<size_t> queue{target};
  seen[target] = true;
  while (!queue.empty()) {
    size_t at = queue.front();
    queue.pop_front();
    // Routers next to `at` reach the target through their interface towards `at`.
    for (size_t r = 0; r < n; ++r) {
      if (seen[r]) continue;
      for (size_t i = 0; i < plan.routers[r].interfaces.size(); ++i) {
        if (peer[r][i] != at) continue;
        seen[r] = true;
        hop[r] = i;
        queue.push_back(r);
        break;
      }
    }
  }
  return hop;
}

}  // namespace

std::string attack_address(size_t index) { return "10.79.0." + std::to_string(index + 1); }

std::optional<size_t> TwinPlan::index_of(const std::string& id) const {
  for (size_t i = 0; i < routers.size(); ++i)
    if (routers[i].id == id) return i;
  return std::nullopt;
}

std::optional<size_t> TwinPlan::link_index(const std::string& name) const {
  for (size_t k = 0; k < links.size(); ++k) {
    const LinkSpec spec{routers[links[k].a.router].id, routers[links[k].b.router].id};
    if (names_link(spec, name)) return k;
  }
  return std::nullopt;
}

TwinPlan plan_twin(const Experiment& experiment) {
  const TopologySpec& topology = experiment.topology;
  TwinPlan plan;
  for (size_t r = 0; r < topology.routers.size(); ++r) {
    PlannedRouter router;
    router.id = topology.routers[r];
    router.node_address = node_address(r);
    plan.routers.push_back(std::move(router));
  }
  for (size_t j = 0; j < experiment.attacks.size(); ++j) {
    auto from = plan.index_of(experiment.attacks[j].from);
    if (!from)
      throw std::invalid_argument("attack " + experiment.attacks[j].name +
                                  " comes from no router of the twin");
    plan.routers[*from].attack_addresses.push_back(attack_address(j));
  }
  // peer[r][i]: the router at the other end of router r's interface i.
  std::vector<std::vector<size_t>> peer(plan.routers.size());
  for (size_t k = 0; k < topology.links.size(); ++k) {
    const LinkSpec& link = topology.links[k];
    auto a = plan.index_of(link.a);
    auto b = plan.index_of(link.b);
    if (!a || !b || *a == *b)
      throw std::invalid_argument("link " + link.a + "-" + link.b + " does not join two routers");
    const std::string name = "l" + std::to_string(k);
    plan.routers[*a].interfaces.push_back({name, link_address(k, 1) + "/30", link_address(k, 2),
                                           link_mac(k, 1), link_mac(k, 2), link.mtu, k});
    plan.routers[*b].interfaces.push_back({name, link_address(k, 2) + "/30", link_address(k, 1),
                                           link_mac(k, 2), link_mac(k, 1), link.mtu, k});
    plan.links.push_back({{*a, peer[*a].size()}, {*b, peer[*b].size()}});
    if (link.mtu > kMaxNativeXdpMtu)
      plan.routers[*a].generic_xdp = plan.routers[*b].generic_xdp = true;
    peer[*a].push_back(*b);
    peer[*b].push_back(*a);
  }
  for (size_t target = 0; target < plan.routers.size(); ++target) {
    auto hops = first_hops_towards(plan, target, peer);
    std::vector<std::string> destinations{plan.routers[target].node_address};
    for (const std::string& a : plan.routers[target].attack_addresses) destinations.push_back(a);
    for (size_t r = 0; r < plan.routers.size(); ++r) {
      if (r == target) continue;
      if (!hops[r])
        throw std::invalid_argument("router " + plan.routers[target].id +
                                    " cannot be reached from " + plan.routers[r].id);
      const PlannedInterface& iface = plan.routers[r].interfaces[*hops[r]];
      for (const std::string& d : destinations)
        plan.routers[r].routes.push_back({d + "/32", iface.peer_address, iface.name});
    }
  }
  return plan;
}

}  // namespace westworld::cradle
