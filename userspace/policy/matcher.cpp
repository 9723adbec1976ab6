#include "westworld/policy/matcher.h"

#include <algorithm>

#include "westworld/policy/enforced_rules.h"

namespace westworld::policy {
namespace {

bool address_matches(const std::vector<Cidr>& prefixes, Family family,
                     const std::array<uint8_t, 16>& address) {
  return prefixes.empty() || std::any_of(prefixes.begin(), prefixes.end(), [&](const Cidr& prefix) {
           return prefix.contains(family, address);
         });
}

bool port_matches(const std::vector<PortRange>& ranges, bool has_ports, uint16_t port) {
  if (ranges.empty()) return true;
  return has_ports && std::any_of(ranges.begin(), ranges.end(), [&](const PortRange& range) {
           return range.first <= port && port <= range.last;
         });
}

bool rule_matches(const FlowRule& rule, const PacketFields& packet) {
  bool direction =
      packet.direction == WW_DIR_INGRESS ? rule.directions.ingress : rule.directions.egress;
  return direction &&
         (rule.protocol == Protocol::any || ip_protocol(rule.protocol) == packet.protocol) &&
         address_matches(rule.src, packet.family, packet.src) &&
         address_matches(rule.dst, packet.family, packet.dst) &&
         port_matches(rule.src_ports, packet.has_ports, packet.src_port) &&
         port_matches(rule.dst_ports, packet.has_ports, packet.dst_port);
}

// The LPM trie lookup: the longest prefix of the packet's family holding it.
const RuleSet* longest_match(const std::vector<PrefixEntry>& table, Family family,
                             const std::array<uint8_t, 16>& address) {
  const PrefixEntry* best = nullptr;
  for (const PrefixEntry& entry : table) {
    if (entry.prefix.contains(family, address) &&
        (best == nullptr || entry.prefix.length > best->prefix.length)) {
      best = &entry;
    }
  }
  return best ? &best->rules : nullptr;
}

const RuleSet* port_match(const PortTable& table, bool has_ports, uint16_t port) {
  if (!has_ports) return &table.no_ports;
  if (table.starts.empty()) return nullptr;
  return &table.rules[table.interval_of(port)];
}

}  // namespace

std::optional<uint32_t> reference_match(const Policy& policy, const PacketFields& packet) {
  const std::vector<FlowRule> rules = enforced_rules(policy);
  for (size_t i = 0; i < rules.size(); ++i) {
    if (rule_matches(rules[i], packet)) return static_cast<uint32_t>(i);
  }
  return std::nullopt;
}

std::optional<uint32_t> classify(const CompiledPolicy& compiled, const PacketFields& packet) {
  if (packet.direction >= WW_DIR_MAX) return std::nullopt;
  const RuleSet* fields[] = {
      &compiled.protocols[packet.direction][packet.protocol],
      longest_match(compiled.src, packet.family, packet.src),
      longest_match(compiled.dst, packet.family, packet.dst),
      port_match(compiled.src_ports, packet.has_ports, packet.src_port),
      port_match(compiled.dst_ports, packet.has_ports, packet.dst_port),
  };
  // A missing table entry is a miss, as a failed map lookup is in the kernel.
  if (std::find(std::begin(fields), std::end(fields), nullptr) != std::end(fields)) {
    return std::nullopt;
  }
  RuleSet candidates = *fields[0];
  for (const RuleSet* field : fields) candidates &= *field;
  return candidates.first();
}

}  // namespace westworld::policy
