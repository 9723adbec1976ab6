#include "log_verification.h"

#include "westworld/audit/checkpoint.h"
#include "westworld/common/printable.h"

namespace westworld::audit {
namespace {

using common::printable;

LogVerification bad(std::optional<std::uint64_t> index, std::string reason) {
  LogVerification result;
  result.first_bad_index = index;
  result.reason = std::move(reason);
  return result;
}

std::string size_text(std::uint64_t size) { return "tree size " + std::to_string(size); }

// Checks the signed checkpoint stored for `size` against the recomputed root.
std::optional<std::string> check_checkpoint(LogStore& store, const NoteVerifier& verifier,
                                            std::uint64_t size, const Hash& root) {
  const auto note = store.checkpoint(size);
  if (!note) return "no signed checkpoint for " + size_text(size);
  const auto text = verifier.open(*note);
  if (!text)
    return "the checkpoint for " + size_text(size) + " is not signed by " + verifier.name();
  const auto checkpoint = Checkpoint::parse(*text);
  if (!checkpoint || checkpoint->origin != verifier.name() || checkpoint->size != size)
    return "the checkpoint for " + size_text(size) + " is malformed";
  if (checkpoint->root != root)
    return "the recomputed root differs from the signed checkpoint for " + size_text(size);
  return std::nullopt;
}

struct Remembered {
  Checkpoint checkpoint;
  std::optional<Hash> recomputed_root;
};

}  // namespace

LogVerification verify_log(LogStore& store, const NoteVerifier& verifier,
                           std::string_view remembered_checkpoint) {
  std::optional<Remembered> remembered;
  if (!remembered_checkpoint.empty()) {
    const auto text = verifier.open(remembered_checkpoint);
    const auto checkpoint = text ? Checkpoint::parse(*text) : std::nullopt;
    if (!checkpoint)
      return bad(std::nullopt, "the remembered checkpoint is not signed by this key");
    remembered = Remembered{*checkpoint, std::nullopt};
  }

  TreeAccumulator tree;
  std::optional<LogVerification> failure;
  if (remembered && remembered->checkpoint.size == 0) remembered->recomputed_root = tree.root();
  // The entry to blame if storage fails: the one being read or checked. (The tree has
  // grown by an entry when its checkpoint is read, so tree.size() would name the next.)
  std::optional<std::uint64_t> blamed = 0;
  try {
    store.for_each_entry(0, [&](std::uint64_t index, const std::string& leaf) {
      blamed = tree.size();
      if (index != tree.size()) {
        failure = bad(tree.size(), "entry " + std::to_string(tree.size()) + " is missing");
        return false;
      }
      if (auto why = check_leaf(leaf)) {
        // The reason may quote the damaged record's bytes.
        failure = bad(index, printable(*why));
        return false;
      }
      tree.append(leaf_hash(capability::as_bytes(leaf)));
      if (auto why = check_checkpoint(store, verifier, tree.size(), tree.root())) {
        failure = bad(index, *why);
        return false;
      }
      for (const PersonalDatum& datum : store.personal(index)) {
        if (auto why = check_personal_datum(leaf, datum)) {
          failure = bad(index, printable(*why));
          return false;
        }
      }
      if (remembered && remembered->checkpoint.size == tree.size())
        remembered->recomputed_root = tree.root();
      blamed = tree.size();  // reading the next one
      return true;
    });
    blamed.reset();  // the checks below are about the log as a whole
    if (failure) {
      failure->size = tree.size();
      return *failure;
    }

    const std::uint64_t n = tree.size();
    if (const auto largest = store.largest_checkpoint_size(); largest && *largest > n) {
      return bad(n, "a signed checkpoint for " + size_text(*largest) + " exists but only " +
                        std::to_string(n) + " entries are stored");
    }
    if (const auto largest = store.largest_personal_index(); largest && *largest >= n)
      return bad(n, "personal data is stored for entry " + std::to_string(*largest) +
                        ", which is missing");
    if (remembered) {
      if (remembered->checkpoint.size > n) {
        return bad(n, "the log was truncated: the remembered checkpoint has " +
                          size_text(remembered->checkpoint.size));
      }
      if (remembered->recomputed_root != remembered->checkpoint.root)
        return bad(std::nullopt, "the log no longer contains the remembered checkpoint's tree");
    }
  } catch (const std::exception& e) {
    LogVerification result = bad(blamed, "storage error: " + printable(e.what()));
    result.size = tree.size();
    return result;
  }

  LogVerification result;
  result.ok = true;
  result.size = tree.size();
  result.root = tree.root();
  return result;
}

}  // namespace westworld::audit
