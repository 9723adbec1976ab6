#include <arpa/inet.h>

#include <charconv>

#include "westworld/policy/model.h"

namespace westworld::policy {
namespace {

int address_bits(Family family) { return family == Family::ipv4 ? 32 : 128; }

// True when the first `length` bits of a and b agree.
bool same_prefix(const std::array<uint8_t, 16>& a, const std::array<uint8_t, 16>& b, int length) {
  int whole_bytes = length / 8;
  for (int i = 0; i < whole_bytes; ++i) {
    if (a[i] != b[i]) return false;
  }
  int rest = length % 8;
  if (rest == 0) return true;
  auto mask = static_cast<uint8_t>(0xff << (8 - rest));
  return (a[whole_bytes] & mask) == (b[whole_bytes] & mask);
}

std::array<uint8_t, 16> masked(std::array<uint8_t, 16> addr, int length) {
  for (int bit = length; bit < 128; ++bit) {
    addr[bit / 8] &= static_cast<uint8_t>(~(0x80 >> (bit % 8)));
  }
  return addr;
}

std::string address_to_string(Family family, const std::array<uint8_t, 16>& addr) {
  char text[INET6_ADDRSTRLEN] = {};
  inet_ntop(family == Family::ipv4 ? AF_INET : AF_INET6, addr.data(), text, sizeof text);
  return text;
}

}  // namespace

bool Cidr::contains(const Cidr& other) const {
  return family == other.family && length <= other.length && same_prefix(addr, other.addr, length);
}

bool Cidr::contains(Family f, const std::array<uint8_t, 16>& address) const {
  return family == f && same_prefix(addr, address, length);
}

std::string Cidr::to_string() const {
  return address_to_string(family, addr) + "/" + std::to_string(length);
}

namespace {

// A CIDR with host bits set is refused, or masked to its network.
std::optional<Cidr> parse(const std::string& text, std::string& why_not, bool mask_host_bits) {
  auto slash = text.find('/');
  std::string address = text.substr(0, slash);
  Cidr cidr;
  cidr.family = address.find(':') == std::string::npos ? Family::ipv4 : Family::ipv6;
  int af = cidr.family == Family::ipv4 ? AF_INET : AF_INET6;
  if (inet_pton(af, address.c_str(), cidr.addr.data()) != 1) {
    why_not = "bad CIDR '" + text + "': '" + address + "' is not an IPv4 or IPv6 address";
    return std::nullopt;
  }
  int max_length = address_bits(cidr.family);
  int length = max_length;
  if (slash != std::string::npos) {
    const char* first = text.data() + slash + 1;
    const char* last = text.data() + text.size();
    auto [end, status] = std::from_chars(first, last, length);
    if (first == last || end != last || status != std::errc() || length < 0 ||
        length > max_length) {
      why_not = "bad CIDR '" + text + "': the prefix length must be 0-" +
                std::to_string(max_length) +
                (cidr.family == Family::ipv4 ? " for IPv4" : " for IPv6");
      return std::nullopt;
    }
  }
  cidr.length = static_cast<uint8_t>(length);
  auto network = masked(cidr.addr, length);
  if (mask_host_bits) cidr.addr = network;
  if (network != cidr.addr) {
    Cidr suggestion = cidr;
    suggestion.addr = network;
    why_not = "host bits set in " + text + "; did you mean " + suggestion.to_string() + "?";
    return std::nullopt;
  }
  return cidr;
}

}  // namespace

std::optional<Cidr> parse_cidr(const std::string& text, std::string& why_not) {
  return parse(text, why_not, false);
}

std::optional<Cidr> interface_network(const std::string& text) {
  std::string ignored;
  return parse(text, ignored, true);
}

std::optional<Cidr> parse_cidr(const std::string& text) {
  std::string ignored;
  return parse_cidr(text, ignored);
}

}  // namespace westworld::policy
