// The libmacaroons V2 binary format (doc/format.txt) and its text form: URL-safe base64
// without padding. Parsing is strict and bounded: any malformed input is a FormatError.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

#include "westworld/capability/bytes.h"
#include "westworld/capability/macaroon.h"

namespace westworld::capability {

class MacaroonFormatError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Far above any real token; bounds the work a hostile input can cause.
inline constexpr std::size_t kMaxMacaroonBytes = 64 * 1024;

Bytes serialize_v2(const Macaroon& macaroon);
std::string serialize_v2_text(const Macaroon& macaroon);

Macaroon parse_v2(ByteView data);
// Accepts the URL-safe alphabet (the V2 text form) and, like libmacaroons, the standard one.
Macaroon parse_v2_text(std::string_view text);

}  // namespace westworld::capability
