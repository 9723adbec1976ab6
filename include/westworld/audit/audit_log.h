// The append-only, tamper-evident audit log: a Merkle tree (RFC 9162) over typed records,
// stored in SQLite (WAL, synchronous=FULL), with a C2SP signed checkpoint for every size.
//
// Signing every tree size is what lets verify() name the first bad entry: whoever edits
// the database cannot produce the checkpoint signatures, so the first size whose signed
// root disagrees with the recomputed one pins the first entry that changed.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "westworld/audit/audit_entry.h"
#include "westworld/audit/merkle.h"
#include "westworld/audit/signed_note.h"
#include "westworld/capability/clock.h"

namespace westworld::audit {

struct InclusionProof {
  std::uint64_t index = 0;
  std::uint64_t tree_size = 0;
  Hash leaf_hash{};
  std::vector<Hash> path;
  Hash root{};
};

struct ConsistencyProof {
  std::uint64_t old_size = 0;
  std::uint64_t new_size = 0;
  Hash old_root{};
  Hash new_root{};
  std::vector<Hash> path;
};

struct LogVerification {
  bool ok = false;
  std::uint64_t size = 0;                        // entries examined
  std::optional<std::uint64_t> first_bad_index;  // set when a specific entry is to blame
  std::string reason;  // printable (common::printable): it may quote damaged bytes
  Hash root{};         // the recomputed root of the verified prefix
};

struct StoredEntry {
  std::uint64_t index = 0;
  std::string leaf;
  Hash leaf_hash{};
  std::vector<PersonalDatum> personal;  // empty once erased
};

// One AuditLog object serves one thread at a time. Several processes may open the same
// file: appends serialise on SQLite's write lock and pick up each other's entries.
class AuditLog {
 public:
  // Opens or creates the log for appending. A log belongs to the key it was created
  // with; opening it with another key is refused.
  static AuditLog open(const std::filesystem::path& path, NoteSigner signer,
                       const capability::Clock& clock = capability::system_clock());
  // Opens an existing log for reading, proving and verifying; append() is refused.
  static AuditLog open_existing(const std::filesystem::path& path);

  AuditLog(AuditLog&&) noexcept;
  AuditLog& operator=(AuditLog&&) noexcept;
  ~AuditLog();

  std::uint64_t size() const;
  // Returns the new entry's index once the entry and its checkpoint are durable.
  std::uint64_t append(const AuditRecord& record);

  // The signed checkpoint (C2SP signed note) for the current size.
  std::string checkpoint() const;
  Hash root(std::uint64_t tree_size) const;
  InclusionProof prove_inclusion(std::uint64_t index, std::uint64_t tree_size) const;
  ConsistencyProof prove_consistency(std::uint64_t old_size, std::uint64_t new_size) const;

  // Recomputes everything from the stored bytes: record schema, leaf hashes, the root at
  // every size against its signed checkpoint, personal data against its commitments.
  // Removing entries from the end together with their checkpoints can only be caught by
  // comparing with a checkpoint kept elsewhere: pass one as `remembered_checkpoint` (a
  // signed note) and the log must still contain that tree.
  LogVerification verify(const NoteVerifier& verifier,
                         std::string_view remembered_checkpoint = {}) const;
  LogVerification verify() const;  // with the signer's own key (open() only)

  StoredEntry entry(std::uint64_t index) const;
  // Deletes the salts and values of `index`'s personal fields; returns how many.
  std::size_t erase_personal_data(std::uint64_t index);

  // A data subject is whoever a personal field names (its value). Their values are sealed
  // under a key of their own, so erasing them is destroying that key (crypto-shredding).
  // The entries that name `subject`, in index order.
  std::vector<std::uint64_t> entries_naming(std::string_view subject) const;
  // Destroys `subject`'s key and deletes its sealed values, then folds the journal into the
  // database (secure_delete overwrites freed pages), so no erased byte is left in the files
  // when this returns. The tree, its checkpoints and the salted commitments are untouched:
  // the log still verifies. Returns the entries that named the subject.
  std::vector<std::uint64_t> erase_subject(std::string_view subject);

  // The key the log says it was created with (informational: verify() takes its key
  // from the caller, never from the file under scrutiny).
  std::optional<std::string> recorded_vkey() const;

 private:
  struct State;
  explicit AuditLog(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace westworld::audit
