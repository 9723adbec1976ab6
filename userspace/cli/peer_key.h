// A peer's (or operator's) Ed25519 key as `wwctl peer keygen` writes it: the 32-byte seed in
// 64 hex characters, mode 0600. Throws naming the file when it is not one.
#pragma once

#include <string>

#include "westworld/capability/ed25519.h"

namespace westworld::cli {

capability::Ed25519KeyPair read_peer_key(const std::string& path);

}  // namespace westworld::cli
