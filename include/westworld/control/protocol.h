// The agent's control protocol: what every command shares.
//
// Transport: a Unix stream socket (0600, root's), one JSON object per line each
// way. JSON is only the wire format: callers use the typed requests and replies
// of messages.h, and only codec.cpp reads or writes a key.
//
//   request:  {"version": 1, "cmd": NAME, ...the request's fields}
//   reply:    {"version": 1, "ok": true, ...the reply's fields}
//          or {"version": 1, "ok": false, "error": {"code": CODE, "message": TEXT,
//                                                   "details": [LINE, ...]}}
//
// A change that old clients or agents cannot read bumps kProtocolVersion; the
// agent refuses a request of another version with `unsupported_version`.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace westworld::control {

inline constexpr uint32_t kProtocolVersion = 1;
inline constexpr const char* kDefaultSocketPath = "/run/westworld/agent.sock";
// Runtime state, like the pins it describes: gone at reboot (RuntimeDirectory=).
inline constexpr const char* kDefaultStateDir = "/run/westworld";
// What must outlive a reboot: the audit log and its key, the vault (StateDirectory=).
inline constexpr const char* kDefaultDataDir = "/var/lib/westworld";
// The longest request line the agent reads: an apply carries a policy of up to 4 MiB
// (policy/limits.h), which JSON escaping can grow.
inline constexpr size_t kMaxRequestBytes = 8 * 1024 * 1024;

// Why a command failed. Values are part of the wire format: add, never renumber.
#define WW_CONTROL_ERRORS(X)                                                          \
  X(bad_request, "the request is malformed or a field has the wrong type or range")   \
  X(unknown_command, "no such command")                                               \
  X(unsupported_version, "the request's protocol version is not this agent's")        \
  X(refused, "the trust gate refused the change (token, signatures or nonce)")        \
  X(policy_rejected, "the policy does not load or compile; details has the problems") \
  X(frozen, "policy changes are frozen after a control-plane alert")                  \
  X(not_found, "the named interface or source is not there")                          \
  X(failed, "the command was valid but could not be carried out")                     \
  X(busy, "the agent serves too many connections")                                    \
  X(internal, "the agent failed unexpectedly; it keeps running")

enum class ErrorCode {
#define WW_X(name, text) name,
  WW_CONTROL_ERRORS(WW_X)
#undef WW_X
};

std::string_view to_string(ErrorCode code);
bool parse_error_code(std::string_view text, ErrorCode& out);

struct Error {
  ErrorCode code = ErrorCode::internal;
  std::string message;
  std::vector<std::string> details;  // e.g. a rejected policy's FILE:LINE:COL lines
};

// A command's outcome: its reply or the agent's error.
template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}
  Result(Error error) : value_(std::move(error)) {}

  bool ok() const { return std::holds_alternative<T>(value_); }
  explicit operator bool() const { return ok(); }
  const T& value() const { return std::get<T>(value_); }
  T& value() { return std::get<T>(value_); }
  const T& operator*() const { return value(); }
  const T* operator->() const { return &value(); }
  const Error& error() const { return std::get<Error>(value_); }

 private:
  std::variant<T, Error> value_;
};

}  // namespace westworld::control
