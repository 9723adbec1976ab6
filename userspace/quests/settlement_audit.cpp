#include "westworld/quests/settlement_audit.h"

#include <map>
#include <nlohmann/json.hpp>

#include "westworld/capability/bytes.h"

namespace westworld::quests {
namespace {

// The audit schema keeps numbers as text; a field that does not read back is not a number
// the agent wrote, so the entry says nothing (and its batch shows as unpublished).
std::optional<int64_t> number(const nlohmann::json& fields, const char* name) {
  const auto it = fields.find(name);
  if (it == fields.end() || !it->is_string()) return std::nullopt;
  try {
    size_t used = 0;
    const int64_t value = std::stoll(it->get<std::string>(), &used);
    if (used != it->get<std::string>().size()) return std::nullopt;
    return value;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace

std::vector<PublishedSettlement> published_settlements(const audit::AuditLog& log) {
  std::vector<PublishedSettlement> out;
  for (uint64_t index = 0; index < log.size(); ++index) {
    const nlohmann::json leaf = nlohmann::json::parse(log.entry(index).leaf, nullptr, false);
    if (!leaf.is_object() || leaf.value("type", "") != "quest_settlement") continue;
    const nlohmann::json& fields = leaf["fields"];
    const auto batch = number(fields, "batch"), first = number(fields, "first_transaction"),
               last = number(fields, "last_transaction"), entries = number(fields, "entries"),
               minted = number(fields, "minted");
    if (!batch || !first || !last || !entries || !minted) continue;
    out.push_back(
        {index, *batch, *first, *last, *entries, *minted, fields.value("digest", std::string())});
  }
  return out;
}

std::vector<std::string> settlement_mismatches(const std::vector<Batch>& batches,
                                               const std::vector<PublishedSettlement>& published) {
  std::map<int64_t, const PublishedSettlement*> by_batch;
  std::vector<std::string> problems;
  for (const PublishedSettlement& p : published) {
    if (by_batch.contains(p.batch))
      problems.push_back("batch " + std::to_string(p.batch) + " is published twice (audit entry " +
                         std::to_string(p.audit_index) + ")");
    else
      by_batch[p.batch] = &p;
  }
  for (const Batch& batch : batches) {
    const std::string name = "batch " + std::to_string(batch.id);
    const auto it = by_batch.find(batch.id);
    if (it == by_batch.end()) {
      problems.push_back(name + " is not in the audit log");
      continue;
    }
    const PublishedSettlement& p = *it->second;
    const std::string entry = " (audit entry " + std::to_string(p.audit_index) + ")";
    if (p.digest != capability::to_hex(batch.digest))
      problems.push_back(name + "'s digest is not the one published" + entry);
    else if (p.first_transaction != batch.first_transaction ||
             p.last_transaction != batch.last_transaction || p.entries != batch.entries ||
             p.minted != batch.minted)
      problems.push_back(name + "'s totals are not the ones published" + entry);
    by_batch.erase(it);
  }
  for (const auto& [id, p] : by_batch)
    problems.push_back("batch " + std::to_string(id) + " was published (audit entry " +
                       std::to_string(p->audit_index) + ") but is not in the ledger");
  return problems;
}

}  // namespace westworld::quests
