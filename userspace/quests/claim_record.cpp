#include "westworld/quests/claim_record.h"

#include <nlohmann/json.hpp>

#include "westworld/capability/bytes.h"
#include "westworld/governance/json_fields.h"

namespace westworld::quests {

std::string encode_claim_record(const ClaimRecord& record) {
  nlohmann::json values = nlohmann::json::object();
  for (const CatalogueEntry& entry : catalogue())
    if (const auto value = evidence_value(record.evidence, entry.kind))
      values[std::string(entry.name)] = *value;
  nlohmann::json doc = {
      {"format", kClaimRecordFormat},
      {"quest", record.quest},
      {"step", record.step},
      {"period", record.period},
      {"node", record.evidence.node_id},
      {"observed_at", record.evidence.observed_at.time_since_epoch().count()},
      {"values", values},
      {"signature", capability::to_base64(record.evidence.signature)},
  };
  if (!record.crisis_opener.empty()) doc["crisis"] = record.crisis_opener;
  return doc.dump();
}

ClaimRecord decode_claim_record(std::string_view text) {
  const governance::detail::JsonFields f(
      text, "quest claim record", kClaimRecordFormat,
      {"quest", "step", "period", "node", "observed_at", "values", "signature", "crisis"},
      {"crisis"});
  ClaimRecord record;
  record.quest = f.string("quest");
  record.step = f.string("step");
  record.period = f.integer("period");
  record.evidence.node_id = f.string("node");
  if (f.has("crisis")) {
    record.crisis_opener = f.string("crisis");
    if (record.crisis_opener.empty()) f.fail("crisis", "must name the router that opened it");
  }
  record.evidence.observed_at = common::UnixSeconds(std::chrono::seconds(f.integer("observed_at")));
  const auto signature = f.base64<64>("signature");
  record.evidence.signature.assign(signature.begin(), signature.end());

  const nlohmann::json& values = f.raw("values");
  if (!values.is_object()) f.fail("values", "must be an object of criterion: value");
  for (const auto& [name, value] : values.items()) {
    const CatalogueEntry* entry = find_criterion(name);
    if (!entry) f.fail("values." + name, "is not a criterion of the catalogue");
    if (!value.is_number_integer()) f.fail("values." + name, "must be an integer");
    try {
      set_evidence_value(record.evidence, entry->kind, value.get<int64_t>());
    } catch (const std::invalid_argument& e) {
      f.fail("values." + name, e.what());
    }
  }
  return record;
}

}  // namespace westworld::quests
