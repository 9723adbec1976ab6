// The typed client of the agent's control socket, used by wwctl and the tests.
#pragma once

#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>

#include "westworld/control/codec.h"

namespace westworld::control {

// The exchange itself failed: the socket broke, the agent took longer than the
// timeout, or its reply was not a protocol message.
class ClientError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Client {
 public:
  static constexpr std::chrono::milliseconds kDefaultTimeout{30'000};

  explicit Client(std::string socket_path, std::chrono::milliseconds timeout = kDefaultTimeout)
      : socket_path_(std::move(socket_path)), timeout_(timeout) {}

  // The agent's reply or error; nullopt when no agent listens at the socket.
  template <typename Request>
  std::optional<Result<typename Request::Reply>> call(const Request& request) const {
    std::optional<std::string> line = exchange(encode_request(request));
    if (!line) return std::nullopt;
    try {
      return decode_reply<typename Request::Reply>(*line);
    } catch (const DecodeError& e) {
      throw ClientError("the agent at " + socket_path_ + " sent a reply wwctl cannot read (" +
                        e.error().message + ")");
    }
  }

  const std::string& socket_path() const { return socket_path_; }

 private:
  // Sends one line, returns the reply line; nullopt when nobody listens.
  std::optional<std::string> exchange(const std::string& request_line) const;

  std::string socket_path_;
  std::chrono::milliseconds timeout_;
};

}  // namespace westworld::control
