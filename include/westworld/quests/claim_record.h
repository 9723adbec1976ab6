// A quest claim as the mesh keeps it in etcd: the claimed (quest, step, period) with the
// claiming node's signed evidence. The record carries the evidence rather than the verdict, so
// every reader judges the claim itself and nobody (the claimant, another node, whoever
// controls etcd) can make a reader count a grant the evidence does not support.
//
//   {"format": "westworld/quest-claim/v1", "quest": ID, "step": ID, "period": N,
//    "node": ID, "observed_at": UNIX-SECONDS, "values": {CRITERION: VALUE, ...},
//    "signature": BASE64, "crisis": ID}
//
// `crisis`, only in a crisis quest's claim, names the router that opened the crisis (its record
// is under quests/crises/<kind>/<period>/<ID>, mesh_crises.h): the period is its opening.
// `values` holds every criterion the evidence has, in its catalogue unit (milliseconds, a
// count, 0 or 1); `signature` is the node's Ed25519 signature over evidence_signing_bytes().
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "westworld/quests/evidence.h"

namespace westworld::quests {

inline constexpr std::string_view kClaimRecordFormat = "westworld/quest-claim/v1";

struct ClaimRecord {
  std::string quest;
  std::string step;
  int64_t period = 0;
  Evidence evidence;          // evidence.node_id is the claiming node
  std::string crisis_opener;  // a crisis quest's: the router that opened the crisis; else empty
};

std::string encode_claim_record(const ClaimRecord& record);

// Strict, like every record read from etcd: an unknown or missing field, a wrong type, an
// unknown criterion or an impossible value throws governance::RecordError naming the field.
ClaimRecord decode_claim_record(std::string_view text);

}  // namespace westworld::quests
