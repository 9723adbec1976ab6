#include "westworld/agent/metrics_server.h"

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

#include "westworld/dataplane/error.h"

namespace westworld::agent {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

constexpr const char* kContentType = "text/plain; version=0.0.4; charset=utf-8";

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, std::shared_ptr<const MetricsServer::Serve> serve,
          const MetricsServerOptions& options, SessionSlot slot)
      : stream_(std::move(socket)),
        buffer_(options.header_limit),  // never more than one request header in memory
        serve_(std::move(serve)),
        options_(options),
        slot_(std::move(slot)) {}

  void read() {
    // A fresh parser per request; no request may carry a body, so the limit is zero and a
    // Content-Length above it fails as soon as the header is complete, before any body is read.
    parser_.emplace();
    parser_->body_limit(0);
    parser_->header_limit(static_cast<std::uint32_t>(options_.header_limit));
    stream_.expires_after(first_request_ ? options_.request_timeout : options_.idle_timeout);
    first_request_ = false;
    http::async_read(
        stream_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, size_t) {
          if (!ec)
            self->respond(self->parser_->get());
          else if (ec == http::error::body_limit)
            self->refuse(http::status::payload_too_large,
                         "requests to westworld-agent carry no body\n");
          else if (ec == http::error::header_limit || ec == http::error::buffer_overflow)
            self->refuse(http::status::request_header_fields_too_large,
                         "the request header is larger than " +
                             std::to_string(self->options_.header_limit) + " bytes\n");
          // Anything else (timeout, closed, not HTTP) just ends the session.
        });
  }

 private:
  void respond(const http::request<http::empty_body>& request) {
    auto response = std::make_shared<http::response<http::string_body>>();
    response->version(request.version());
    response->keep_alive(request.keep_alive());
    const bool head = request.method() == http::verb::head;
    const bool metrics =
        request.target() == "/metrics" || request.target().starts_with("/metrics?");
    if (request.method() != http::verb::get && !head) {
      response->result(http::status::method_not_allowed);
      response->body() = "only GET\n";
    } else if (!metrics) {
      response->result(http::status::not_found);
      response->body() = "westworld-agent serves /metrics\n";
    } else {
      beast::error_code ec;
      const tcp::endpoint peer = stream_.socket().remote_endpoint(ec);
      if (ec) return;  // the client is gone
      // The page may come later (the telemetry gate reads exporters first); the session
      // waits for it, under the idle timeout.
      stream_.expires_after(options_.idle_timeout);
      (*serve_)(peer.address(), [self = shared_from_this(), response, head](MetricsPage page) {
        response->result(static_cast<http::status>(page.status));
        if (page.status == 200) response->set(http::field::content_type, kContentType);
        response->body() = std::move(page.body);
        self->send(response, head);
      });
      return;
    }
    send(response, head);
  }

  void send(const std::shared_ptr<http::response<http::string_body>>& response, bool head) {
    response->prepare_payload();
    if (head) response->body().clear();
    write(response);
  }

  // Answers a request that is refused before it is read in full, and closes: the rest of what
  // the client sends is never read.
  void refuse(http::status status, std::string text) {
    auto response = std::make_shared<http::response<http::string_body>>(status, 11);
    response->keep_alive(false);
    response->body() = std::move(text);
    response->prepare_payload();
    write(response);
  }

  void write(const std::shared_ptr<http::response<http::string_body>>& response) {
    response->set(http::field::server, "westworld-agent");
    stream_.expires_after(options_.idle_timeout);
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
  std::optional<http::request_parser<http::empty_body>> parser_;
  std::shared_ptr<const MetricsServer::Serve> serve_;
  MetricsServerOptions options_;
  SessionSlot slot_;
  bool first_request_ = true;
};

}  // namespace

tcp::endpoint parse_listen_address(const std::string& listen, const std::string& flag) {
  const size_t colon = listen.rfind(':');
  if (colon == std::string::npos || colon + 1 == listen.size())
    throw std::invalid_argument(flag + " must be ADDR:PORT, not '" + listen + "'");
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
    throw std::invalid_argument(flag + " port must be 0 to 65535, not '" + port_text + "'");
  boost::system::error_code ec;
  const asio::ip::address address = asio::ip::make_address(host, ec);
  if (ec) throw std::invalid_argument(flag + " address '" + host + "' is not an IP address");
  return {address, static_cast<unsigned short>(port)};
}

MetricsServer::MetricsServer(asio::io_context& io, const std::string& listen, Render render,
                             MetricsServerOptions options)
    : MetricsServer(io, listen,
                    Serve([render = std::move(render)](const asio::ip::address&,
                                                       std::function<void(MetricsPage)> reply) {
                      reply({200, render()});
                    }),
                    std::move(options)) {}

MetricsServer::MetricsServer(asio::io_context& io, const std::string& listen, Serve serve,
                             MetricsServerOptions options)
    : serve_(std::make_shared<const Serve>(std::move(serve))), options_(std::move(options)) {
  const tcp::endpoint endpoint = parse_listen_address(listen, options_.flag);
  tcp::acceptor acceptor(io);
  boost::system::error_code ec;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec)
    throw dataplane::Error("cannot serve on " + listen + ": " + ec.message() + " (" +
                           options_.flag + " ADDR:PORT, or " + options_.flag + " off)");
  loop_.emplace(
      std::move(acceptor), "metrics", options_.accept,
      [this](tcp::socket socket, SessionSlot slot) {
        std::make_shared<Session>(std::move(socket), serve_, options_, std::move(slot))->read();
      });
}

}  // namespace westworld::agent
