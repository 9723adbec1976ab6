#include "westworld/control/dispatcher.h"

namespace westworld::control {

std::string Dispatcher::handle(std::string_view line) const {
  try {
    const AnyRequest request = decode_request(line);
    const auto& handler = table_[request.index()];
    if (!handler)
      return encode_error(
          {ErrorCode::unknown_command, "this agent does not serve that command", {}});
    return handler(request);
  } catch (const DecodeError& e) {
    return encode_error(e.error());
  } catch (const std::exception& e) {
    return encode_error({ErrorCode::internal, e.what(), {}});
  } catch (...) {
    return encode_error({ErrorCode::internal, "the command failed unexpectedly", {}});
  }
}

}  // namespace westworld::control
