// What a open Vault holds, shared by the files that implement it (vault*.cpp).
#pragma once

#include <memory>
#include <optional>

#include "vault_store.h"
#include "westworld/audit/audit_log.h"
#include "westworld/capability/ed25519.h"
#include "westworld/vault/vault.h"

namespace westworld::vault {

struct Vault::State {
  std::filesystem::path dir;
  VaultStore store;
  // The vault's own key: signs stored shares ("the dealer") and the audit log. It opens
  // nothing: shares are sealed to the guardians.
  capability::Ed25519KeyPair dealer;
  audit::AuditLog log;
  const capability::Clock* clock;
  std::shared_ptr<const AccessDecisions> decisions;
  std::optional<RotationStep> stop_after;

  EpochInfo current();
  // The guardian's slot in `epoch`; throws unless the key's id and public key match it.
  const GuardianSlot& slot_of(const EpochInfo& epoch, const GuardianKey& key) const;
  // Opens and checks the guardian's stored share: dealer signature, parts, commitments.
  ShareCheck check_share(const EpochInfo& epoch, const GuardianSlot& slot, const GuardianKey& key,
                         Scalar* opened);
  void record(std::string_view type, nlohmann::json fields);
  capability::UnixSeconds now() const { return clock->now(); }
};

// Binds an epoch's commitments, guardian list and ceremony nonce: what shares are signed under.
capability::Digest epoch_digest(const EpochInfo& epoch, capability::ByteView nonce);
std::string random_id(std::string_view prefix);

}  // namespace westworld::vault
