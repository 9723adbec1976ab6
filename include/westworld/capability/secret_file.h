// Key files: created 0600 and never overwritten; refused when group or others may read them.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "westworld/capability/crypto.h"
#include "westworld/capability/ed25519.h"

namespace westworld::capability {

// Creates `path` with mode 0600 holding `content`, durably. Refuses to replace an existing
// file, so a typo cannot destroy the key every token was minted with.
void write_new_secret_file(const std::filesystem::path& path, std::string_view content);

// Reads a regular file whose mode grants nothing to group or others.
std::string read_secret_file(const std::filesystem::path& path);

// A macaroon root key file holds 64 hex characters (32 random bytes) and a newline.
using RootKey = SecretBytes<32>;
RootKey generate_root_key();
void create_root_key_file(const std::filesystem::path& path, const RootKey& key);
RootKey read_root_key_file(const std::filesystem::path& path);
RootKey parse_root_key(std::string_view text);

// A peer's (or operator's, or member's) Ed25519 key as `wwctl peer keygen` writes it: the
// 32-byte seed in 64 hex characters, mode 0600. Throws naming the file when it is not one.
Ed25519KeyPair read_peer_key(const std::filesystem::path& path);

}  // namespace westworld::capability
