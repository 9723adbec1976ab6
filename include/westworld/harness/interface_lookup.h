// An interface inside a network namespace, as the kernel knows it there.
#pragma once

#include <cstdint>
#include <string>

namespace westworld::harness {

struct InterfaceInfo {
  uint32_t ifindex = 0;
  std::string mac;  // "02:77:62:00:00:02"
};

// Looks `iface` up inside namespace `netns`; throws std::runtime_error if it is not there.
InterfaceInfo interface_in(const std::string& netns, const std::string& iface);

}  // namespace westworld::harness
