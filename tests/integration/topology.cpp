#include "topology.h"

#include <stdexcept>

namespace westworld::integration {

Topology::Topology(int source_count) {
  if (source_count < 1 || source_count > 9) {
    throw std::invalid_argument("Topology: 1 to 9 sources");
  }
  router_ns_ = lab_.add_namespace("r");
  for (int n = 1; n <= source_count; ++n) {
    add_link(n);
  }
}

const VethLink& Topology::link(int number) const {
  if (number < 1 || number > static_cast<int>(links_.size())) {
    throw std::out_of_range("Topology: no link " + std::to_string(number));
  }
  return links_[number - 1];
}

void Topology::add_link(int n) {
  const std::string net = std::to_string(n);
  const VethLink& link = links_.emplace_back(VethLink{.number = n,
                                                      .source_ns = lab_.add_namespace("s" + net),
                                                      .router_iface = "wwr" + net,
                                                      .source_iface = "eth0",
                                                      .router_ipv4 = "10.231." + net + ".1",
                                                      .source_ipv4 = "10.231." + net + ".2",
                                                      .router_ipv6 = "fd00:231:" + net + "::1",
                                                      .source_ipv6 = "fd00:231:" + net + "::2",
                                                      .ipv4_network = "10.231." + net + ".0/24",
                                                      .ipv6_network = "fd00:231:" + net + "::/64"});
  const std::string mac_prefix = "02:31:00:0" + net + ":00:";
  const harness::VethEnd router{router_ns_, link.router_iface, mac_prefix + "01"};
  const harness::VethEnd source{link.source_ns, link.source_iface, mac_prefix + "02"};
  lab_.add_veth(router, source);

  struct End {
    const harness::VethEnd& self;
    const harness::VethEnd& peer;
    const std::string& ipv4;
    const std::string& ipv6;
    const std::string& peer_ipv4;
    const std::string& peer_ipv6;
  };
  const End ends[] = {
      {router, source, link.router_ipv4, link.router_ipv6, link.source_ipv4, link.source_ipv6},
      {source, router, link.source_ipv4, link.source_ipv6, link.router_ipv4, link.router_ipv6},
  };
  for (const End& end : ends) {
    lab_.add_address(end.self.ns, end.self.iface, end.ipv4 + "/24");
    lab_.add_address(end.self.ns, end.self.iface, end.ipv6 + "/64");
    lab_.set_up(end.self.ns, end.self.iface);
    for (const std::string* peer : {&end.peer_ipv4, &end.peer_ipv6}) {
      lab_.add_neighbour(end.self.ns, end.self.iface, *peer, end.peer.mac);
    }
  }
}

}  // namespace westworld::integration
