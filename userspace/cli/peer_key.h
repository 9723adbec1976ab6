// Peer keys as `wwctl peer keygen` writes them; read by capability::read_peer_key, which the
// agent shares.
#pragma once

#include "westworld/capability/secret_file.h"

namespace westworld::cli {

using capability::read_peer_key;

}  // namespace westworld::cli
