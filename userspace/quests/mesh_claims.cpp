#include "westworld/quests/mesh_claims.h"

#include <algorithm>

#include "westworld/governance/records.h"
#include "westworld/quests/claim.h"
#include "westworld/quests/evidence_signing.h"

namespace westworld::quests {
namespace {

const Quest* find_quest(const std::vector<Quest>& quests, std::string_view id) {
  const auto it =
      std::find_if(quests.begin(), quests.end(), [&](const Quest& q) { return q.id == id; });
  return it == quests.end() ? nullptr : &*it;
}

std::string key_of(const mesh::MeshKeys& keys, const ClaimRecord& record) {
  return keys.quest_claim(record.quest, record.step, record.period, record.evidence.node_id);
}

}  // namespace

const governance::Member* registered_member(const governance::MemberHistory& history,
                                            std::string_view node, common::UnixSeconds at) {
  return history.current(at).members.find(node);
}

std::variant<Claim, std::string> verify_claim_record(
    std::string_view key, const ClaimRecord& record, const std::vector<Quest>& quests,
    const governance::MemberHistory& history, const mesh::MeshKeys& keys, common::UnixSeconds now,
    const MeshWitness& witness) {
  const std::string& node = record.evidence.node_id;
  std::string expected_key;
  try {
    expected_key = key_of(keys, record);
  } catch (const std::invalid_argument& e) {
    return std::string(e.what());
  }
  if (key != expected_key)
    return "the record names " + expected_key + ", not the key it is stored under";

  const Quest* quest = find_quest(quests, record.quest);
  if (!quest) return "no quest '" + record.quest + "' in this node's quest set";
  // A crisis quest opens on one node's detector alert; that alert is not in the record, so
  // another node has nothing to judge its window by.
  if (quest->opens_on)
    return "quest '" + quest->id + "' is a crisis quest, granted only on the node it opened on";

  const common::UnixSeconds observed = record.evidence.observed_at;
  if (observed > now + Freshness{}.max_skew)
    return "the evidence is dated " + std::to_string(observed.time_since_epoch().count()) +
           ", later than this node's clock allows";
  const governance::Member* member = registered_member(history, node, observed);
  if (!member) return "'" + node + "' was not a member of the mesh when it observed";
  if (!verify_evidence(record.evidence, member->key))
    return "the evidence's signature does not verify with the member key of '" + node + "'";

  if (witness.votes_cast && record.evidence.votes_cast) {
    const uint64_t recounted = witness.votes_cast(node);
    if (*record.evidence.votes_cast > recounted)
      return "the evidence reports " + std::to_string(*record.evidence.votes_cast) +
             " votes cast, the mesh's signed ballots show " + std::to_string(recounted);
  }

  // Judged as the claiming node judged it, at the time it observed: the evidence was fresh
  // then, and the quest open then.
  const common::ManualClock then(observed);
  const ClaimDecision decision =
      decide_claim(*quest, record.step, record.evidence, node, observed, then);
  if (!decision.claim)
    return std::string(outcome_name(decision.evaluation.outcome)) + ": " +
           decision.evaluation.reason;
  if (decision.claim->period != record.period)
    return "the record claims period " + std::to_string(record.period) +
           ", but the evidence was observed in period " + std::to_string(decision.claim->period);
  return *decision.claim;
}

bool MeshClaimStore::publish(const ClaimRecord& record) {
  const std::string key = key_of(keys_, record);
  return store_
      .txn(mesh::Txn{{mesh::Compare::absent(key)}, {mesh::Put{key, encode_claim_record(record)}}})
      .succeeded;
}

MeshClaims MeshClaimStore::read(const std::vector<Quest>& quests,
                                const governance::MemberHistory& history, common::UnixSeconds now,
                                const MeshWitness& witness) {
  MeshClaims out;
  for (const mesh::KeyValue& kv : store_.list(keys_.quest_claims()).kvs) {
    std::variant<Claim, std::string> verdict;
    try {
      verdict = verify_claim_record(kv.key, decode_claim_record(kv.value), quests, history, keys_,
                                    now, witness);
    } catch (const governance::RecordError& e) {
      verdict = std::string(e.what());
    }
    if (auto* claim = std::get_if<Claim>(&verdict))
      out.verified.push_back(std::move(*claim));
    else
      out.refused.push_back({kv.key, std::get<std::string>(verdict)});
  }
  return out;
}

}  // namespace westworld::quests
