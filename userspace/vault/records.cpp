#include "westworld/vault/records.h"

namespace westworld::vault {

std::string_view to_string(ItemType type) {
  switch (type) {
    case ItemType::kArchive:
      return "archive";
    case ItemType::kKnowledge:
      return "knowledge";
    case ItemType::kIdentity:
      return "identity";
  }
  return "identity";
}

std::optional<ItemType> parse_item_type(std::string_view text) {
  if (text == "archive") return ItemType::kArchive;
  if (text == "knowledge") return ItemType::kKnowledge;
  if (text == "identity") return ItemType::kIdentity;
  return std::nullopt;
}

}  // namespace westworld::vault
