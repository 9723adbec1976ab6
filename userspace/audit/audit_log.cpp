#include "westworld/audit/audit_log.h"

#include <stdexcept>

#include "log_store.h"
#include "log_verification.h"
#include "westworld/audit/checkpoint.h"
#include "westworld/common/printable.h"

namespace westworld::audit {
namespace {

constexpr std::string_view kFormat = "westworld-audit-v1";

}  // namespace

struct AuditLog::State {
  LogStore store;
  std::optional<NoteSigner> signer;
  const capability::Clock* clock = nullptr;
  std::string origin;
  // Leaf hashes of the stored entries, read once and extended as the log grows.
  std::vector<Hash> leaves;
  TreeAccumulator tree;

  // Picks up entries appended since the last look, by this process or another.
  void catch_up() {
    store.for_each_entry(leaves.size(), [&](std::uint64_t index, const std::string& leaf) {
      if (index != leaves.size()) return false;  // a hole: verify() will name it
      leaves.push_back(leaf_hash(capability::as_bytes(leaf)));
      tree.append(leaves.back());
      return true;
    });
  }

  std::span<const Hash> prefix(std::uint64_t size) {
    catch_up();
    if (size > leaves.size())
      throw std::out_of_range("tree size " + std::to_string(size) + " exceeds the log's size " +
                              std::to_string(leaves.size()));
    return std::span<const Hash>(leaves).first(size);
  }
};

AuditLog::AuditLog(std::unique_ptr<State> state) : state_(std::move(state)) {}
AuditLog::AuditLog(AuditLog&&) noexcept = default;
AuditLog& AuditLog::operator=(AuditLog&&) noexcept = default;
AuditLog::~AuditLog() = default;

AuditLog AuditLog::open(const std::filesystem::path& path, NoteSigner signer,
                        const capability::Clock& clock) {
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
  auto state =
      std::make_unique<State>(State{LogStore(path, true), std::move(signer), &clock, {}, {}, {}});
  const std::string vkey = state->signer->verifier().vkey();
  {
    auto transaction = state->store.begin_write();
    if (const auto recorded = state->store.meta("vkey")) {
      if (*recorded != vkey)
        throw std::runtime_error(path.string() + ": the log belongs to key " +
                                 common::printable(*recorded) + ", not " + vkey);
    } else {
      state->store.set_meta("format", kFormat);
      state->store.set_meta("origin", state->signer->name());
      state->store.set_meta("vkey", vkey);
    }
    transaction.commit();
  }
  state->origin = state->signer->name();
  state->catch_up();
  return AuditLog(std::move(state));
}

AuditLog AuditLog::open_existing(const std::filesystem::path& path) {
  if (!std::filesystem::exists(path))
    throw std::runtime_error(path.string() + ": no audit log here");
  auto state =
      std::make_unique<State>(State{LogStore(path, false), std::nullopt, nullptr, {}, {}, {}});
  const auto origin = state->store.meta("origin");
  if (!origin) throw std::runtime_error(path.string() + ": not a Westworld audit log");
  state->origin = *origin;
  state->catch_up();
  return AuditLog(std::move(state));
}

std::uint64_t AuditLog::size() const {
  state_->catch_up();
  return state_->leaves.size();
}

std::uint64_t AuditLog::append(const AuditRecord& record) {
  State& s = *state_;
  if (!s.signer) throw std::logic_error("the audit log was opened without its signing key");
  const PreparedEntry prepared = prepare_entry(record, s.clock->now());

  auto transaction = s.store.begin_write();
  s.catch_up();
  const std::uint64_t index = s.leaves.size();
  // Never extend a damaged history: the stored checkpoints must end exactly here.
  const auto checkpoints = s.store.largest_checkpoint_size();
  if (checkpoints.value_or(0) != index)
    throw std::runtime_error("the stored log is inconsistent (entries end at " +
                             std::to_string(index) + ", checkpoints at " +
                             std::to_string(checkpoints.value_or(0)) + "); run verify");

  s.store.insert_entry(index, prepared.leaf);
  for (const PersonalDatum& datum : prepared.personal) s.store.insert_personal(index, datum);
  const Hash leaf = leaf_hash(capability::as_bytes(prepared.leaf));
  TreeAccumulator grown = s.tree;
  grown.append(leaf);
  s.store.insert_checkpoint(index + 1,
                            s.signer->sign(Checkpoint{s.origin, index + 1, grown.root()}.text()));
  transaction.commit();  // durable on return: WAL with synchronous=FULL

  s.leaves.push_back(leaf);
  s.tree = grown;
  return index;
}

std::string AuditLog::checkpoint() const {
  State& s = *state_;
  s.catch_up();
  const std::uint64_t size = s.leaves.size();
  if (size == 0) {
    // The empty tree is not stored; its checkpoint is signed on demand.
    if (!s.signer)
      throw std::runtime_error("the log is empty; its checkpoint needs the signing key");
    return s.signer->sign(Checkpoint{s.origin, 0, empty_tree_hash()}.text());
  }
  auto note = s.store.checkpoint(size);
  if (!note)
    throw std::runtime_error("no checkpoint is stored for tree size " + std::to_string(size) +
                             "; run verify");
  return *note;
}

Hash AuditLog::root(std::uint64_t tree_size) const { return tree_hash(state_->prefix(tree_size)); }

InclusionProof AuditLog::prove_inclusion(std::uint64_t index, std::uint64_t tree_size) const {
  const auto leaves = state_->prefix(tree_size);
  if (index >= tree_size)
    throw std::out_of_range("entry " + std::to_string(index) + " is not in a tree of size " +
                            std::to_string(tree_size));
  return {index, tree_size, leaves[index], inclusion_path(leaves, index), tree_hash(leaves)};
}

ConsistencyProof AuditLog::prove_consistency(std::uint64_t old_size, std::uint64_t new_size) const {
  const auto leaves = state_->prefix(new_size);
  if (old_size > new_size)
    throw std::out_of_range("the old size " + std::to_string(old_size) + " exceeds the new size " +
                            std::to_string(new_size));
  ConsistencyProof proof{
      old_size, new_size, tree_hash(leaves.first(old_size)), tree_hash(leaves), {}};
  if (old_size > 0 && old_size < new_size) proof.path = consistency_path(leaves, old_size);
  return proof;
}

LogVerification AuditLog::verify(const NoteVerifier& verifier,
                                 std::string_view remembered_checkpoint) const {
  return verify_log(state_->store, verifier, remembered_checkpoint);
}

LogVerification AuditLog::verify() const {
  if (!state_->signer)
    throw std::logic_error("verify() without a key needs a log opened with open()");
  return verify(state_->signer->verifier());
}

StoredEntry AuditLog::entry(std::uint64_t index) const {
  State& s = *state_;
  auto leaf = s.store.entry(index);
  if (!leaf) throw std::out_of_range("no entry " + std::to_string(index) + " in the log");
  StoredEntry stored{index, *leaf, leaf_hash(capability::as_bytes(*leaf)), s.store.personal(index)};
  return stored;
}

std::size_t AuditLog::erase_personal_data(std::uint64_t index) {
  State& s = *state_;
  std::size_t erased = 0;
  {
    auto transaction = s.store.begin_write();
    if (!s.store.entry(index))
      throw std::out_of_range("no entry " + std::to_string(index) + " in the log");
    erased = s.store.erase_personal(index);
    transaction.commit();
  }
  s.store.flush_journal();
  return erased;
}

std::vector<std::uint64_t> AuditLog::entries_naming(std::string_view subject) const {
  return state_->store.entries_naming(subject);
}

std::vector<std::uint64_t> AuditLog::erase_subject(std::string_view subject) {
  State& s = *state_;
  std::vector<std::uint64_t> named;
  {
    auto transaction = s.store.begin_write();
    named = s.store.entries_naming(subject);
    s.store.erase_subject(subject);
    transaction.commit();
  }
  s.store.flush_journal();
  return named;
}

std::optional<std::string> AuditLog::recorded_vkey() const { return state_->store.meta("vkey"); }

}  // namespace westworld::audit
