// One plain HTTP/1.1 GET to an IP address (Boost.Beast), with one deadline for the whole
// exchange and a cap on the body: what a node needs to read a local exporter or ask a
// Prometheus server. No DNS (a resolver would block its caller for as long as it likes), no
// TLS, no redirects, no keep-alive.
#pragma once

// clang-format off
#include <utility>  // before Asio: Boost 1.74 needs std::exchange declared under C++20
#include <boost/asio/io_context.hpp>
// clang-format on
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

namespace westworld::common {

struct HttpGetRequest {
  std::string host;  // an IP literal: 127.0.0.1, ::1, 192.0.2.7
  std::uint16_t port = 80;
  std::string target = "/";  // path and query string, already percent-encoded
  std::string accept;        // the Accept header; empty: none
  std::string user_agent = "westworld";
};

struct HttpGetLimits {
  std::chrono::milliseconds timeout{3000};  // connect, request and the whole response
  std::size_t max_body_bytes = 8u << 20;
};

struct HttpGetReply {
  unsigned status = 0;  // the HTTP status, when a response came
  std::string body;     // its body, whatever the status (errors often explain themselves)
  // Why no response came: "connect: Connection refused", "response: timeout", "the body is
  // larger than N bytes", "'x' is not an IP address". Empty when one came.
  std::string error;

  bool answered() const { return error.empty(); }
};

// Starts the GET on `io` and calls `done` once, on `io`, never before http_get returns.
void http_get(boost::asio::io_context& io, const HttpGetRequest& request,
              const HttpGetLimits& limits, std::function<void(HttpGetReply)> done);

// The same, blocking the calling thread (on an io_context of its own) for at most the timeout.
HttpGetReply http_get(const HttpGetRequest& request, const HttpGetLimits& limits);

}  // namespace westworld::common
