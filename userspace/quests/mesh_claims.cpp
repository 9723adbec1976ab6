#include "westworld/quests/mesh_claims.h"

#include <algorithm>

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

std::variant<Claim, std::string> verify_claim_record(
    std::string_view key, const ClaimRecord& record, const std::vector<Quest>& quests,
    const governance::MemberHistory& history, const mesh::MeshKeys& keys, common::UnixSeconds now,
    const MeshWitness& witness) {
  const std::string& node = record.evidence.node_id;
  const common::UnixSeconds observed = record.evidence.observed_at;
  if (auto misplaced = misplaced_record(key, [&] { return key_of(keys, record); }))
    return std::move(*misplaced);

  const Quest* quest = find_quest(quests, record.quest);
  if (!quest) return "no quest '" + record.quest + "' in this node's quest set";
  // A crisis quest is open only inside a crisis: the one the record names, which the mesh must
  // count (a crisis kept on one router's board is that router's alone, and not replicated).
  // When the quest opened: a standing quest is judged as open from the observation.
  common::UnixSeconds activated = observed;
  const Crisis* crisis = nullptr;
  if (quest->opens_on) {
    if (record.crisis_opener.empty())
      return "quest '" + quest->id + "' is a crisis quest, and the record names no crisis";
    activated = common::UnixSeconds(std::chrono::seconds(record.period));
    crisis = find_crisis(witness.crises, *quest->opens_on, record.crisis_opener, activated);
    if (!crisis)
      return "the mesh counts no " + std::string(crisis_kind_name(*quest->opens_on)) +
             " crisis opened by '" + record.crisis_opener + "' at " + std::to_string(record.period);
  } else if (!record.crisis_opener.empty()) {
    return "quest '" + quest->id + "' is not a crisis quest, but the record names a crisis";
  }

  if (observed > now + Freshness{}.max_skew)
    return "the evidence is dated " + std::to_string(observed.time_since_epoch().count()) +
           ", later than this node's clock allows";
  if (crisis && !crisis->open_at(observed))
    return "the evidence was observed at " + std::to_string(observed.time_since_epoch().count()) +
           ", outside the crisis it claims (open " +
           std::to_string(crisis->opened_at.time_since_epoch().count()) + " to " +
           std::to_string(crisis->closes_at.time_since_epoch().count()) + ")";
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
  // then, and the quest open then (a standing quest from then, a crisis quest from its crisis).
  const common::ManualClock then(observed);
  const ClaimDecision decision =
      decide_claim(*quest, record.step, record.evidence, node, activated, then);
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
  judge_records(
      store_.list(keys_.quest_claims()).kvs,
      [&](const mesh::KeyValue& kv) {
        return verify_claim_record(kv.key, decode_claim_record(kv.value), quests, history, keys_,
                                   now, witness);
      },
      out.verified, out.refused);
  return out;
}

}  // namespace westworld::quests
