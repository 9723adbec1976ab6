// Governance records in the mesh's etcd. Proposals and votes are create-only (a second
// write to the same key fails, so nobody can replace a vote or a proposal), and nothing
// read back is trusted: readers decode strictly here and verify signatures and the genesis
// digest in decide().
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "westworld/governance/genesis.h"
#include "westworld/governance/records.h"
#include "westworld/mesh/keys.h"
#include "westworld/mesh/kv_store.h"

namespace westworld::governance {

// A record that is there but does not decode: its key and what is wrong with it.
struct UnreadableRecord {
  std::string key;
  std::string error;
};

class GovernanceStore {
 public:
  GovernanceStore(mesh::KvStore& store, const mesh::MeshKeys& keys) : store_(store), keys_(keys) {}

  // Stores the genesis unless the mesh has one; false when it had one already.
  bool init(const Genesis& genesis);
  // The stored genesis: nothing when none was stored; throws RecordError when it does not
  // decode. Whether it is the right one is the reader's check (genesis_digest()).
  std::optional<Genesis> genesis();

  // Create-only; false when a proposal with this id exists already.
  bool add_proposal(const ProposalRecord& record);
  // Nothing when no such proposal; throws RecordError when the stored record is damaged.
  std::optional<ProposalRecord> proposal(std::string_view id);
  // Every stored proposal (by id), or what is wrong with it.
  std::vector<std::pair<std::string, std::variant<ProposalRecord, UnreadableRecord>>> proposals();

  // Create-only under votes/<proposal>/<voter>; false when this voter's key has a vote.
  bool add_vote(const SignedVote& vote);
  struct Votes {
    std::vector<SignedVote> votes;
    std::vector<UnreadableRecord> unreadable;  // undecodable, or filed under another voter
  };
  Votes votes(std::string_view proposal);

  mesh::KvStore& kv() { return store_; }
  const mesh::MeshKeys& keys() const { return keys_; }

 private:
  bool create(const std::string& key, const std::string& value);

  mesh::KvStore& store_;
  const mesh::MeshKeys& keys_;
};

}  // namespace westworld::governance
