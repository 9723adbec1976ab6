// The vault's SQLite schema and queries (vault.db). WAL with synchronous=FULL for
// durability, secure_delete=ON so deleted rows are overwritten with zeros in the file.
//
//   meta(key, value)                          'active_epoch'
//   epochs(epoch, threshold, commitments, state, kind, nonce)   state: active|pending|retired
//   guardians(epoch, idx, id, sign_key)
//   shares(epoch, idx, parts, public, signature)   sealed share parts, signed by the dealer
//   items(id, type, title, version, size, created, ephemeral, wrapped_key, ciphertext)
//   requests(id, item, emergency, created, expires, box_public, box_secret, state)
//   releases(request, guardian, epoch, idx, sealed, signature)
//   votes(request, guardian, yes, signature, cast_at)
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "westworld/audit/sqlite.h"
#include "westworld/vault/records.h"
#include "westworld/vault/secret_buffer.h"

namespace westworld::vault {

struct StoredShare {
  std::uint64_t epoch = 0;
  std::uint32_t index = 0;
  capability::Bytes parts;  // encode_parts()
  Point public_value{};
  capability::Ed25519Signature signature{};
};

struct StoredItem {
  ItemSummary summary;
  Point ephemeral{};
  capability::Bytes wrapped_key;
  capability::Bytes ciphertext;
};

struct PendingEpoch {
  EpochInfo info;
  std::string kind;
  capability::Bytes nonce;
};

class VaultStore {
 public:
  VaultStore(const std::filesystem::path& path, bool create);

  audit::sqlite::Transaction begin_write() { return audit::sqlite::Transaction(db_); }

  std::optional<std::uint64_t> active_epoch();
  void set_active_epoch(std::uint64_t epoch);

  // An epoch with its guardians; `state` is "active" or "pending".
  void insert_epoch(const EpochInfo& epoch, std::string_view state, std::string_view kind,
                    capability::ByteView nonce);
  std::optional<EpochInfo> epoch(std::uint64_t epoch);
  std::optional<PendingEpoch> pending_epoch();
  void set_epoch_state(std::uint64_t epoch, std::string_view state);
  // Deletes an epoch's shares (and, for a pending one, the epoch itself).
  void drop_shares(std::uint64_t epoch);
  void drop_pending();

  void put_share(const StoredShare& share);
  std::optional<StoredShare> share(std::uint64_t epoch, std::uint32_t index);
  std::vector<StoredShare> shares(std::uint64_t epoch);

  void insert_item(const StoredItem& item);
  std::optional<StoredItem> item(const std::string& id);
  std::vector<ItemSummary> items();
  bool delete_item(const std::string& id);

  void insert_request(const RequestRecord& request, const SecretBuffer& box_secret);
  std::optional<RequestRecord> request(const std::string& id);
  std::optional<SecretBuffer> request_secret(const std::string& id);
  // Closing forgets the request's box secret: its releases can never be opened again.
  void close_request(const std::string& id, RequestState state);
  // Requests (with their releases and votes) for an item, for erasure.
  void delete_requests_for(const std::string& item);

  void put_release(const ReleaseRecord& release);
  std::vector<ReleaseRecord> releases(const std::string& request);
  void put_vote(const VoteRecord& vote);
  std::vector<VoteRecord> votes(const std::string& request);

  // Folds the WAL into the file and empties it, rebuilds the file without free pages:
  // what was deleted is then in neither file.
  void scrub();
  // Folds the WAL into the file and empties it (secure_delete has zeroed what was deleted).
  void checkpoint();

 private:
  audit::sqlite::Database db_;
};

}  // namespace westworld::vault
