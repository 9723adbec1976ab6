#include "westworld/governance/gov_store.h"

namespace westworld::governance {

bool GovernanceStore::create(const std::string& key, const std::string& value) {
  return store_.txn(mesh::Txn{{mesh::Compare::absent(key)}, {mesh::Put{key, value}}}).succeeded;
}

bool GovernanceStore::init(const Genesis& genesis) {
  return create(keys_.gov_genesis(), encode_genesis(genesis));
}

std::optional<Genesis> GovernanceStore::genesis() {
  const mesh::RangeReply reply = store_.get(keys_.gov_genesis());
  if (reply.kvs.empty()) return std::nullopt;
  return decode_genesis(reply.kvs.front().value);
}

bool GovernanceStore::add_proposal(const ProposalRecord& record) {
  return create(keys_.proposal(hex_id(proposal_id(record.proposal.proposal))),
                encode_proposal(record));
}

std::optional<ProposalRecord> GovernanceStore::proposal(std::string_view id) {
  const mesh::RangeReply reply = store_.get(keys_.proposal(id));
  if (reply.kvs.empty()) return std::nullopt;
  ProposalRecord record = decode_proposal(reply.kvs.front().value);
  // A record moved under another id is not the proposal that id names.
  if (hex_id(proposal_id(record.proposal.proposal)) != id)
    throw RecordError("governance proposal " + std::string(id) +
                      ": the record stored there is another proposal (its id is " +
                      hex_id(proposal_id(record.proposal.proposal)) + ")");
  return record;
}

std::vector<std::pair<std::string, std::variant<ProposalRecord, UnreadableRecord>>>
GovernanceStore::proposals() {
  std::vector<std::pair<std::string, std::variant<ProposalRecord, UnreadableRecord>>> out;
  const std::string prefix = keys_.proposals();
  for (const mesh::KeyValue& kv : store_.list(prefix).kvs) {
    const std::string id = kv.key.substr(prefix.size());
    try {
      ProposalRecord record = decode_proposal(kv.value);
      if (hex_id(proposal_id(record.proposal.proposal)) != id)
        throw RecordError("the record stored there is another proposal");
      out.emplace_back(id, std::move(record));
    } catch (const RecordError& e) {
      out.emplace_back(id, UnreadableRecord{kv.key, e.what()});
    }
  }
  return out;
}

bool GovernanceStore::add_vote(const SignedVote& vote) {
  mesh::check_mesh_name(vote.vote.voter, "voter id");
  return create(keys_.vote(hex_id(vote.vote.proposal), vote.vote.voter), encode_vote(vote));
}

GovernanceStore::Votes GovernanceStore::votes(std::string_view proposal) {
  Votes out;
  const std::string prefix = keys_.votes(proposal);
  for (const mesh::KeyValue& kv : store_.list(prefix).kvs) {
    try {
      SignedVote vote = decode_vote(kv.value);
      // One key per voter is what makes votes create-only per voter: a vote filed under
      // another voter's key would let one member occupy another's slot.
      if (vote.vote.voter != kv.key.substr(prefix.size()))
        throw RecordError("a vote by '" + vote.vote.voter + "' filed under another voter's key");
      out.votes.push_back(std::move(vote));
    } catch (const RecordError& e) {
      out.unreadable.push_back({kv.key, e.what()});
    }
  }
  return out;
}

}  // namespace westworld::governance
