#include "rule_analysis.h"

#include <algorithm>

namespace westworld::policy {
namespace {

constexpr unsigned kIpv4 = 1;
constexpr unsigned kIpv6 = 2;
constexpr unsigned kBothFamilies = kIpv4 | kIpv6;

unsigned families_of(const std::vector<Cidr>& cidrs) {
  if (cidrs.empty()) return kBothFamilies;
  unsigned families = 0;
  for (const Cidr& cidr : cidrs) families |= cidr.family == Family::ipv4 ? kIpv4 : kIpv6;
  return families;
}

unsigned families_of(Protocol protocol) {
  if (protocol == Protocol::icmp) return kIpv4;
  if (protocol == Protocol::icmpv6) return kIpv6;
  return kBothFamilies;
}

const char* family_name(unsigned family) { return family == kIpv4 ? "IPv4" : "IPv6"; }

// Warns and returns false when no packet can match `rule` at all.
bool check_families(const FlowRule& rule, DiagnosticSink& sink) {
  unsigned possible = families_of(rule.src) & families_of(rule.dst) & families_of(rule.protocol);
  if (possible == 0) {
    sink.warning(rule.where, "rule '" + rule.name +
                                 "' can never match: its src, dst and proto have no address "
                                 "family in common");
    return false;
  }
  for (const auto* field : {&rule.src, &rule.dst}) {
    unsigned dead = families_of(*field) & ~possible;
    if (field->empty() || dead == 0) continue;
    sink.warning(rule.where, "rule '" + rule.name + "': the " + family_name(dead) +
                                 " prefixes in " + (field == &rule.src ? "src" : "dst") +
                                 " can never match; the rule matches only " +
                                 family_name(possible) + " packets");
  }
  return true;
}

// A rule's port list, merged and sorted, with its outer bounds kept inline:
// the shadow test runs for every pair of rules and rejects most pairs on the
// bounds alone, without chasing pointers.
struct Ports {
  bool any = true;  // no constraint: any port, and packets without ports too
  PortRange span;
  std::vector<PortRange> ranges;
};

Ports ports_of(std::vector<PortRange> ranges) {
  Ports ports;
  if (ranges.empty()) return ports;
  std::sort(ranges.begin(), ranges.end(),
            [](const PortRange& a, const PortRange& b) { return a.first < b.first; });
  for (const PortRange& range : ranges) {
    if (!ports.ranges.empty() && range.first <= uint32_t{ports.ranges.back().last} + 1) {
      ports.ranges.back().last = std::max(ports.ranges.back().last, range.last);
    } else {
      ports.ranges.push_back(range);
    }
  }
  ports.any = false;
  ports.span = {ports.ranges.front().first, ports.ranges.back().last};
  return ports;
}

bool ports_covered(const Ports& earlier, const Ports& later) {
  if (earlier.any) return true;
  if (later.any) return false;
  if (later.span.first < earlier.span.first || later.span.last > earlier.span.last) return false;
  return std::all_of(later.ranges.begin(), later.ranges.end(), [&](const PortRange& range) {
    return std::any_of(earlier.ranges.begin(), earlier.ranges.end(), [&](const PortRange& outer) {
      return outer.first <= range.first && range.last <= outer.last;
    });
  });
}

const std::vector<Cidr>& every_address() {
  static const std::vector<Cidr> all = {*parse_cidr("0.0.0.0/0"), *parse_cidr("::/0")};
  return all;
}

// Whether each prefix of `later` lies within some prefix of `earlier`. Empty
// means any address. A prefix covered only by a union of earlier prefixes is
// not detected: the test errs on the side of no warning.
bool addresses_covered(const std::vector<Cidr>& earlier, const std::vector<Cidr>& later) {
  if (earlier.empty()) return true;
  const std::vector<Cidr>& needed = later.empty() ? every_address() : later;
  return std::all_of(needed.begin(), needed.end(), [&](const Cidr& prefix) {
    return std::any_of(earlier.begin(), earlier.end(),
                       [&](const Cidr& outer) { return outer.contains(prefix); });
  });
}

// What the shadow test reads of a rule, the cheapest checks' data inline.
struct RuleShape {
  const FlowRule* rule;
  Directions directions;
  Protocol protocol;
  Ports src_ports;
  Ports dst_ports;
};

RuleShape shape_of(const FlowRule& rule) {
  return {&rule, rule.directions, rule.protocol, ports_of(rule.src_ports),
          ports_of(rule.dst_ports)};
}

bool shadows(const RuleShape& earlier, const RuleShape& later) {
  return (earlier.directions.ingress || !later.directions.ingress) &&
         (earlier.directions.egress || !later.directions.egress) &&
         (earlier.protocol == Protocol::any || earlier.protocol == later.protocol) &&
         ports_covered(earlier.src_ports, later.src_ports) &&
         ports_covered(earlier.dst_ports, later.dst_ports) &&
         addresses_covered(earlier.rule->src, later.rule->src) &&
         addresses_covered(earlier.rule->dst, later.rule->dst);
}

}  // namespace

void warn_about_unreachable_rules(const std::vector<FlowRule>& rules, DiagnosticSink& sink) {
  std::vector<RuleShape> reachable;
  for (const FlowRule& rule : rules) {
    if (!check_families(rule, sink)) continue;
    RuleShape shape = shape_of(rule);
    auto shadowing =
        std::find_if(reachable.begin(), reachable.end(),
                     [&](const RuleShape& earlier) { return shadows(earlier, shape); });
    if (shadowing != reachable.end()) {
      const FlowRule& earlier = *shadowing->rule;
      sink.warning(rule.where, "rule '" + rule.name + "' is shadowed by rule '" + earlier.name +
                                   "' (line " + std::to_string(earlier.where.line) +
                                   "), which matches every packet it would match");
      continue;
    }
    reachable.push_back(std::move(shape));
  }
}

}  // namespace westworld::policy
