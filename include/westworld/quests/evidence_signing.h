// A node's evidence signed by the node itself, so a claim cannot rest on values someone else
// wrote down for it. The signature covers a canonical encoding of every field (domain-separated,
// fixed framing), so altering any value, the node or the time after signing breaks it.
#pragma once

#include <string_view>

#include "westworld/capability/bytes.h"
#include "westworld/capability/ed25519.h"
#include "westworld/quests/claim.h"
#include "westworld/quests/evidence.h"

namespace westworld::quests {

// What is signed: "westworld/quests/evidence/v1\0", the node id (u32 length + bytes), the
// observation time (i64 Unix seconds), then for each catalogue criterion in enum order a
// presence byte and, when present, its value in the catalogue unit (i64). All big-endian.
capability::Bytes evidence_signing_bytes(const Evidence& evidence);

// Sets evidence.signature with `key`.
void sign_evidence(Evidence& evidence, const capability::Ed25519KeyPair& key);

// Whether evidence.signature is `key`'s over the evidence as it is now.
bool verify_evidence(const Evidence& evidence, const capability::PublicKey& key);

// decide_claim(), but only over evidence that is about `node` and signed by `node_key` (the
// claiming node's own key): anything else is refused as missing evidence before evaluation.
ClaimDecision decide_signed_claim(const Quest& quest, std::string_view step_id,
                                  const Evidence& evidence, std::string_view node,
                                  const capability::PublicKey& node_key,
                                  common::UnixSeconds activated, const common::Clock& clock,
                                  const Freshness& freshness = {});

}  // namespace westworld::quests
