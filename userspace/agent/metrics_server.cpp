#include "westworld/agent/metrics_server.h"

#include <spdlog/spdlog.h>

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <memory>
#include <stdexcept>

#include "westworld/dataplane/error.h"

namespace westworld::agent {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

constexpr auto kIdleTimeout = std::chrono::seconds(30);
constexpr const char* kContentType = "text/plain; version=0.0.4; charset=utf-8";

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, const MetricsServer::Render& render)
      : stream_(std::move(socket)), render_(render) {}

  void read() {
    request_ = {};
    stream_.expires_after(kIdleTimeout);
    http::async_read(stream_, buffer_, request_,
                     [self = shared_from_this()](beast::error_code ec, size_t) {
                       if (!ec) self->respond();
                     });
  }

 private:
  void respond() {
    auto response = std::make_shared<http::response<http::string_body>>();
    response->version(request_.version());
    response->keep_alive(request_.keep_alive());
    response->set(http::field::server, "westworld-agent");
    const bool metrics =
        request_.target() == "/metrics" || request_.target().starts_with("/metrics?");
    if (request_.method() != http::verb::get && request_.method() != http::verb::head) {
      response->result(http::status::method_not_allowed);
      response->body() = "only GET\n";
    } else if (!metrics) {
      response->result(http::status::not_found);
      response->body() = "westworld-agent serves /metrics\n";
    } else {
      response->result(http::status::ok);
      response->set(http::field::content_type, kContentType);
      response->body() = render_();
    }
    response->prepare_payload();
    if (request_.method() == http::verb::head) response->body().clear();
    http::async_write(stream_, *response,
                      [self = shared_from_this(), response](beast::error_code ec, size_t) {
                        if (ec) return;
                        if (response->keep_alive())
                          self->read();
                        else
                          self->stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
                      });
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  http::request<http::string_body> request_;
  const MetricsServer::Render& render_;
};

}  // namespace

tcp::endpoint parse_listen_address(const std::string& listen) {
  const size_t colon = listen.rfind(':');
  if (colon == std::string::npos || colon + 1 == listen.size())
    throw std::invalid_argument("--metrics must be ADDR:PORT, not '" + listen + "'");
  std::string host = listen.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  const std::string port_text = listen.substr(colon + 1);
  size_t used = 0;
  unsigned long port = 0;
  try {
    port = std::stoul(port_text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != port_text.size() || port > 65535)
    throw std::invalid_argument("--metrics port must be 0 to 65535, not '" + port_text + "'");
  boost::system::error_code ec;
  const asio::ip::address address = asio::ip::make_address(host, ec);
  if (ec) throw std::invalid_argument("--metrics address '" + host + "' is not an IP address");
  return {address, static_cast<unsigned short>(port)};
}

MetricsServer::MetricsServer(asio::io_context& io, const std::string& listen, Render render)
    : acceptor_(io), retry_(io), render_(std::move(render)) {
  const tcp::endpoint endpoint = parse_listen_address(listen);
  boost::system::error_code ec;
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec)
    throw dataplane::Error("cannot serve metrics on " + listen + ": " + ec.message() +
                           " (--metrics ADDR:PORT, or --metrics off)");
  accept();
}

MetricsServer::~MetricsServer() {
  boost::system::error_code ec;
  acceptor_.close(ec);
  retry_.cancel();
}

void MetricsServer::accept() {
  acceptor_.async_accept([this](boost::system::error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted) return;  // closed
    if (!ec) {
      std::make_shared<Session>(std::move(socket), render_)->read();
      accept();
      return;
    }
    // Out of descriptors, most likely: try again shortly instead of spinning.
    spdlog::warn("metrics: accept failed: {}", ec.message());
    retry_.expires_after(std::chrono::milliseconds(200));
    retry_.async_wait([this](boost::system::error_code wait_ec) {
      if (!wait_ec) accept();
    });
  });
}

}  // namespace westworld::agent
