// An experiment for the Cradle twin: the mesh to build (routers and links), the traffic to run
// through it (legitimate flows and attacks), the faults to inject, and the gates the report is
// judged by. experiment_loader.h reads it from YAML. Every quantity is an integer in the unit
// its name says, so the report that quotes them has no floating point to round.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "westworld/cradle/signals.h"

namespace westworld::cradle {

// What this machine's twin holds: every router is a namespace running a real agent and guard,
// and two cores run them all, the traffic generators and the faults besides.
inline constexpr size_t kMaxTwinRouters = 8;

struct LinkSpec {
  std::string a;  // router ids
  std::string b;
  uint32_t mtu = 1500;
};

// How experiments name a link: "A-B", in either order.
inline std::string link_name(const LinkSpec& link) { return link.a + "-" + link.b; }
inline bool names_link(const LinkSpec& link, const std::string& name) {
  return name == link.a + "-" + link.b || name == link.b + "-" + link.a;
}

struct TopologySpec {
  // `from: mesh`: the routers, links and running policy digests are read from the mesh's
  // registry when the run starts (and capped like any topology).
  bool from_mesh = false;
  std::vector<std::string> routers;  // ids, in file order
  std::vector<LinkSpec> links;
};

// Legitimate UDP traffic from one router to another; every datagram carries its sequence
// number and send time, so delivery and latency are measured, not estimated.
struct FlowSpec {
  std::string name;
  std::string from;
  std::string to;
  uint16_t port = 0;
  uint32_t pps = 0;
  uint32_t size_bytes = 0;  // UDP payload, at least the stamp (kMinPayloadBytes)
};

inline constexpr uint32_t kMinPayloadBytes = 16;

enum class AttackKind : uint8_t {
  source_flood = 0,   // one source, far over its quota
  spoofed_flood = 1,  // a new random source address for every packet
  share_creep = 2,    // one source whose rate climbs from pps to pps_end
  apply_burst = 3,    // policy applies against one router's agent, as fast as `pps` says
};

struct AttackSpec {
  std::string name;
  AttackKind kind = AttackKind::source_flood;
  std::string from;  // the attacking router
  std::string to;    // the victim router
  uint16_t port = 0;
  uint32_t pps = 0;
  uint32_t pps_end = 0;      // share_creep only
  uint32_t start_ms = 0;     // from the start of the arm
  uint32_t duration_ms = 0;  // 0: to the end of the arm
};

enum class FaultKind : uint8_t {
  loss = 0,              // random loss on a link (tc BPF, upstream of the guard)
  partition = 1,         // a link drops everything, silently (tc BPF)
  rate_limit = 2,        // TBF on a link
  link_down = 3,         // `ip link set down`: the carrier goes
  agent_kill = 4,        // SIGKILL to a router's agent, then a restart
  router_freeze = 5,     // every process of a router frozen (cgroup freezer)
  etcd_member_lost = 6,  // one etcd member killed (a twin with etcd only)
  delay = 7,             // latency on a link: listed as unmodelled (no netem on this kernel)
};

struct FaultSpec {
  FaultKind kind = FaultKind::loss;
  std::string link;    // "A-B", for the link kinds; both directions are affected
  std::string router;  // agent_kill, router_freeze
  uint32_t start_ms = 0;
  uint32_t duration_ms = 0;  // 0: to the end of the arm (agent_kill: the agent restarts at once)
  uint32_t loss_ppm = 0;     // loss
  uint64_t rate_bits_per_second = 0;  // rate_limit
  uint32_t delay_ms = 0;              // delay
};

struct GateSpec {
  std::string name;
  SignalName signal;
  GateOp op = GateOp::le;
  int64_t threshold = 0;  // in the signal's unit (signals.h)
  GateAction action = GateAction::fail;
  uint32_t min_samples = 1;
};

struct Experiment {
  std::string name;
  TopologySpec topology;
  uint32_t duration_ms = 0;  // each arm
  uint32_t sample_ms = 1000;
  // Policy files, resolved against the experiment file's directory; --baseline and
  // --candidate override them. Empty: must come from the command line.
  std::string baseline_policy;
  std::string candidate_policy;
  std::vector<FlowSpec> flows;
  std::vector<AttackSpec> attacks;
  std::vector<FaultSpec> faults;
  std::vector<GateSpec> gates;
};

}  // namespace westworld::cradle
