// Plain HTTP requests to a server listening on a namespace's loopback (the agent's metrics,
// Prometheus), made from inside that namespace.
#pragma once

#include <cstdint>
#include <string>

namespace westworld::harness {

// GET http://127.0.0.1:PORT/TARGET from inside namespace `ns`; the body of a 200 reply, or
// throws std::runtime_error.
std::string http_get(const std::string& ns, uint16_t port, const std::string& target);

}  // namespace westworld::harness
