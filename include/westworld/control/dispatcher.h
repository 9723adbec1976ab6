// The agent's side of the protocol: one handler per command, registered by
// type, and one entry point that turns a request line into a reply line.
#pragma once

#include <array>
#include <functional>
#include <string>
#include <string_view>
#include <variant>

#include "westworld/control/codec.h"

namespace westworld::control {

class Dispatcher {
 public:
  template <typename Request>
  using Handler = std::function<Result<typename Request::Reply>(const Request&)>;

  template <typename Request>
  void on(Handler<Request> handler) {
    constexpr size_t index = index_of<Request>();
    table_[index] = [handler = std::move(handler)](const AnyRequest& request) {
      Result<typename Request::Reply> result = handler(std::get<Request>(request));
      return result ? encode_reply(result.value()) : encode_error(result.error());
    };
  }

  // Decodes, dispatches and encodes. Never throws: a malformed request, a command
  // this agent does not serve and a handler that throws all become error replies.
  std::string handle(std::string_view line) const;

 private:
  template <typename Request, size_t I = 0>
  static constexpr size_t index_of() {
    if constexpr (std::is_same_v<std::variant_alternative_t<I, AnyRequest>, Request>)
      return I;
    else
      return index_of<Request, I + 1>();
  }

  std::array<std::function<std::string(const AnyRequest&)>, std::variant_size_v<AnyRequest>> table_;
};

}  // namespace westworld::control
