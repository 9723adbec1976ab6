// Serves the control socket: one request line in, one reply line out, per connection.
//
// The server only frames lines; what they mean is the handler's business. Nothing a caller
// sends can stop it: a handler that throws (anything) gets a fixed error reply, a line too long
// gets an error reply, a peer too slow is cut off, and accept() failures are retried.
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
#include <string_view>

#include "westworld/agent/accept_loop.h"
#include "westworld/control/protocol.h"

namespace westworld::agent {

inline constexpr size_t kMaxControlSessions = 32;

struct ControlServerOptions {
  size_t max_request_bytes = control::kMaxRequestBytes;  // the line, without its newline
  // How long a caller may take to send its request line, and again to take the reply: a
  // wedged or idle peer gives its slot back after this.
  std::chrono::milliseconds session_timeout{10'000};
  AcceptLimits accept{.max_sessions = kMaxControlSessions};
};

class ControlServer {
 public:
  // Gets the request line without its newline; returns the reply line, to which the server
  // appends the newline (so the reply must not contain one).
  using Handler = std::function<std::string(std::string_view request_line)>;

  // Takes over `path` (mode 0600): a stale socket file is replaced, a live agent there is an
  // error ("another agent already serves PATH").
  ControlServer(boost::asio::io_context& io, const std::string& path, Handler handler,
                ControlServerOptions options = {});
  ~ControlServer();

  size_t active_sessions() const { return loop_->active_sessions(); }
  uint64_t accept_failures() const { return loop_->accept_failures(); }

 private:
  std::string path_;
  std::shared_ptr<const Handler> handler_;  // shared with sessions, which may outlive us
  ControlServerOptions options_;
  std::optional<AcceptLoop<boost::asio::local::stream_protocol>> loop_;
};

// The reply when a handler fails unexpectedly: fixed, valid JSON, nothing of the request in it.
const std::string& internal_error_reply();

}  // namespace westworld::agent
