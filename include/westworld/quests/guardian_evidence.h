// Quest evidence from the vault: guardian_share_verified is what `wwctl vault guardian verify`
// checks, the guardian's share opened with its own key and matched against the vault's public
// (Feldman) commitments. Only the guardian's key opens the share, so only the guardian can
// produce it.
#pragma once

#include <filesystem>

#include "westworld/quests/evidence.h"
#include "westworld/vault/vault.h"

namespace westworld::quests {

// Opens the vault at `vault_dir` and checks the share of the guardian whose key is in
// `guardian_key_file`. Throws when the vault or the key cannot be read.
vault::ShareCheck check_guardian_share(const std::filesystem::path& vault_dir,
                                       const std::filesystem::path& guardian_key_file);

void add_guardian_evidence(Evidence& evidence, const vault::ShareCheck& check);

}  // namespace westworld::quests
