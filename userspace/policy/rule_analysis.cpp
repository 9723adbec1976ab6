#include "rule_analysis.h"

#include <map>
#include <tuple>
#include <utility>

#include "match_sets.h"

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

// What the shadow test reads of a rule, its lists canonical and interned.
struct RuleShape {
  const FlowRule* rule;
  Directions directions;
  Protocol protocol;
  const AddressSet* src;
  const AddressSet* dst;
  const PortSet* src_ports;
  const PortSet* dst_ports;

  // Rules with equal keys match exactly the same packets.
  auto key() const {
    return std::tuple(directions.ingress, directions.egress, protocol, src, dst, src_ports,
                      dst_ports);
  }
};

RuleShape shape_of(const FlowRule& rule, MatchSets& sets) {
  return {&rule,
          rule.directions,
          rule.protocol,
          sets.addresses(rule.src),
          sets.addresses(rule.dst),
          sets.ports(rule.src_ports),
          sets.ports(rule.dst_ports)};
}

// The cheap tests first: most pairs differ in direction, protocol or port bounds.
bool shadows(const RuleShape& earlier, const RuleShape& later, const MatchSets& sets,
             size_t& work) {
  return (earlier.directions.ingress || !later.directions.ingress) &&
         (earlier.directions.egress || !later.directions.egress) &&
         (earlier.protocol == Protocol::any || earlier.protocol == later.protocol) &&
         sets.covers(earlier.src_ports, later.src_ports, work) &&
         sets.covers(earlier.dst_ports, later.dst_ports, work) &&
         sets.covers(earlier.src, later.src, work) && sets.covers(earlier.dst, later.dst, work);
}

void warn_shadowed(const FlowRule& rule, const FlowRule& earlier, DiagnosticSink& sink) {
  sink.warning(rule.where, "rule '" + rule.name + "' is shadowed by rule '" + earlier.name +
                               "' (line " + std::to_string(earlier.where.line) +
                               "), which matches every packet it would match");
}

// Finds, for each rule in turn, the first earlier reachable rule that shadows it, within
// a budget of steps: the pairwise search is quadratic, and a policy may be hostile.
class ShadowSearch {
 public:
  ShadowSearch(DiagnosticSink& sink, size_t budget) : sink_(sink), budget_(budget) {}

  void check(const FlowRule& rule) {
    if (!result_.complete) return;
    RuleShape shape = shape_of(rule, sets_);
    // A rule identical to a reachable one is shadowed by it, and by no rule before it
    // (that rule would shadow the identical one too): no search needed.
    if (auto same = by_key_.find(shape.key()); same != by_key_.end()) {
      warn_shadowed(rule, *reachable_[same->second].rule, sink_);
      return;
    }
    for (const RuleShape& earlier : reachable_) {
      if (++result_.work > budget_) return stop(rule);
      if (shadows(earlier, shape, sets_, result_.work)) {
        warn_shadowed(rule, *earlier.rule, sink_);
        return;
      }
    }
    if (result_.work > budget_) return stop(rule);
    by_key_.emplace(shape.key(), reachable_.size());
    reachable_.push_back(shape);
  }

  ShadowAnalysis result() const { return result_; }

 private:
  void stop(const FlowRule& rule) {
    result_.complete = false;
    sink_.warning(rule.where, "the search for shadowed rules stopped here after " +
                                  std::to_string(budget_) +
                                  " steps; this rule and those after it were not checked");
  }

  DiagnosticSink& sink_;
  size_t budget_;
  ShadowAnalysis result_;
  MatchSets sets_;
  std::vector<RuleShape> reachable_;
  std::map<decltype(std::declval<RuleShape>().key()), size_t> by_key_;
};

}  // namespace

ShadowAnalysis warn_about_unreachable_rules(const std::vector<FlowRule>& rules,
                                            DiagnosticSink& sink, size_t budget) {
  ShadowSearch search(sink, budget);
  for (const FlowRule& rule : rules) {
    if (check_families(rule, sink)) search.check(rule);
  }
  return search.result();
}

}  // namespace westworld::policy
