#include "gateway_watch.h"

#include "etcd_json.h"

namespace westworld::mesh {

namespace beast = boost::beast;
namespace http = boost::beast::http;

namespace {

KvError broken(const Endpoint& endpoint, const std::string& what) {
  return KvError(KvError::Kind::unavailable, "etcd watch at " + endpoint.url() + ": " + what);
}

}  // namespace

GatewayWatch::GatewayWatch(const Endpoint& endpoint, std::shared_ptr<boost::asio::ssl::context> tls,
                           const std::string& request_body, const std::string& authorization,
                           std::chrono::milliseconds timeout)
    : endpoint_(endpoint), stream_(io_, endpoint, std::move(tls)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  on_chunk_ = [this](std::uint64_t, beast::string_view body, beast::error_code&) {
    received_.append(body.data(), body.size());
    return body.size();
  };
  parser_.body_limit(std::numeric_limits<std::uint64_t>::max());
  parser_.on_chunk_body(on_chunk_);

  stream_.open(io_, deadline);
  auto request = gateway_request(endpoint, "/v3/watch", request_body, authorization);
  beast::error_code ec = boost::asio::error::timed_out;
  stream_.visit([&](auto& stream) {
    http::async_write(stream, request, [&](beast::error_code w, std::size_t) {
      if (w) {
        ec = w;
        return;
      }
      http::async_read_header(stream, buffer_, parser_,
                              [&](beast::error_code r, std::size_t) { ec = r; });
    });
  });
  if (!run_until(io_, stream_, deadline)) throw broken(endpoint, "no reply in time");
  if (ec) throw broken(endpoint, ec.message());
  if (parser_.get().result_int() != 200 || !parser_.chunked()) {
    // An error reply: read it whole and let the decoder name it.
    ec = boost::asio::error::timed_out;
    stream_.visit([&](auto& stream) {
      http::async_read(stream, buffer_, parser_, [&](beast::error_code r, std::size_t) { ec = r; });
    });
    run_until(io_, stream_, deadline);
    etcd_json::check_reply(parser_.get().result_int(), received_ + parser_.get().body());
    throw broken(endpoint, "watch reply is not a stream");
  }
}

GatewayWatch::~GatewayWatch() { stream_.close(); }

std::optional<std::string> GatewayWatch::take_line() {
  const std::size_t end = received_.find('\n');
  if (end == std::string::npos) return std::nullopt;
  std::string line = received_.substr(0, end);
  received_.erase(0, end + 1);
  return line;
}

bool GatewayWatch::read_more(std::chrono::steady_clock::time_point deadline) {
  if (parser_.is_done()) throw broken(endpoint_, "the stream ended");
  beast::error_code ec = boost::asio::error::timed_out;
  boost::asio::steady_timer timer(io_, deadline);
  stream_.visit([&](auto& stream) {
    http::async_read_some(stream, buffer_, parser_, [&](beast::error_code r, std::size_t) {
      ec = r;
      timer.cancel();
    });
  });
  // Nothing arrived in time: cancelling the pending read leaves the parser where it
  // was, so the stream can be read again later.
  timer.async_wait([&](beast::error_code e) {
    if (!e) stream_.socket().cancel();
  });
  io_.restart();
  io_.run();
  if (ec == boost::asio::error::operation_aborted) return false;
  if (ec) throw broken(endpoint_, ec.message());
  return true;
}

std::optional<WatchBatch> GatewayWatch::next(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    while (std::optional<std::string> line = take_line()) {
      if (line->find_first_not_of(" \r\t") == std::string::npos) continue;
      etcd_json::WatchMessage message = etcd_json::watch_message(*line);
      if (message.canceled) {
        if (message.compact_revision > 0)
          throw KvError(KvError::Kind::compacted,
                        "etcd: watch start revision compacted (oldest kept: " +
                            std::to_string(message.compact_revision) + ")");
        if (message.cancel_reason.find("ermission") != std::string::npos)
          throw KvError(KvError::Kind::permission_denied, "etcd: " + message.cancel_reason);
        throw broken(endpoint_, "cancelled by etcd: " + message.cancel_reason);
      }
      if (message.created && message.batch.events.empty()) continue;
      return std::move(message.batch);
    }
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    if (!read_more(deadline)) return std::nullopt;
  }
}

}  // namespace westworld::mesh
