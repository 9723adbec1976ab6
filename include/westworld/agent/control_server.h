// Serves the control socket: one JSON request per line, one reply per line.
#pragma once

// clang-format off
#include <utility>  // before Asio: Boost 1.74 needs std::exchange declared under C++20
#include <boost/asio.hpp>
// clang-format on
#include <functional>
#include <string>
#include <string_view>

namespace westworld::agent {

class ControlServer {
 public:
  // Takes one request line, returns the reply line (without the newline).
  using Handler = std::function<std::string(std::string_view request_line)>;

  // Takes over `path`: a stale socket file is replaced, a live agent there is an error.
  ControlServer(boost::asio::io_context& io, const std::string& path, Handler handler);
  ~ControlServer();

 private:
  void accept();

  boost::asio::local::stream_protocol::acceptor acceptor_;
  std::string path_;
  Handler handler_;
};

}  // namespace westworld::agent
