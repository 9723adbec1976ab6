// What every reader of the mesh's quest records (claims, crises) shares: who may earn or open
// anything (a registered member, by the governance history the routers pinned), and how a
// record that fails its checks is named.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "westworld/common/clock.h"
#include "westworld/governance/membership.h"
#include "westworld/governance/records.h"
#include "westworld/mesh/kv_store.h"

namespace westworld::quests {

// The member `node` is in the set current at `at`, or nullptr: only registered members earn.
const governance::Member* registered_member(const governance::MemberHistory& history,
                                            std::string_view node, common::UnixSeconds at);

// Why a record read from `key` does not sit where its own fields put it, or nothing: `key_of()`
// gives that place, and throws std::invalid_argument for a field no key can hold. A record
// copied under another key (another node's, another period) must not count there.
template <typename KeyOf>
std::optional<std::string> misplaced_record(std::string_view key, KeyOf key_of) {
  std::string expected;
  try {
    expected = key_of();
  } catch (const std::invalid_argument& e) {
    return std::string(e.what());
  }
  if (key != expected) return "the record names " + expected + ", not the key it is stored under";
  return std::nullopt;
}

struct RefusedRecord {
  std::string key;
  std::string reason;
};

// Judges each stored record with `judge` (KeyValue -> variant<Verified, reason>): what it
// verifies goes to `verified`, the rest to `refused` with its reason, a record that does not
// even decode (governance::RecordError) included.
template <typename Verified, typename Judge>
void judge_records(const std::vector<mesh::KeyValue>& stored, Judge judge,
                   std::vector<Verified>& verified, std::vector<RefusedRecord>& refused) {
  for (const mesh::KeyValue& kv : stored) {
    std::variant<Verified, std::string> verdict;
    try {
      verdict = judge(kv);
    } catch (const governance::RecordError& e) {
      verdict = std::string(e.what());
    }
    if (auto* good = std::get_if<Verified>(&verdict))
      verified.push_back(std::move(*good));
    else
      refused.push_back({kv.key, std::get<std::string>(verdict)});
  }
}

}  // namespace westworld::quests
