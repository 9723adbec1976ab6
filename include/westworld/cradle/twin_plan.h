// How an experiment's topology becomes namespaces, interfaces, addresses and routes. Pure, so
// the addressing can be tested without root.
//
//   router i (0-based)   node address 10.77.0.(i+1)/32 on lo: legitimate flows come from it
//   link k (0-based)     interface "l<k>" in both routers, 10.78.k.1/30 (a) and 10.78.k.2/30 (b)
//   attack j (0-based)   source 10.79.0.(j+1)/32 on the attacker's lo: attacks never share an
//                        address with legitimate traffic, so a quarantine is attributable
//   spoofed sources      random in 10.200.0.0/16, sent through a raw socket
// Every router routes every other router's node and attack addresses along a shortest path
// (breadth first, ties broken by link order), so multi-hop flows cross the intermediate
// routers' guards as they would on the mesh.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "westworld/cradle/experiment.h"

namespace westworld::cradle {

inline constexpr const char* kNodePrefix = "10.77.0.0/16";
inline constexpr const char* kLinkPrefix = "10.78.0.0/16";
inline constexpr const char* kSpoofedPrefix = "10.200.0.0/16";

// Native XDP on a veth takes frames of one page at most: a link with a larger MTU gets the
// guard in generic mode (the report lists it as unmodelled).
inline constexpr uint32_t kMaxNativeXdpMtu = 3498;

struct PlannedInterface {
  std::string name;          // "l3"
  std::string address;       // "10.78.3.1/30"
  std::string peer_address;  // the other end's address, without the prefix length
  std::string mac;           // fixed, so neighbour entries need no ARP
  std::string peer_mac;
  uint32_t mtu = 1500;
  size_t link = 0;  // index into the topology's links
};

struct PlannedRoute {
  std::string destination;  // "10.77.0.3/32"
  std::string via;          // the next hop's link address
  std::string dev;          // the interface towards it
};

struct PlannedRouter {
  std::string id;
  std::string node_address;                   // "10.77.0.1"
  std::vector<std::string> attack_addresses;  // of the attacks launched from this router
  std::vector<PlannedInterface> interfaces;
  std::vector<PlannedRoute> routes;
  bool generic_xdp = false;  // one of its links is above kMaxNativeXdpMtu
};

// One end of a link: a router and its interface there.
struct LinkEnd {
  size_t router = 0;
  size_t iface = 0;  // index into that router's interfaces
};

struct PlannedLink {
  LinkEnd a;
  LinkEnd b;
};

struct TwinPlan {
  std::vector<PlannedRouter> routers;  // in the topology's order
  std::vector<PlannedLink> links;      // in the topology's order

  // The router index of an id; nullopt when there is none.
  std::optional<size_t> index_of(const std::string& id) const;
  // The index of the link named "A-B" or "B-A"; nullopt when there is none.
  std::optional<size_t> link_index(const std::string& name) const;
  const PlannedInterface& interface(const LinkEnd& end) const {
    return routers.at(end.router).interfaces.at(end.iface);
  }
};

// The address attack `index` sends from (10.79.0.index+1).
std::string attack_address(size_t index);

// Throws std::invalid_argument when a router is unreachable from another (the loader checks
// flows; a partitioned topology is still refused here, since routes could not be complete).
TwinPlan plan_twin(const Experiment& experiment);

}  // namespace westworld::cradle
