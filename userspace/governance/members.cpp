#include "westworld/governance/members.h"

#include <algorithm>
#include <charconv>
#include <limits>
#include <optional>
#include <sstream>
#include <stdexcept>

#include "westworld/capability/bytes.h"

namespace westworld::governance {
namespace {

using capability::as_bytes;

constexpr std::string_view kMembersDomain = "westworld.governance.members.v1";

// Digits only (no sign, no spaces), at least 1, no overflow.
std::optional<std::uint64_t> parse_power(std::string_view text) {
  if (text.empty() ||
      !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value == 0) return std::nullopt;
  return value;
}

}  // namespace

std::uint64_t MemberSet::total_power() const {
  std::uint64_t total = 0;
  for (const Member& m : members) {
    if (m.power > std::numeric_limits<std::uint64_t>::max() - total)
      throw std::overflow_error("the members' total power overflows 64 bits");
    total += m.power;
  }
  return total;
}

const Member* MemberSet::find(std::string_view id) const {
  for (const Member& m : members)
    if (m.id == id) return &m;
  return nullptr;
}

MemberSet parse_members(std::string_view text, std::string_view file_name) {
  MemberSet set;
  std::istringstream in{std::string(text)};
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    const std::string where = std::string(file_name) + ":" + std::to_string(number) + ": ";
    std::istringstream fields(line.substr(0, line.find('#')));
    std::string id, key_text, power_text, extra;
    if (!(fields >> id)) continue;  // blank or comment only
    if (!(fields >> key_text) || (fields >> power_text && fields >> extra))
      throw std::runtime_error(where + "expected 'ID BASE64-ED25519-PUBLIC-KEY [POWER]'");
    const auto key = capability::parse_ed25519_public_key(key_text);
    if (!key)
      throw std::runtime_error(where + "'" + key_text + "' is not a base64 Ed25519 public key");
    std::uint64_t power = 1;
    if (!power_text.empty()) {
      const auto parsed = parse_power(power_text);
      if (!parsed)
        throw std::runtime_error(where + "the power '" + power_text +
                                 "' is not a positive integer");
      power = *parsed;
    }
    for (const Member& m : set.members) {
      if (m.id == id) throw std::runtime_error(where + "member '" + id + "' is listed twice");
      if (m.key == *key)
        throw std::runtime_error(where + "the key of '" + id + "' is already member '" + m.id +
                                 "'s");
    }
    set.members.push_back({id, *key, power});
  }
  set.total_power();  // refuses a set whose weights overflow
  return set;
}

namespace {

std::vector<const Member*> sorted_by_id(const MemberSet& set) {
  std::vector<const Member*> by_id;
  for (const Member& m : set.members) by_id.push_back(&m);
  std::sort(by_id.begin(), by_id.end(),
            [](const Member* a, const Member* b) { return a->id < b->id; });
  return by_id;
}

}  // namespace

std::string format_members(const MemberSet& set) {
  std::string text;
  for (const Member* m : sorted_by_id(set))
    text += m->id + ' ' + capability::to_base64(m->key) + ' ' + std::to_string(m->power) + '\n';
  return text;
}

capability::Digest members_digest(const MemberSet& set) {
  const std::vector<const Member*> by_id = sorted_by_id(set);
  capability::Sha256 hash;
  hash.update_framed(as_bytes(kMembersDomain));
  hash.update_u64_be(by_id.size());
  for (const Member* m : by_id) {
    hash.update_framed(as_bytes(m->id));
    hash.update_framed(m->key);
    hash.update_u64_be(m->power);
  }
  return hash.finish();
}

}  // namespace westworld::governance
