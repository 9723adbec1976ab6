#include "test_policies.h"

#include <type_traits>

namespace westworld::harness {
namespace {

template <typename Item>
std::string yaml_list(const std::vector<Item>& items) {
  std::string text;
  for (const auto& item : items) {
    if constexpr (std::is_same_v<Item, std::string>) {
      text += (text.empty() ? "" : ", ") + item;
    } else {
      text += (text.empty() ? "" : ", ") + std::to_string(item);
    }
  }
  return "[" + text + "]";
}

}  // namespace

std::string deny_port_policy(const PortDenyRule& rule, const std::string& more) {
  std::string yaml =
      "version: 1\n"
      "charter:\n"
      "  default: allow\n"
      "  flows:\n"
      "    - name: " +
      rule.name +
      "\n"
      "      action: deny\n"
      "      direction: " +
      rule.direction +
      "\n"
      "      proto: udp\n";
  if (!rule.dst.empty()) {
    yaml += "      dst: " + yaml_list(rule.dst) + "\n";
  }
  return yaml + "      dst_ports: " + yaml_list(rule.ports) + "\n" + more;
}

}  // namespace westworld::harness
