// Serves GET /metrics over HTTP/1.1 (Boost.Beast) on the agent's io_context,
// for Prometheus to scrape. Anything else is a 404; a slow or silent client is
// cut off after a timeout, so it cannot hold a connection forever.
#pragma once

// clang-format off
#include <utility>  // before Asio: Boost 1.74 needs std::exchange declared under C++20
#include <boost/asio.hpp>
// clang-format on
#include <functional>
#include <string>

namespace westworld::agent {

class MetricsServer {
 public:
  using Render = std::function<std::string()>;

  // `listen` is "ADDR:PORT" ("127.0.0.1:9477", "[::1]:9477"). Throws with one
  // clear line when it is malformed or the port cannot be bound.
  MetricsServer(boost::asio::io_context& io, const std::string& listen, Render render);
  ~MetricsServer();

  boost::asio::ip::tcp::endpoint endpoint() const { return acceptor_.local_endpoint(); }

 private:
  void accept();

  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer retry_;
  Render render_;
};

// Splits "ADDR:PORT"; throws std::invalid_argument saying what is wrong.
boost::asio::ip::tcp::endpoint parse_listen_address(const std::string& listen);

}  // namespace westworld::agent
