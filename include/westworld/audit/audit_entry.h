// Typed audit records and the canonical bytes committed to the Merkle tree.
//
// Every record is {"type", "logged_at", "fields"} serialised as compact JSON with sorted
// keys. Fields that name a person (`who`, `actor`) are committed as
// {"salted_sha256": hex(SHA-256(salt || value))}; the salt and the value live in a
// separate table, so erasing both later leaves every tree hash and proof intact.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "westworld/capability/bytes.h"
#include "westworld/capability/clock.h"

namespace westworld::audit {

// The kinds of event the log records; the names are the JSON "type" values.
inline constexpr std::string_view kEntryTypes[] = {
    "policy_apply",            // {digest, token_id, signers[], actor?}
    "quarantine",              // {node, reason, actor?}
    "release",                 // {node, reason, actor?}
    "freeze",                  // {target, reason, actor?}
    "unfreeze",                // {target, reason, actor?}
    "emergency_override",      // {who, what, why, affected_nodes[], expiry, override?, decision?,
                               //  actor?}
    "charter_violation",       // {node, charter_clause, detail, actor?}
    "charter_restore",         // {node, violation, decision, voters[], actor?}
    "agent_start",             // {enforced_digest, file_digest, decision, actor?}
    "subject_erase",           // {erased_entries[], actor?}: never the subject itself
    "emergency_override_end",  // {override, what, reason, actor?}: the rules returned
    // Governance (governance/): what a router verified and applied, and the rollout's steps.
    "gov_apply",     // {digest, proposal, title?, decision, voters[], actor?}
    "gov_vote",      // {proposal, voter, choice, at, signature, actor?}: one counted vote
    "gov_rollback",  // {digest, proposal, decision, actor?}: back to the policy before it
    "gov_rollout",   // {proposal, step, detail, actor?}: the coordinator's steps
    // Quests (quests/): a settled batch of the rewards ledger, so its totals are checkable.
    "quest_settlement",  // {batch, first_transaction, last_transaction, entries, minted, digest,
                         //  actor?}
    // The Sublime shelter (vault/): never content, titles or key material.
    "vault_init",     // {epoch, threshold, guardians[]}
    "vault_put",      // {item, item_type}
    "vault_request",  // {request, item, mode}
    "vault_approve",  // {request, guardian, decision}
    "vault_vote",     // {request, guardian, vote}
    "vault_access",   // {request, item, decision, reason}: every attempt, granted or not
    "vault_erase",    // {item}
    "vault_rotate",   // {kind, epoch, nonce, guardians[], decision}
};

struct AuditRecord {
  std::string type;
  nlohmann::json fields = nlohmann::json::object();
};

inline constexpr std::size_t kPersonalSaltBytes = 32;

struct PersonalDatum {
  std::string field;
  capability::Bytes salt;
  std::string value;
};

struct PreparedEntry {
  std::string leaf;  // the canonical record, exactly as hashed into the tree
  std::vector<PersonalDatum> personal;
};

// Validates `record` against its type (unknown types and fields, missing or mistyped
// fields are std::invalid_argument) and draws a fresh salt for each personal field.
PreparedEntry prepare_entry(const AuditRecord& record, capability::UnixSeconds logged_at);

// Why a stored leaf is not a canonical, schema-valid record; nothing when it is.
std::optional<std::string> check_leaf(std::string_view leaf);

std::string personal_commitment(capability::ByteView salt, std::string_view value);

// Why `datum` does not open the commitment for its field in `leaf`; nothing when it does.
std::optional<std::string> check_personal_datum(std::string_view leaf, const PersonalDatum& datum);

// The record with its personal fields revealed where the data is still held, and
// {"erased": true, "salted_sha256": ...} where it was erased.
nlohmann::json reveal(std::string_view leaf, std::span<const PersonalDatum> personal);

}  // namespace westworld::audit
