#include "westworld/quests/mesh_crises.h"

#include "westworld/quests/evaluate.h"

namespace westworld::quests {
namespace {

std::string key_of(const mesh::MeshKeys& keys, const CrisisRecord& record) {
  return keys.quest_crisis(crisis_kind_name(record.kind),
                           record.opened_at.time_since_epoch().count(), record.node);
}

}  // namespace

std::variant<Crisis, std::string> verify_crisis_record(std::string_view key,
                                                       const CrisisRecord& record,
                                                       const governance::MemberHistory& history,
                                                       const mesh::MeshKeys& keys,
                                                       common::UnixSeconds now) {
  if (auto misplaced = misplaced_record(key, [&] { return key_of(keys, record); }))
    return std::move(*misplaced);
  if (record.opened_at > now + Freshness{}.max_skew)
    return "the crisis opens at " + std::to_string(record.opened_at.time_since_epoch().count()) +
           ", later than this node's clock allows";
  const governance::Member* member = registered_member(history, record.node, record.opened_at);
  if (!member)
    return "'" + record.node + "' was not a member of the mesh when it opened the crisis";
  if (!verify_crisis_signature(record, member->key))
    return "the crisis's signature does not verify with the member key of '" + record.node + "'";
  return record.crisis();
}

bool MeshCrisisStore::publish(const CrisisRecord& record) {
  const std::string key = key_of(keys_, record);
  return store_
      .txn(mesh::Txn{{mesh::Compare::absent(key)}, {mesh::Put{key, encode_crisis_record(record)}}})
      .succeeded;
}

MeshCrises MeshCrisisStore::read(const governance::MemberHistory& history,
                                 common::UnixSeconds now) {
  MeshCrises out;
  std::vector<Crisis> verified;
  judge_records(
      store_.list(keys_.quest_crises()).kvs,
      [&](const mesh::KeyValue& kv) {
        return verify_crisis_record(kv.key, decode_crisis_record(kv.value), history, keys_, now);
      },
      verified, out.refused);
  out.counted = counted_crises(verified);
  for (const Crisis& crisis : verified)
    if (!find_crisis(out.counted, crisis.kind, crisis.opener, crisis.opened_at))
      out.superseded.push_back(crisis);
  return out;
}

}  // namespace westworld::quests
