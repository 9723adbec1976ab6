// The byte stream under one gateway connection: plain TCP for http:// endpoints, TLS over
// TCP for https:// ones. Callers hand Beast's HTTP operations whichever it is through
// visit(); connecting, the TLS handshake and closing are done here, once for both.
#pragma once

// clang-format off
#include <utility>  // before Asio: Boost 1.74 needs std::exchange declared under C++20
#include <boost/asio.hpp>
// clang-format on
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <chrono>
#include <memory>
#include <variant>

#include "westworld/mesh/etcd_gateway.h"

namespace westworld::mesh {

// What every TLS connection to etcd shares: the CA that must have signed the server's
// certificate. Built once per client from EtcdTls; throws std::runtime_error naming the
// file it could not use.
std::shared_ptr<boost::asio::ssl::context> make_tls_context(const EtcdTls& tls);

class GatewayStream {
 public:
  using Plain = boost::beast::tcp_stream;
  using Secure = boost::beast::ssl_stream<boost::beast::tcp_stream>;

  // `tls` is null for http:// endpoints.
  GatewayStream(boost::asio::io_context& io, const Endpoint& endpoint,
                std::shared_ptr<boost::asio::ssl::context> tls);

  // Resolves, connects and, for https, runs the TLS handshake (the server's certificate
  // must chain to the CA and name the endpoint's host or address). Runs `io` until done or
  // `deadline`; throws KvError(unavailable) saying which step failed.
  void open(boost::asio::io_context& io, std::chrono::steady_clock::time_point deadline);

  // Calls `f` with the Plain or Secure stream, for Beast's http::async_* operations.
  template <typename F>
  void visit(F&& f) {
    std::visit(std::forward<F>(f), stream_);
  }

  // The TCP socket underneath: cancelling or closing it aborts whatever is pending.
  boost::asio::ip::tcp::socket& socket();
  void close();

 private:
  Plain& tcp_layer();

  Endpoint endpoint_;
  std::shared_ptr<boost::asio::ssl::context> tls_;  // keeps the context alive for stream_
  std::variant<Plain, Secure> stream_;
};

// Runs `io` until the operations started on it complete or `deadline` passes; on the
// deadline it closes `stream` (which aborts them) and returns false.
bool run_until(boost::asio::io_context& io, GatewayStream& stream,
               std::chrono::steady_clock::time_point deadline);

}  // namespace westworld::mesh
