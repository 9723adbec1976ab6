#include "westworld/charter/restoration.h"

#include "westworld/capability/bytes.h"

namespace westworld::charter {

capability::Digest restore_digest(std::string_view node, std::string_view offender,
                                  std::int64_t violation) {
  capability::Sha256 hash;
  hash.update_framed(capability::as_bytes(std::string_view("westworld.charter.restore.v1")));
  hash.update_framed(capability::as_bytes(node));
  hash.update_framed(capability::as_bytes(offender));
  hash.update_u64_be(static_cast<std::uint64_t>(violation));
  return hash.finish();
}

}  // namespace westworld::charter
