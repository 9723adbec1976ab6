// A crisis as the mesh keeps it in etcd: published by the router whose detector opened it,
// signed with that router's member key, so that the other members may claim its crisis quests
// (mesh_crises.h) and nobody else (another member, whoever controls etcd) can open one in its
// name.
//
//   {"format": "westworld/quest-crisis/v1", "kind": "flood", "node": ID, "subject": TEXT,
//    "alert": N, "opened_at": UNIX-SECONDS, "signature": BASE64}
//
// It closes kCrisisWindow after opened_at: the window is the protocol's, not the record's, so
// a record cannot stretch it. `signature` is the node's Ed25519 signature over
// crisis_signing_bytes().
#pragma once

#include <string>
#include <string_view>

#include "westworld/capability/bytes.h"
#include "westworld/capability/ed25519.h"
#include "westworld/quests/crisis.h"

namespace westworld::quests {

inline constexpr std::string_view kCrisisRecordFormat = "westworld/quest-crisis/v1";

struct CrisisRecord {
  CrisisKind kind = CrisisKind::flood;
  std::string node;  // the router that opened it
  std::string subject;
  uint64_t alert_id = 0;
  common::UnixSeconds opened_at;
  capability::Bytes signature;

  // The crisis it announces (id 0: it is not a row of this node's board).
  Crisis crisis() const;
};

// The record announcing `crisis`, opened by `node` and signed with its `key`.
CrisisRecord signed_crisis_record(const Crisis& crisis, std::string_view node,
                                  const capability::Ed25519KeyPair& key);

// What is signed: "westworld/quests/crisis/v1\0", then the node, the kind's name and the
// subject (each a u32 length + bytes), the alert (u64) and opened_at (i64 Unix seconds), all
// big-endian.
capability::Bytes crisis_signing_bytes(const CrisisRecord& record);
bool verify_crisis_signature(const CrisisRecord& record, const capability::PublicKey& key);

std::string encode_crisis_record(const CrisisRecord& record);
// Strict: an unknown or missing field, a wrong type or an unknown kind throws
// governance::RecordError naming the field.
CrisisRecord decode_crisis_record(std::string_view text);

}  // namespace westworld::quests
