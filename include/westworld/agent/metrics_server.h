// Serves GET /metrics over HTTP/1.1 (Boost.Beast) on the agent's io_context,
// for Prometheus to scrape: the agent's own metrics, and the telemetry gate's. Anything else is a
// 404. What one client can cost the agent is bounded: requests carry no body (one is refused with
// 413 before it is read), headers are small (431 beyond the limit), sessions are capped, and a slow
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
  std::string flag = "--metrics";  // the option that chose the address, for errors
};

// What a scrape gets: 200 and the exposition, or a status and the reason.
struct MetricsPage {
  unsigned status = 200;
  std::string body;
};

class MetricsServer {
 public:
  using Render = std::function<std::string()>;
  // Answers a scrape from `peer` later, by calling `reply` once, on the io_context.
  using Serve = std::function<void(const boost::asio::ip::address& peer,
                                   std::function<void(MetricsPage)> reply)>;

  // `listen` is "ADDR:PORT" ("127.0.0.1:9477", "[::1]:9477"). Throws with one
  // clear line when it is malformed or the port cannot be bound.
  MetricsServer(boost::asio::io_context& io, const std::string& listen, Render render,
                MetricsServerOptions options = {});
  MetricsServer(boost::asio::io_context& io, const std::string& listen, Serve serve,
                MetricsServerOptions options = {});

  boost::asio::ip::tcp::endpoint endpoint() const { return loop_->local_endpoint(); }
  size_t active_sessions() const { return loop_->active_sessions(); }
  uint64_t accept_failures() const { return loop_->accept_failures(); }

 private:
  std::shared_ptr<const Serve> serve_;  // shared with sessions, which may outlive us
  MetricsServerOptions options_;
  std::optional<AcceptLoop<boost::asio::ip::tcp>> loop_;
};

// Splits "ADDR:PORT"; throws std::invalid_argument saying what is wrong with `flag`'s value.
boost::asio::ip::tcp::endpoint parse_listen_address(const std::string& listen,
                                                    const std::string& flag = "--metrics");

}  // namespace westworld::agent
