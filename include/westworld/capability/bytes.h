// Byte strings and their text encodings, shared by the capability and audit layers.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace westworld::capability {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

Bytes to_bytes(std::string_view text);
std::string to_string(ByteView bytes);
ByteView as_bytes(std::string_view text);

// Lowercase hex; decoding accepts either case and nothing else (no separators).
std::string to_hex(ByteView bytes);
std::optional<Bytes> from_hex(std::string_view hex);

// RFC 4648 standard alphabet with padding (signed notes, checkpoints).
std::string to_base64(ByteView bytes);
std::optional<Bytes> from_base64(std::string_view text);

// RFC 4648 URL-safe alphabet without padding (macaroon text form). Decoding also
// tolerates trailing '=' padding, since some tools emit it.
std::string to_base64url(ByteView bytes);
std::optional<Bytes> from_base64url(std::string_view text);

// Decoded bytes as a fixed-size value (a key, a signature, a nonce): nothing when they did
// not decode or have another length.
template <std::size_t N>
std::optional<std::array<std::uint8_t, N>> fixed_bytes(const std::optional<Bytes>& bytes) {
  if (!bytes || bytes->size() != N) return std::nullopt;
  std::array<std::uint8_t, N> out{};
  std::copy(bytes->begin(), bytes->end(), out.begin());
  return out;
}

}  // namespace westworld::capability
