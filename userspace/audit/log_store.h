// The audit log's SQLite schema and queries. Durability comes from WAL mode with
// synchronous=FULL: a commit has reached the disk when COMMIT returns.
//
//   log_meta(key, value)                origin and verifier key the log was created with
//   entries(idx, leaf)                  the committed records, exactly as hashed
//   checkpoints(size, note)             a signed checkpoint for every tree size >= 1
//   personal_data(idx, field, salt, value, tag, nonce)   openings of the salted commitments,
//                                       each value sealed under its subject's key (tag finds it)
//   keys.subject_keys(tag, key)         in LOG.keys: one key per data subject; deleting it
//                                       shreds the subject; keys.key_meta holds the tag key
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "westworld/audit/audit_entry.h"
#include "westworld/audit/sqlite.h"

namespace westworld::audit {

class LogStore {
 public:
  LogStore(const std::filesystem::path& path, bool create);

  sqlite::Transaction begin_write() { return sqlite::Transaction(db_); }

  std::optional<std::string> meta(std::string_view key);
  void set_meta(std::string_view key, std::string_view value);

  // Calls `visit(idx, leaf)` for entries with idx >= from, in index order.
  void for_each_entry(std::uint64_t from,
                      const std::function<bool(std::uint64_t, const std::string&)>& visit);
  std::optional<std::string> entry(std::uint64_t index);
  void insert_entry(std::uint64_t index, std::string_view leaf);

  std::optional<std::string> checkpoint(std::uint64_t size);
  std::optional<std::uint64_t> largest_checkpoint_size();
  void insert_checkpoint(std::uint64_t size, std::string_view note);

  std::vector<PersonalDatum> personal(std::uint64_t index);
  std::optional<std::uint64_t> largest_personal_index();
  void insert_personal(std::uint64_t index, const PersonalDatum& datum);
  std::size_t erase_personal(std::uint64_t index);
  // The entries whose personal values are `subject`'s, in index order.
  std::vector<std::uint64_t> entries_naming(std::string_view subject);
  // Destroys `subject`'s key and deletes its values; how many values were deleted.
  std::size_t erase_subject(std::string_view subject);
  // Folds the WAL into the database file so erased bytes are not left in the journal.
  void flush_journal();

 private:
  void attach_keys(const std::string& keys_path);
  void migrate_to_sealed_values();
  capability::Bytes tag_key(bool create);  // empty when none exists and !create
  // The tag `subject`'s sealed values carry; empty (matching nothing) before any was sealed.
  capability::Bytes lookup_tag(std::string_view subject);
  std::optional<capability::Bytes> subject_key(capability::ByteView tag);
  capability::Bytes subject_key_or_new(capability::ByteView tag);

  sqlite::Database db_;
};

}  // namespace westworld::audit
