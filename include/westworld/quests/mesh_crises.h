// Crises shared by the mesh: the router whose detector contained a flood publishes the crisis
// it opened (crisis_record.h, signed with its member key) under a create-only key, and every
// member reads them to open its own crisis quests, so the nodes that helped (kept enforcing,
// relayed, ran the experiment) can claim them, not only the router that saw the flood.
//
// Every reader judges every record itself, as it judges claims (mesh_claims.h): the record sits
// under the key its fields name, it is not dated after the reader's clock allows, and its
// router was a member when it opened it and signed it with that member key. So whoever controls
// etcd can withhold a crisis but cannot make a reader count one no member opened.
//
// One rule makes the readers count the same crises (counted_crises, crisis.h): of the verified
// crises of a kind, in order of opening (then of router id), one counts when no crisis already
// counted is open at its opening. The rule the board applies on one node, applied to the mesh:
// a flood that several routers contained is one crisis, and a member cannot open crises faster
// than one per window.
#pragma once

#include <string_view>
#include <variant>
#include <vector>

#include "westworld/mesh/keys.h"
#include "westworld/mesh/kv_store.h"
#include "westworld/quests/crisis_record.h"
#include "westworld/quests/mesh_records.h"

namespace westworld::quests {

// The crisis a stored record announces, or why it announces none. `key` is where it was stored.
std::variant<Crisis, std::string> verify_crisis_record(std::string_view key,
                                                       const CrisisRecord& record,
                                                       const governance::MemberHistory& history,
                                                       const mesh::MeshKeys& keys,
                                                       common::UnixSeconds now);

struct MeshCrises {
  std::vector<Crisis> counted;     // oldest first
  std::vector<Crisis> superseded;  // verified, but opened while a counted one was open
  std::vector<RefusedRecord> refused;
};

class MeshCrisisStore {
 public:
  MeshCrisisStore(mesh::KvStore& store, const mesh::MeshKeys& keys) : store_(store), keys_(keys) {}

  // Writes `record` under its key unless one is there: true when this call created it.
  bool publish(const CrisisRecord& record);

  // Every stored crisis, judged (verify_crisis_record) and counted (counted_crises).
  MeshCrises read(const governance::MemberHistory& history, common::UnixSeconds now);

 private:
  mesh::KvStore& store_;
  const mesh::MeshKeys& keys_;
};

}  // namespace westworld::quests
