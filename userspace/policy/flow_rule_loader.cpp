#include <vector>

#include "match_fields.h"
#include "sections.h"

namespace westworld::policy {
namespace {

bool carries_ports(Protocol protocol) {
  return protocol == Protocol::tcp || protocol == Protocol::udp;
}

}  // namespace

LoadedRule load_flow_rule(const YAML::Node& node, DiagnosticSink& sink) {
  LoadedRule loaded;
  FlowRule& rule = loaded.rule;
  rule.where = location_of(node);
  size_t errors_before = sink.error_count();
  auto fields = read_fields(
      Value("flow rule", node),
      {"name", "action", "direction", "proto", "src", "dst", "src_ports", "dst_ports", "violation"},
      sink);
  if (!fields) return loaded;
  require_fields(*fields, "flow rule", rule.where, {"name", "action"}, sink);

  bool protocol_known = true;
  std::vector<const Field*> port_fields;
  for (const Field& field : *fields) {
    if (field.key == "name") {
      if (auto name = read_name(field, "rule", sink)) {
        rule.name = *name;
        loaded.name_at = field.value_at;
      }
    } else if (field.key == "action") {
      auto action = read_enum<Action>(
          field, {{"allow", Action::allow}, {"deny", Action::deny}, {"audit", Action::audit}},
          sink);
      if (action) rule.action = *action;
    } else if (field.key == "direction") {
      auto directions = read_enum<Directions>(field,
                                              {{"ingress", {.ingress = true, .egress = false}},
                                               {"egress", {.ingress = false, .egress = true}},
                                               {"both", {.ingress = true, .egress = true}}},
                                              sink);
      if (directions) rule.directions = *directions;
    } else if (field.key == "proto") {
      auto protocol = read_enum<Protocol>(field,
                                          {{"any", Protocol::any},
                                           {"tcp", Protocol::tcp},
                                           {"udp", Protocol::udp},
                                           {"icmp", Protocol::icmp},
                                           {"icmpv6", Protocol::icmpv6}},
                                          sink);
      protocol_known = protocol.has_value();
      if (protocol) rule.protocol = *protocol;
    } else if (field.key == "violation") {
      if (auto violation = read_bool(field, sink)) rule.violation = *violation;
    } else if (field.key == "src" || field.key == "dst") {
      auto cidrs = read_cidr_list(field, sink);
      if (cidrs && cidrs->empty()) {
        sink.error(field.value_at, field.key + " is empty, so the rule could never match; omit " +
                                       field.key + " to match any address");
      }
      if (cidrs) (field.key == "src" ? rule.src : rule.dst) = *cidrs;
    } else {
      port_fields.push_back(&field);
      auto ranges = read_port_list(field, sink);
      if (ranges && ranges->empty()) {
        sink.error(field.value_at, field.key + " is empty, so the rule could never match; omit " +
                                       field.key + " to match any port");
      }
      if (ranges) (field.key == "src_ports" ? rule.src_ports : rule.dst_ports) = *ranges;
    }
  }
  for (const Field* field : port_fields) {
    if (protocol_known && !carries_ports(rule.protocol)) {
      sink.error(field->key_at, field->key + " needs proto tcp or udp; this rule's proto is " +
                                    to_string(rule.protocol));
    }
  }
  loaded.valid = sink.error_count() == errors_before;
  return loaded;
}

}  // namespace westworld::policy
