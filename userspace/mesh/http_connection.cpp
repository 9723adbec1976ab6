#include "http_connection.h"

#include "westworld/mesh/kv_store.h"

namespace westworld::mesh {

namespace beast = boost::beast;
namespace http = boost::beast::http;

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

void HttpConnection::close() {
  if (!stream_) return;
  stream_->close();
  stream_.reset();
  buffer_.clear();
}

HttpReply HttpConnection::post(std::string_view path, const std::string& body,
                               const std::string& authorization,
                               std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  // A kept-alive connection the server closed meanwhile fails on first use: retry once
  // on a fresh connection before calling the endpoint unreachable.
  for (int attempt = 0;; ++attempt) {
    const bool reused = stream_.has_value();
    if (!stream_) {
      stream_.emplace(io_, endpoint_, tls_);
      try {
        stream_->open(io_, deadline);
      } catch (...) {
        stream_.reset();
        throw;
      }
    }
    auto request = gateway_request(endpoint_, path, body, authorization);
    http::response<http::string_body> response;
    beast::error_code ec = boost::asio::error::timed_out;
    stream_->visit([&](auto& stream) {
      http::async_write(stream, request, [&](beast::error_code e, std::size_t) {
        if (e) {
          ec = e;
          return;
        }
        http::async_read(stream, buffer_, response,
                         [&](beast::error_code r, std::size_t) { ec = r; });
      });
    });
    const bool finished = run_until(io_, *stream_, deadline);
    if (finished && !ec) {
      if (!response.keep_alive()) close();
      return HttpReply{response.result_int(), std::move(response.body())};
    }
    close();
    if (finished && reused && attempt == 0) continue;
    throw KvError(KvError::Kind::unavailable,
                  "etcd at " + endpoint_.url() + ": " +
                      (finished ? ec.message()
                                : "no reply within " + std::to_string(timeout.count()) + " ms"));
  }
}

}  // namespace westworld::mesh
