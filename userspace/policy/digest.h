// SHA-256 of the canonical compiled policy: the identity of what is applied.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace westworld::policy {

using Sha256 = std::array<uint8_t, 32>;

Sha256 sha256(std::string_view data);
std::string to_hex(const Sha256& digest);  // lowercase

}  // namespace westworld::policy
