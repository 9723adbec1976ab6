#include "http_connection.h"

#include "westworld/mesh/kv_store.h"

namespace westworld::mesh {

namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = boost::asio::ip::tcp;

namespace {

KvError unreachable(const Endpoint& endpoint, const std::string& what) {
  return KvError(KvError::Kind::unavailable, "etcd at " + endpoint.url() + ": " + what);
}

}  // namespace

http::request<http::string_body> gateway_request(const Endpoint& endpoint, std::string_view path,
                                                 const std::string& body,
                                                 const std::string& authorization) {
  http::request<http::string_body> request{http::verb::post, std::string(path), 11};
  request.set(http::field::host, endpoint.host + ":" + endpoint.port);
  request.set(http::field::content_type, "application/json");
  request.set(http::field::user_agent, "westworld");
  // etcd's gateway takes the bare token, without a "Bearer" scheme.
  if (!authorization.empty()) request.set(http::field::authorization, authorization);
  request.body() = body;
  request.prepare_payload();
  return request;
}

bool run_until(boost::asio::io_context& io, beast::tcp_stream& stream,
               std::chrono::steady_clock::time_point deadline) {
  io.restart();
  io.run_until(deadline);
  if (io.stopped()) return true;
  // Closing aborts the pending operations; running again lets their handlers finish.
  beast::error_code ignored;
  stream.socket().close(ignored);
  io.restart();
  io.run();
  return false;
}

void HttpConnection::close() {
  if (!stream_) return;
  beast::error_code ignored;
  stream_->socket().shutdown(tcp::socket::shutdown_both, ignored);
  stream_->socket().close(ignored);
  stream_.reset();
  buffer_.clear();
}

void HttpConnection::connect(std::chrono::steady_clock::time_point deadline) {
  tcp::resolver resolver(io_);
  beast::error_code ec;
  const auto addresses = resolver.resolve(endpoint_.host, endpoint_.port, ec);
  if (ec) throw unreachable(endpoint_, "cannot resolve: " + ec.message());
  stream_.emplace(io_);
  beast::error_code connect_ec = boost::asio::error::timed_out;
  stream_->async_connect(addresses,
                         [&](beast::error_code e, const tcp::endpoint&) { connect_ec = e; });
  if (!run_until(io_, *stream_, deadline) || connect_ec) {
    const std::string why = connect_ec == boost::asio::error::timed_out
                                ? std::string("connection timed out")
                                : connect_ec.message();
    close();
    throw unreachable(endpoint_, "cannot connect: " + why);
  }
  stream_->socket().set_option(tcp::no_delay(true));
}

HttpReply HttpConnection::post(std::string_view path, const std::string& body,
                               const std::string& authorization,
                               std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  // A kept-alive connection the server closed meanwhile fails on first use: retry once
  // on a fresh connection before calling the endpoint unreachable.
  for (int attempt = 0;; ++attempt) {
    const bool reused = stream_.has_value();
    if (!stream_) connect(deadline);
    auto request = gateway_request(endpoint_, path, body, authorization);
    http::response<http::string_body> response;
    beast::error_code ec = boost::asio::error::timed_out;
    http::async_write(*stream_, request, [&](beast::error_code e, std::size_t) {
      if (e) {
        ec = e;
        return;
      }
      http::async_read(*stream_, buffer_, response,
                       [&](beast::error_code r, std::size_t) { ec = r; });
    });
    const bool finished = run_until(io_, *stream_, deadline);
    if (finished && !ec) {
      if (!response.keep_alive()) close();
      return HttpReply{response.result_int(), std::move(response.body())};
    }
    close();
    if (finished && reused && attempt == 0) continue;
    throw unreachable(
        endpoint_,
        finished ? ec.message() : "no reply within " + std::to_string(timeout.count()) + " ms");
  }
}

}  // namespace westworld::mesh
