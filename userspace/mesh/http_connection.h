// One HTTP/1.1 keep-alive connection to one etcd endpoint, with a deadline on every
// exchange. Beast's sync calls ignore timeouts, so each step runs asynchronously on a
// private io_context for at most the time left.
#pragma once

// clang-format off
#include <utility>  // before Asio: Boost 1.74 needs std::exchange declared under C++20
#include <boost/asio.hpp>
// clang-format on
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "westworld/mesh/etcd_gateway.h"

namespace westworld::mesh {

struct HttpReply {
  unsigned status = 0;
  std::string body;
};

class HttpConnection {
 public:
  explicit HttpConnection(Endpoint endpoint) : endpoint_(std::move(endpoint)) {}

  // POSTs `body` (JSON) to `path`; `authorization` goes in the Authorization header when
  // not empty. Throws KvError(unavailable) when the endpoint cannot be reached, the
  // exchange breaks, or no reply came within `timeout` (the connection is then dropped).
  HttpReply post(std::string_view path, const std::string& body, const std::string& authorization,
                 std::chrono::milliseconds timeout);

  const Endpoint& endpoint() const { return endpoint_; }

 private:
  void connect(std::chrono::steady_clock::time_point deadline);
  void close();

  Endpoint endpoint_;
  boost::asio::io_context io_;
  std::optional<boost::beast::tcp_stream> stream_;
  boost::beast::flat_buffer buffer_;
};

// Builds the request every gateway call sends.
boost::beast::http::request<boost::beast::http::string_body> gateway_request(
    const Endpoint& endpoint, std::string_view path, const std::string& body,
    const std::string& authorization);

// Runs `io` until the operations started on it complete or `deadline` passes; on the
// deadline it closes `stream` (which aborts them) and returns false.
bool run_until(boost::asio::io_context& io, boost::beast::tcp_stream& stream,
               std::chrono::steady_clock::time_point deadline);

}  // namespace westworld::mesh
