// What each router publishes about itself under `routers/<id>`, bound to its lease: the
// key vanishes when the router stops renewing it. Records are for people and for the
// mesh size; nothing is enforced on their say-so (a router can lie about itself, and
// whoever controls etcd can hide or rewrite them).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace westworld::mesh {

inline constexpr std::string_view kRouterRecordFormat = "westworld/router/v1";

// A bundle this router refused, with the reason, so `wwctl mesh nodes` shows it.
struct Refusal {
  std::string key;
  int64_t revision = 0;  // the bundle's mod_revision
  std::string reason;
  int64_t at = 0;  // Unix seconds
};

// One guarded interface: the Cradle joins two routers whose interfaces share a subnet into a
// link of its twin (`topology: {from: mesh}`).
struct RouterLink {
  std::string iface;
  std::string cidr;  // its IPv4 address with the prefix, "10.251.1.1/24"
  uint32_t mtu = 0;
  friend bool operator==(const RouterLink&, const RouterLink&) = default;
};

struct RouterRecord {
  std::string id;
  std::string address;              // where people reach it (informational)
  std::string version;              // westworld-agent version
  int64_t started = 0;              // Unix seconds
  int64_t heartbeat = 0;            // Unix seconds of this report
  uint64_t report_interval_ms = 0;  // how often it reports: readers judge staleness by it
  std::string applied_digest;
  uint64_t generation = 0;
  std::string xdp_mode;
  std::map<std::string, uint64_t> drops;  // by reason name
  uint64_t quarantines = 0;
  uint64_t alerts = 0;
  bool insecure_open_mesh = false;  // applies unverified bundles: shown loudly
  uint64_t refusals = 0;            // bundles refused since start
  std::optional<Refusal> last_refusal;
  std::vector<RouterLink> links;  // its guarded interfaces with an IPv4 address
};

std::string encode_router_record(const RouterRecord& record);
// Unknown fields are ignored (newer routers may add some); a missing id or a wrong type
// throws std::runtime_error naming the field.
RouterRecord decode_router_record(std::string_view text);

}  // namespace westworld::mesh
