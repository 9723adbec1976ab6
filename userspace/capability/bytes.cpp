// Encodings go through libsodium's constant-time codecs so secret material (key
// files are hex) never passes through table lookups indexed by secret bytes.
#include "westworld/capability/bytes.h"

#include <sodium.h>

namespace westworld::capability {
namespace {

std::string bin_to_base64(ByteView bytes, int variant) {
  std::string out(sodium_base64_encoded_len(bytes.size(), variant), '\0');
  sodium_bin2base64(out.data(), out.size(), bytes.data(), bytes.size(), variant);
  out.resize(out.size() - 1);  // drop the terminating NUL sodium writes
  return out;
}

std::optional<Bytes> base64_to_bin(std::string_view text, int variant) {
  Bytes out(text.size() / 4 * 3 + 3);
  size_t length = 0;
  const char* end = nullptr;
  if (sodium_base642bin(out.data(), out.size(), text.data(), text.size(), nullptr, &length, &end,
                        variant) != 0 ||
      end != text.data() + text.size()) {
    return std::nullopt;
  }
  out.resize(length);
  return out;
}

}  // namespace

Bytes to_bytes(std::string_view text) { return Bytes(text.begin(), text.end()); }

std::string to_string(ByteView bytes) { return std::string(bytes.begin(), bytes.end()); }

ByteView as_bytes(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

std::string to_hex(ByteView bytes) {
  std::string out(bytes.size() * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), bytes.data(), bytes.size());
  out.pop_back();
  return out;
}

std::optional<Bytes> from_hex(std::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  if (hex.empty()) return Bytes{};  // libsodium wants a real output buffer
  Bytes out(hex.size() / 2);
  size_t length = 0;
  const char* end = nullptr;
  if (sodium_hex2bin(out.data(), out.size(), hex.data(), hex.size(), nullptr, &length, &end) != 0 ||
      end != hex.data() + hex.size() || length != out.size()) {
    return std::nullopt;
  }
  return out;
}

std::string to_base64(ByteView bytes) {
  return bin_to_base64(bytes, sodium_base64_VARIANT_ORIGINAL);
}

std::optional<Bytes> from_base64(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;  // padding is mandatory in this variant
  return base64_to_bin(text, sodium_base64_VARIANT_ORIGINAL);
}

std::string to_base64url(ByteView bytes) {
  return bin_to_base64(bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

std::optional<Bytes> from_base64url(std::string_view text) {
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  return base64_to_bin(text, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

}  // namespace westworld::capability
