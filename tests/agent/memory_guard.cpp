#include "memory_guard.h"

#include <stdexcept>

#include "westworld/anomaly/source_key.h"
#include "westworld/policy/loader.h"

namespace westworld::agent_test {

MemoryGuard::MemoryGuard(const std::string& policy_yaml) {
  policy::LoadResult loaded = policy::load_policy_text(policy_yaml, "test.yaml");
  if (!loaded.policy) {
    std::string errors;
    for (const auto& d : loaded.diagnostics) errors += d.format() + "\n";
    throw std::invalid_argument("test policy rejected:\n" + errors);
  }
  policy_ = std::move(*loaded.policy);
}

MemoryGuard::KeyBytes MemoryGuard::bytes_of(const ww_source_key& key) {
  return {reinterpret_cast<const char*>(&key), sizeof key};
}

ww_source_key MemoryGuard::key_of(const std::string& address) const {
  std::string why_not;
  auto key = anomaly::parse_source(address, policy_.identity_ipv4_prefix,
                                   policy_.identity_ipv6_prefix, why_not);
  if (!key) throw std::invalid_argument(address + ": " + why_not);
  return *key;
}

void MemoryGuard::send(const std::string& address, uint64_t packets, uint32_t ifindex) {
  const ww_source_key key = key_of(address);
  for (size_t i = 0; i < sources_.keys.size(); ++i) {
    if (bytes_of(sources_.keys[i]) == bytes_of(key)) {
      sources_.values[i].packets += packets;
      sources_.values[i].bytes += packets * 100;
      sources_.values[i].last_ifindex = ifindex;
      return;
    }
  }
  ww_source value{};
  value.packets = packets;
  value.bytes = packets * 100;
  value.last_ifindex = ifindex;
  sources_.keys.push_back(key);
  sources_.values.push_back(value);
}

void MemoryGuard::add_router_address(const std::string& address) {
  router_.push_back(policy::parse_cidr(address).value());
}

std::optional<ww_quarantine> MemoryGuard::quarantine_of(const std::string& address) const {
  return find_quarantine(key_of(address));
}

std::vector<dataplane::QuarantineEntry> MemoryGuard::read_quarantines() const {
  std::vector<dataplane::QuarantineEntry> entries;
  for (const auto& [bytes, entry] : quarantines_) entries.push_back(entry);
  return entries;
}

std::optional<ww_quarantine> MemoryGuard::find_quarantine(const ww_source_key& key) const {
  auto found = quarantines_.find(bytes_of(key));
  if (found == quarantines_.end()) return std::nullopt;
  return found->second.value;
}

void MemoryGuard::write_quarantine(const ww_source_key& key, const ww_quarantine& value) {
  quarantines_[bytes_of(key)] = {key, value};
}

bool MemoryGuard::delete_quarantine(const ww_source_key& key) {
  return quarantines_.erase(bytes_of(key)) > 0;
}

}  // namespace westworld::agent_test
