// The policies the namespace tests share, written in one place.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace westworld::harness {

// One deny rule on UDP destination ports.
struct PortDenyRule {
  std::string name;
  std::vector<uint16_t> ports;
  std::string direction = "ingress";  // ingress, egress or both
  std::vector<std::string> dst = {};  // destination addresses or prefixes; empty: any
};

// A version 1 policy whose charter allows by default and denies what `rule` names, followed by
// `more` (further top-level sections, such as anti_meave, as YAML).
std::string deny_port_policy(const PortDenyRule& rule, const std::string& more = "");

}  // namespace westworld::harness
