#include "westworld/quests/guardian_evidence.h"

#include "westworld/vault/guardian_key.h"

namespace westworld::quests {

vault::ShareCheck check_guardian_share(const std::filesystem::path& vault_dir,
                                       const std::filesystem::path& guardian_key_file) {
  const vault::GuardianKey key = vault::GuardianKey::load(guardian_key_file);
  return vault::Vault::open(vault_dir).verify_guardian(key);
}

void add_guardian_evidence(Evidence& evidence, const vault::ShareCheck& check) {
  evidence.guardian_share_verified = check.ok;
}

}  // namespace westworld::quests
