// The policy as the operator wrote it, after parsing and validation: plain
// values with the source location of everything a diagnostic may point at.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "westworld/policy/detect.h"

namespace westworld::policy {

struct SourceLocation {
  int line = 0;  // 1-based; 0 when unknown
  int column = 0;
};

enum class Family : uint8_t { ipv4 = 4, ipv6 = 6 };

struct Cidr {
  Family family = Family::ipv4;
  std::array<uint8_t, 16> addr{};  // network byte order, host bits zero
  uint8_t length = 0;

  bool contains(const Cidr& other) const;
  bool contains(Family f, const std::array<uint8_t, 16>& address) const;
  std::string to_string() const;
  friend bool operator==(const Cidr&, const Cidr&) = default;
  friend auto operator<=>(const Cidr&, const Cidr&) = default;
};

// Accepts "10.0.0.0/8", "2001:db8::/32", and a bare address as a host prefix.
std::optional<Cidr> parse_cidr(const std::string& text);
// The same, saying why `text` is rejected ("host bits set in 10.0.0.1/8; ...").
std::optional<Cidr> parse_cidr(const std::string& text, std::string& why_not);
// "10.251.1.1/24", an interface's address with its prefix, as the network it sits in
// (10.251.1.0/24): host bits are cleared instead of refused.
std::optional<Cidr> interface_network(const std::string& text);

struct PortRange {
  uint16_t first = 0;
  uint16_t last = 65535;
  friend bool operator==(const PortRange&, const PortRange&) = default;
};

enum class Action : uint8_t { allow = 0, deny = 1, audit = 2 };
enum class Protocol : uint8_t { any, tcp, udp, icmp, icmpv6 };
enum class FragmentMode : uint8_t { deny = 0, l3_only = 1 };
enum class OnExceed : uint8_t { drop = 0, count = 1 };
// anti_meave.reverse_path: the values of the data plane's ww_reverse_path_mode (abi.h).
enum class ReversePath : uint8_t { off = 0, loose = 1, strict = 2 };

struct Directions {
  bool ingress = true;
  bool egress = true;
  friend bool operator==(const Directions&, const Directions&) = default;
};

// IP protocol number a rule protocol stands for; 0 for `any`.
uint8_t ip_protocol(Protocol p);
const char* to_string(Action a);
const char* to_string(Protocol p);
const char* to_string(FragmentMode m);  // as written in the policy: "deny", "l3-only"
const char* to_string(OnExceed e);
const char* to_string(ReversePath mode);  // "off", "loose", "strict"

// Where an enforced rule comes from: the policy's flow rules, or the guard rules the
// charter.telemetry section implies (enforced_rules.h). The data plane drops on the latter
// with their own reasons, and exempts the telemetry gate's own traffic from the bypass rule.
enum class RuleOrigin : uint8_t { flow = 0, telemetry_scrape = 1, telemetry_bypass = 2 };
const char* to_string(RuleOrigin origin);

struct FlowRule {
  std::string name;
  RuleOrigin origin = RuleOrigin::flow;
  Action action = Action::allow;
  Directions directions;
  Protocol protocol = Protocol::any;
  std::vector<Cidr> src;  // empty = any address
  std::vector<Cidr> dst;
  std::vector<PortRange> src_ports;  // empty = any port (and packets without ports)
  std::vector<PortRange> dst_ports;
  // A hit is a charter violation of the packet's source (`violation: true`): the kernel
  // names the source, the agent records it and escalates.
  bool violation = false;
  SourceLocation where;
};

struct Quota {
  bool unlimited = false;
  uint64_t pps = 0;
  uint64_t burst = 0;
  uint64_t bytes_per_second = 0;  // 0 = no byte rate
  uint64_t burst_bytes = 0;
};

struct QuotaClass {
  std::string name;
  std::vector<Cidr> src;
  Quota quota;
  bool is_protected = false;  // `protected: true`: never quarantined by the agent
  SourceLocation where;
};

// --- charter.telemetry: which metrics may leave the node, which never may, who may receive
// them and where the node's telemetry gate reads them.

// Who may read a whitelisted metric: anyone, or the node's operator only.
enum class MetricAccess : uint8_t { public_access = 0, operator_only = 1 };
// How grave offering a forbidden metric is.
enum class ViolationSeverity : uint8_t { low = 0, medium = 1, high = 2, critical = 3 };

const char* to_string(MetricAccess access);         // as written: "public", "operator"
const char* to_string(ViolationSeverity severity);  // "low" ... "critical"

struct WhitelistedMetric {
  std::string name;  // a Prometheus metric family name
  MetricAccess access = MetricAccess::public_access;
  uint32_t retention_days = 0;
  SourceLocation where;
};

struct ForbiddenMetric {
  std::string name;
  ViolationSeverity severity = ViolationSeverity::high;
  std::string reason;
  SourceLocation where;
};

// Where telemetry may go: addresses and TCP ports (no ports: any). The gate serves a scrape
// only to a collector's address, and operator metrics only to an operator collector.
struct Collector {
  std::vector<Cidr> addresses;
  std::vector<PortRange> ports;
  MetricAccess access = MetricAccess::public_access;
  SourceLocation where;
};

// A local exporter the gate reads: http://HOST[:PORT][/PATH] with HOST on this node.
struct Exporter {
  std::string url;   // as written, which is also its name as an offender
  std::string host;  // an IP literal: 127.x.y.z or ::1 (localhost is 127.0.0.1)
  uint16_t port = 80;
  std::string path = "/";
  SourceLocation where;
};

struct TelemetrySettings {
  bool present = false;  // the policy has a charter.telemetry section
  std::vector<WhitelistedMetric> whitelist;
  std::vector<ForbiddenMetric> forbidden;
  std::vector<Collector> collectors;
  std::vector<Exporter> exporters;
};

struct Policy {
  int version = 1;
  Action default_action = Action::allow;
  FragmentMode fragments = FragmentMode::deny;
  std::vector<FlowRule> flows;

  uint8_t identity_ipv4_prefix = 32;
  uint8_t identity_ipv6_prefix = 64;
  Quota quota;  // default per source
  std::vector<QuotaClass> classes;
  double max_share = 0.0;  // 0 disables the share cap
  uint64_t share_floor_pps = 0;
  uint32_t share_window_ms = 100;
  OnExceed on_exceed = OnExceed::drop;
  // Off unless asked: strict drops everything from a link whose replies route elsewhere (an
  // asymmetric mesh), so the operator who knows the routing turns it on.
  ReversePath reverse_path = ReversePath::off;
  uint64_t max_sources = 1048576;
  uint32_t audit_events_per_second = 100;  // per CPU, in-kernel sampling
  DetectSettings detect;                   // the agent's watchman (anti_meave.detect)
  TelemetrySettings telemetry;             // charter.telemetry
};

}  // namespace westworld::policy
