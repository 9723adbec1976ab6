// The vault's typed records, as the store keeps them and the facade returns them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "westworld/capability/bytes.h"
#include "westworld/capability/clock.h"
#include "westworld/vault/guardian_key.h"
#include "westworld/vault/ristretto.h"

namespace westworld::vault {

enum class ItemType { kArchive, kKnowledge, kIdentity };
std::string_view to_string(ItemType type);
std::optional<ItemType> parse_item_type(std::string_view text);

struct ItemSummary {
  std::string id;
  ItemType type = ItemType::kArchive;
  std::string title;  // metadata, stored in the clear: say nothing secret in a title
  std::uint32_t version = 1;
  std::uint64_t size = 0;
  capability::UnixSeconds created{};
};

struct GuardianSlot {
  GuardianPublic guardian;
  std::uint32_t index = 0;
};

struct EpochInfo {
  std::uint64_t epoch = 0;
  std::uint32_t threshold = 0;
  std::vector<Point> commitments;
  std::vector<GuardianSlot> guardians;
  capability::Bytes nonce;  // the ceremony that made the epoch (empty for init)
};

enum class RequestState { kOpen, kUsed, kClosed };

struct RequestRecord {
  std::string id;
  std::string item;
  bool emergency = false;
  capability::UnixSeconds created{};
  capability::UnixSeconds expires{};
  BoxPublicKey box_public{};  // releases are sealed to this key, for this request only
  RequestState state = RequestState::kOpen;
};

struct ReleaseRecord {
  std::string request;
  std::string guardian;
  std::uint64_t epoch = 0;
  std::uint32_t index = 0;
  capability::Bytes sealed;  // the share, sealed to the request's box key
  capability::Ed25519Signature signature{};
};

struct VoteRecord {
  std::string request;
  std::string guardian;
  bool yes = false;
  capability::Ed25519Signature signature{};
  capability::UnixSeconds cast{};
};

}  // namespace westworld::vault
