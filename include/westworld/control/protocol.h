// The agent's control socket: a Unix stream socket carrying one JSON object
// per line each way. Requests are {"cmd": NAME, ...}; replies always carry
// "ok" and, when false, "error" (and for a bad policy, "diagnostics").
#pragma once

namespace westworld::control {

inline constexpr const char* kDefaultSocketPath = "/run/westworld/agent.sock";
inline constexpr const char* kDefaultStateDir = "/run/westworld";

// Commands: "status", "apply" {policy: YAML text, source: path}, "detach"
// {iface?: name}, "ping".

}  // namespace westworld::control
