#include "westworld/control/policy_record.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "westworld/common/atomic_file.h"

namespace westworld::control {
namespace {

using nlohmann::json;

std::string record_path(const std::string& state_dir) { return state_dir + "/policy.json"; }

json to_json(const PolicyRecord& record) {
  json rules = json::array();
  for (const RuleLabel& rule : record.rules)
    rules.push_back({{"name", rule.name}, {"action", rule.action}});
  json out = {{"digest", record.digest},
              {"source", record.source},
              {"policy", record.policy_text},
              {"rules", rules}};
  if (!record.lifted.empty()) {
    out["lifted"] = record.lifted;
    out["approved_digest"] = record.approved_digest;
  }
  return out;
}

std::optional<PolicyRecord> from_json(const json& j) {
  if (!j.is_object()) return std::nullopt;
  PolicyRecord record;
  auto text = [&](const json& object, const char* key, std::string& out) {
    auto it = object.find(key);
    if (it == object.end() || !it->is_string()) return false;
    out = it->get<std::string>();
    return true;
  };
  if (!text(j, "digest", record.digest) || !text(j, "source", record.source)) return std::nullopt;
  text(j, "policy", record.policy_text);  // absent in records of older agents
  auto rules = j.find("rules");
  if (rules == j.end() || !rules->is_array()) return std::nullopt;
  for (const json& rule : *rules) {
    RuleLabel label;
    if (!rule.is_object() || !text(rule, "name", label.name) || !text(rule, "action", label.action))
      return std::nullopt;
    record.rules.push_back(std::move(label));
  }
  if (auto lifted = j.find("lifted"); lifted != j.end()) {  // only while an override runs
    if (!lifted->is_array() || !text(j, "approved_digest", record.approved_digest))
      return std::nullopt;
    for (const json& name : *lifted) {
      if (!name.is_string()) return std::nullopt;
      record.lifted.push_back(name.get<std::string>());
    }
  }
  return record;
}

}  // namespace

dataplane::PolicyLabels PolicyRecord::labels() const {
  dataplane::PolicyLabels labels;
  labels.source = source;
  for (const RuleLabel& rule : rules) labels.rule_names.push_back(rule.name);
  return labels;
}

PolicyRecord make_policy_record(const policy::CompiledPolicy& compiled, std::string source,
                                std::string policy_text) {
  PolicyRecord record;
  record.digest = compiled.digest_hex;
  record.source = std::move(source);
  record.policy_text = std::move(policy_text);
  for (const auto& rule : compiled.rules)
    record.rules.push_back({rule.name, std::string(policy::to_string(rule.action))});
  return record;
}

void save_policy_record(const std::string& state_dir, const PolicyRecord& record) {
  common::write_file_atomically(
      record_path(state_dir),
      to_json(record).dump(2, ' ', false, json::error_handler_t::replace) + "\n");
}

std::optional<PolicyRecord> load_policy_record(const std::string& state_dir) {
  std::ifstream in(record_path(state_dir));
  if (!in) return std::nullopt;
  return from_json(json::parse(in, nullptr, /*allow_exceptions=*/false));
}

}  // namespace westworld::control
