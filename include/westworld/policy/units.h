// Quantities as operators write them in a policy (and in a Cradle experiment): rates with
// bit units, sizes with byte units, ports and port ranges.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "westworld/policy/model.h"

namespace westworld::policy {

// "200Mbit" -> 200000000. A plain integer is bits per second; units are
// decimal (bit, Kbit, Mbit, Gbit; tc's kbit, mbit, gbit too).
std::optional<uint64_t> parse_bit_rate(std::string_view text);

// "4MB" -> 4194304. A plain integer is bytes; units are binary whichever way
// they are spelled (B, KB/KiB, MB/MiB, GB/GiB).
std::optional<uint64_t> parse_byte_size(std::string_view text);

// "4317" or "9000-9100", both ends inclusive.
std::optional<PortRange> parse_port_range(std::string_view text, std::string& why_not);

}  // namespace westworld::policy
