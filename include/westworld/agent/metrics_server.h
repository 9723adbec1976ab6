// Serves GET /metrics over HTTP/1.1 (Boost.Beast) on the agent's io_context,
// for Prometheus to scrape. Anything else is a 404. What one client can cost the
// agent is bounded: requests carry no body (one is refused with 413 before it is
// read), headers are small (431 beyond the limit), sessions are capped, and a slow
// or silent client is cut off after a timeout, so it cannot hold a slot forever.
#pragma once

// clang-format off
#include <utility>  // before Asio: Boost 1.74 needs std::exchange declared under C++20
#include <boost/asio.hpp>
// clang-format on
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "westworld/agent/accept_loop.h"

namespace westworld::agent {

inline constexpr size_t kMetricsHeaderLimit = 8 * 1024;
inline constexpr size_t kMaxMetricsSessions = 32;

struct MetricsServerOptions {
  size_t header_limit = kMetricsHeaderLimit;  // request line and fields, in bytes
  // A new connection must deliver its request within request_timeout; a kept-alive one may
  // wait idle_timeout for its next request.
  std::chrono::milliseconds request_timeout{5'000};
  std::chrono::milliseconds idle_timeout{30'000};
  AcceptLimits accept{.max_sessions = kMaxMetricsSessions};
};

class MetricsServer {
 public:
  using Render = std::function<std::string()>;

  // `listen` is "ADDR:PORT" ("127.0.0.1:9477", "[::1]:9477"). Throws with one
  // clear line when it is malformed or the port cannot be bound.
  MetricsServer(boost::asio::io_context& io, const std::string& listen, Render render,
                MetricsServerOptions options = {});

  boost::asio::ip::tcp::endpoint endpoint() const { return loop_->local_endpoint(); }
  size_t active_sessions() const { return loop_->active_sessions(); }
  uint64_t accept_failures() const { return loop_->accept_failures(); }

 private:
  std::shared_ptr<const Render> render_;  // shared with sessions, which may outlive us
  MetricsServerOptions options_;
  std::optional<AcceptLoop<boost::asio::ip::tcp>> loop_;
};

// Splits "ADDR:PORT"; throws std::invalid_argument saying what is wrong.
boost::asio::ip::tcp::endpoint parse_listen_address(const std::string& listen);

}  // namespace westworld::agent
