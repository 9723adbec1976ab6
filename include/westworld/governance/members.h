// The members of a mesh's governance: who may vote, with which key, and with how much
// weight. A proposal carries the digest of the member set it was opened under (its
// snapshot), so a member added later cannot vote on it and the genesis set is pinned by
// one SHA-256 (`--gov-genesis`).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "westworld/capability/crypto.h"
#include "westworld/capability/ed25519.h"

namespace westworld::governance {

struct Member {
  std::string id;  // a node id, as in the peers file
  capability::PublicKey key{};
  std::uint64_t power = 1;  // voting weight, at least 1
};

struct MemberSet {
  std::vector<Member> members;

  std::uint64_t total_power() const;
  const Member* find(std::string_view id) const;  // nullptr when not a member
};

// Lines `ID BASE64-ED25519-PUBLIC-KEY [POWER]`, the peers file's format with an optional
// weight; `#` starts a comment, blank lines are ignored. Ids and keys are unique, the power
// is a positive decimal integer (default 1). Throws std::runtime_error "FILE:LINE: ...".
MemberSet parse_members(std::string_view text, std::string_view file_name);

// The set as a members file parse_members() reads back (sorted by id, power always given):
// what `wwctl gov members --file` prints for the next change to start from.
std::string format_members(const MemberSet& members);

// SHA-256 over a domain tag and every member (sorted by id, fields framed): independent
// of the file's line order, changed by any id, key or power.
capability::Digest members_digest(const MemberSet& members);

}  // namespace westworld::governance
