// A watch over the gateway: one POST /v3/watch whose chunked reply is a stream of JSON
// lines, one message each (chunk boundaries are not message boundaries). etcd 3.4's
// gateway cannot cancel a watch, so the stream ends by closing the connection.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "http_connection.h"

namespace westworld::mesh {

class GatewayWatch final : public Watch {
 public:
  // Sends the watch request and reads the reply's header. Throws KvError: unavailable
  // when the endpoint does not answer in `timeout`, or what etcd's error reply says.
  GatewayWatch(const Endpoint& endpoint, std::shared_ptr<boost::asio::ssl::context> tls,
               const std::string& request_body, const std::string& authorization,
               std::chrono::milliseconds timeout);
  ~GatewayWatch() override;

  std::optional<WatchBatch> next(std::chrono::milliseconds timeout) override;

 private:
  // The next complete line received, if any.
  std::optional<std::string> take_line();
  // Reads more of the stream until `deadline`; false when nothing arrived by then.
  bool read_more(std::chrono::steady_clock::time_point deadline);

  Endpoint endpoint_;
  boost::asio::io_context io_;
  GatewayStream stream_;
  boost::beast::flat_buffer buffer_;
  std::string received_;  // stream bytes not yet split into lines
  std::function<std::size_t(std::uint64_t, boost::beast::string_view, boost::beast::error_code&)>
      on_chunk_;
  boost::beast::http::response_parser<boost::beast::http::string_body> parser_;
};

}  // namespace westworld::mesh
