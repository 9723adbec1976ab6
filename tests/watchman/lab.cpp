#include "lab.h"

namespace westworld::watchman_test {

Lab::Lab(int hosts)
    : router_ns_(network_.add_namespace("r")), lan_ns_(network_.add_namespace("l")) {
  const harness::VethEnd router{router_ns_, iface(), "02:38:00:00:00:01"};
  const harness::VethEnd lan{lan_ns_, "eth0", "02:38:00:00:00:02"};
  network_.add_veth(router, lan);

  network_.add_address(router_ns_, iface(), router_address() + "/24");
  network_.add_address(router_ns_, "lo", router_alias() + "/32");
  network_.set_up(router_ns_, iface());
  for (int n = 1; n <= hosts; ++n) {
    network_.add_address(lan_ns_, lan.iface, host(n) + "/24");
    network_.add_neighbour(router_ns_, iface(), host(n), lan.mac);
  }
  network_.add_address(lan_ns_, lan.iface, router_alias() + "/32");
  network_.set_up(lan_ns_, lan.iface);
  network_.add_neighbour(lan_ns_, lan.iface, router_address(), router.mac);
}

}  // namespace westworld::watchman_test
