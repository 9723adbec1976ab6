// One HTTP/1.1 keep-alive connection to one etcd endpoint (plain or TLS), with a deadline
// on every exchange. Beast's sync calls ignore timeouts, so each step runs asynchronously
// on a private io_context for at most the time left.
#pragma once

#include <boost/beast/http.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "gateway_stream.h"

namespace westworld::mesh {

struct HttpReply {
  unsigned status = 0;
  std::string body;
};

class HttpConnection {
 public:
  // `tls` is null for http:// endpoints.
  HttpConnection(Endpoint endpoint, std::shared_ptr<boost::asio::ssl::context> tls)
      : endpoint_(std::move(endpoint)), tls_(std::move(tls)) {}

  // POSTs `body` (JSON) to `path`; `authorization` goes in the Authorization header when
  // not empty. Throws KvError(unavailable) when the endpoint cannot be reached, the
  // exchange breaks, or no reply came within `timeout` (the connection is then dropped).
  HttpReply post(std::string_view path, const std::string& body, const std::string& authorization,
                 std::chrono::milliseconds timeout);

  const Endpoint& endpoint() const { return endpoint_; }

 private:
  void close();

  Endpoint endpoint_;
  std::shared_ptr<boost::asio::ssl::context> tls_;
  boost::asio::io_context io_;
  std::optional<GatewayStream> stream_;
  boost::beast::flat_buffer buffer_;
};

// Builds the request every gateway call sends.
boost::beast::http::request<boost::beast::http::string_body> gateway_request(
    const Endpoint& endpoint, std::string_view path, const std::string& body,
    const std::string& authorization);

}  // namespace westworld::mesh
