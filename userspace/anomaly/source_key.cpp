#include "westworld/anomaly/source_key.h"

#include <arpa/inet.h>
#include <sys/socket.h>

#include <cstring>

#include "westworld/policy/model.h"

namespace westworld::anomaly {

size_t SourceKeyHash::operator()(const ww_source_key& key) const noexcept {
  // FNV-1a over the family and the address: keys are already well mixed
  // addresses, so a simple, fast hash does.
  uint64_t hash = 1469598103934665603ULL;
  auto mix = [&hash](uint8_t byte) {
    hash ^= byte;
    hash *= 1099511628211ULL;
  };
  mix(key.family);
  for (uint8_t byte : key.addr) mix(byte);
  return static_cast<size_t>(hash);
}

bool SourceKeyEqual::operator()(const ww_source_key& a, const ww_source_key& b) const noexcept {
  return a.family == b.family && std::memcmp(a.addr, b.addr, sizeof a.addr) == 0;
}

std::string format_source(const ww_source_key& key) {
  char text[INET6_ADDRSTRLEN] = {};
  inet_ntop(key.family == WW_FAMILY_IPV4 ? AF_INET : AF_INET6, key.addr, text, sizeof text);
  return text;
}

std::optional<ww_source_key> parse_source(const std::string& text, uint8_t ipv4_prefix,
                                          uint8_t ipv6_prefix, std::string& why_not) {
  std::optional<policy::Cidr> cidr = policy::parse_cidr(text, why_not);
  if (!cidr) return std::nullopt;
  const bool v4 = cidr->family == policy::Family::ipv4;
  const uint8_t identity = v4 ? ipv4_prefix : ipv6_prefix;
  const bool bare = text.find('/') == std::string::npos;
  if (!bare && cidr->length > identity) {
    why_not = "a source is an identity block of /" + std::to_string(identity) + "; " + text +
              " is narrower";
    return std::nullopt;
  }
  if (!bare && cidr->length < identity) {
    why_not = "a source is one identity block of /" + std::to_string(identity) + "; " + text +
              " holds many";
    return std::nullopt;
  }
  ww_source_key key{};
  key.family = static_cast<uint8_t>(cidr->family);
  std::memcpy(key.addr, cidr->addr.data(), sizeof key.addr);
  // Mask to the identity prefix, as the data plane does.
  for (uint32_t i = 0; i < 16; ++i) {
    const uint32_t bit = i * 8;
    if (bit >= identity || i >= (v4 ? 4u : 16u))
      key.addr[i] = 0;
    else if (identity - bit < 8)
      key.addr[i] &= static_cast<uint8_t>(0xff << (8 - (identity - bit)));
  }
  return key;
}

}  // namespace westworld::anomaly
