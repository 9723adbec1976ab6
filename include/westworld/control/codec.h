// The control protocol's serializer: the only code that turns messages into
// JSON and back. Output is always valid UTF-8 (bytes that are not are replaced),
// so no text a caller sent can make a reply unserializable.
#pragma once

#include <string>
#include <string_view>

#include "westworld/control/messages.h"
#include "westworld/control/protocol.h"

namespace westworld::control {

// A line that is not a well-formed message: the Error says which field and why.
class DecodeError : public std::exception {
 public:
  explicit DecodeError(Error error) : error_(std::move(error)) {}
  const Error& error() const { return error_; }
  const char* what() const noexcept override { return error_.message.c_str(); }

 private:
  Error error_;
};

// Requests. decode_request throws DecodeError (bad_request, unknown_command,
// unsupported_version).
std::string encode_request(const AnyRequest& request);
AnyRequest decode_request(std::string_view line);

// Replies, for every type in WW_CONTROL_REPLIES. decode_reply returns the
// agent's Error when it sent one; it throws DecodeError on a malformed line.
template <typename Reply>
std::string encode_reply(const Reply& reply);
std::string encode_error(const Error& error);
template <typename Reply>
Result<Reply> decode_reply(std::string_view line);

// A reply as people read it with `wwctl ... --json`: the reply's fields without
// the envelope, indented (or on one line with indent -1).
template <typename Reply>
std::string to_json_text(const Reply& reply, int indent = 2);

}  // namespace westworld::control
