// The ledger of record on a mesh: quest claims replicated through etcd, one create-only key
// per (quest, step, period, node), each holding the node's signed evidence (claim_record.h).
//
// Why etcd and not one node's ledger (the governance coordinator's): a coordinator would be a
// single party able to grant itself, or to refuse others, and its ledger would be lost or
// forked with it. Here etcd only orders writes: its create-only compare makes a claim granted
// once in the whole mesh however many nodes race for it, and every node rebuilds the same
// ledger from the same records, re-judging each one itself:
//  - the claiming node was a member (governance history, pinned by --gov-genesis) when it
//    observed, and the evidence verifies under that member's key;
//  - the quest and step exist in the reader's quest set and the evidence meets the step at the
//    time it was observed; the period is the one holding that time;
//  - the record sits under the key its fields name;
//  - what the mesh records itself (the signed ballots) bounds what the node reports;
//  - a crisis quest's claim names a crisis the mesh counts, and was observed inside it.
// So whoever controls etcd can withhold records but cannot make a reader count a forged one;
// a record that fails is named and refused, never mirrored.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "westworld/governance/membership.h"
#include "westworld/mesh/keys.h"
#include "westworld/mesh/kv_store.h"
#include "westworld/quests/claim_record.h"
#include "westworld/quests/ledger.h"
#include "westworld/quests/mesh_crises.h"
#include "westworld/quests/mesh_records.h"
#include "westworld/quests/quest.h"

namespace westworld::quests {

// What the mesh itself records, to check what a claim says against:
//  - a claim may not report more votes than the signed ballots in etcd show (they only grow,
//    so a recount now bounds any earlier count). An empty function checks nothing;
//  - a crisis quest's claim counts only inside a crisis the mesh counts (mesh_crises.h): the
//    one its record names, opened at its period. Without crises, none counts.
struct MeshWitness {
  std::function<uint64_t(const std::string& node)> votes_cast;
  std::vector<Crisis> crises;  // counted_crises() of the verified crisis records
};

// The claim a stored record proves, or why it proves none. `key` is where it was stored.
std::variant<Claim, std::string> verify_claim_record(
    std::string_view key, const ClaimRecord& record, const std::vector<Quest>& quests,
    const governance::MemberHistory& history, const mesh::MeshKeys& keys, common::UnixSeconds now,
    const MeshWitness& witness = {});

struct MeshClaims {
  std::vector<Claim> verified;  // in key order
  std::vector<RefusedRecord> refused;
};

class MeshClaimStore {
 public:
  MeshClaimStore(mesh::KvStore& store, const mesh::MeshKeys& keys) : store_(store), keys_(keys) {}

  // Writes `record` under its key unless a record is there already: true when this call
  // created it (the claim is granted in the mesh), false when it was claimed before.
  bool publish(const ClaimRecord& record);

  // Every stored record, judged (verify_claim_record).
  MeshClaims read(const std::vector<Quest>& quests, const governance::MemberHistory& history,
                  common::UnixSeconds now, const MeshWitness& witness = {});

 private:
  mesh::KvStore& store_;
  const mesh::MeshKeys& keys_;
};

}  // namespace westworld::quests
