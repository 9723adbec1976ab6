// C2SP tlog checkpoints (c2sp.org/tlog-checkpoint): the signed-note text
//   ORIGIN\nTREE_SIZE\nBASE64(ROOT_HASH)\n[extension lines]
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "westworld/audit/merkle.h"

namespace westworld::audit {

struct Checkpoint {
  std::string origin;
  std::uint64_t size = 0;
  Hash root{};

  std::string text() const;
  static std::optional<Checkpoint> parse(std::string_view text);
  bool operator==(const Checkpoint&) const = default;
};

}  // namespace westworld::audit
