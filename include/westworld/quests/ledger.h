// The rewards ledger: SQLite, double-entry. Every granted claim is one transaction; its points
// are two entries, the mint debited and the member credited, so each transaction sums to zero
// and a balance is only ever a sum of entries (no balance is stored to drift from them).
// Badges and roles are awards of the same claim. A claim is keyed (quest, node, step, period)
// and UNIQUE in the database, so a repeated or concurrent claim grants once whatever the
// callers do. Settlement closes the unsettled claims into a batch whose SHA-256 digest (over
// its entries in order) can be committed to the audit log, making totals publicly checkable.
//
// Many processes and threads may open the same file: writes take the write lock up front
// (BEGIN IMMEDIATE) and wait for it. One Ledger object may also be shared between threads.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "westworld/audit/sqlite.h"
#include "westworld/capability/crypto.h"
#include "westworld/common/clock.h"
#include "westworld/quests/quest.h"

namespace westworld::quests {

// The account every point is minted from; members' accounts are their node ids.
inline constexpr std::string_view kMintAccount = "mint";

struct Claim {
  std::string quest;
  Category category = Category::mesh_builder;
  std::string node;
  std::string step;
  int64_t period = 0;  // period_of(quest, now); a crisis quest's: its crisis's opening (claim.h)
  Reward reward;
};

struct ClaimResult {
  bool granted = false;     // false: this (quest, node, step, period) was granted before
  int64_t transaction = 0;  // the granting transaction, either way
};

struct Entry {
  int64_t id = 0;
  int64_t transaction = 0;
  std::string account;
  int64_t amount = 0;  // negative: debit
};

struct Award {
  std::string kind;  // "badge" or "role"
  std::string name;
  std::string quest;
  int64_t transaction = 0;
};

struct HistoryItem {
  int64_t transaction = 0;
  std::string quest;
  std::string step;
  int64_t period = 0;
  common::UnixSeconds granted_at;
  int64_t points = 0;
};

struct Standing {
  std::string node;
  int64_t points = 0;
};

// Something verify() found that a ledger written only through claim() and settle() never holds.
struct LedgerProblem {
  int64_t transaction = 0;  // 0 when the problem is not one transaction's (a batch digest)
  std::string description;
};

struct Batch {
  int64_t id = 0;
  int64_t first_transaction = 0;
  int64_t last_transaction = 0;
  int64_t entries = 0;
  int64_t minted = 0;  // points credited to members in the batch
  capability::Digest digest{};
};

class Ledger {
 public:
  // Opens (creating when asked) the ledger at `path`; `clock` stamps grants and batches.
  Ledger(const std::filesystem::path& path, bool create, const common::Clock& clock);

  // Grants `claim` unless its key was granted before; rejects a claim with nothing to grant
  // or one naming the mint as its node.
  ClaimResult claim(const Claim& claim);

  int64_t balance(std::string_view account);
  // Points per node, highest first (ties by node id); all categories when none is given.
  std::vector<Standing> leaderboard(std::optional<Category> category = std::nullopt);
  // Points per node from the grants of `quests` only (ledger quest keys: quest ids, or a
  // campaign's "campaign/<id>"), ordered as leaderboard(): a campaign's leaderboard.
  std::vector<Standing> leaderboard_of_quests(const std::vector<std::string>& quests);
  // The nodes holding a grant for every step of `quest`, in any period, sorted: the nodes that
  // completed it. None for a quest without steps: nothing proves it was done.
  std::vector<std::string> nodes_completing(const Quest& quest);
  std::vector<Award> awards(std::string_view node);
  std::vector<HistoryItem> history(std::string_view node);
  std::vector<Entry> entries(int64_t transaction);

  // Every transaction whose entries do not sum to zero, an entry of no transaction or moving
  // points between accounts other than the mint and the claiming node, and every settled batch
  // whose digest no longer matches its entries. Empty: the ledger reconciles.
  std::vector<LedgerProblem> verify();

  // Closes every unsettled transaction into a new batch; nullopt when there is none.
  // `before_commit` sees the batch, digest included, inside the settling transaction: if it
  // throws, nothing is settled (the agent commits the digest to its audit log there, so a
  // batch exists only once it is public).
  std::optional<Batch> settle(const std::function<void(const Batch&)>& before_commit = {});
  std::vector<Batch> batches();

 private:
  capability::Digest digest_of(int64_t batch);

  std::mutex mutex_;  // one transaction at a time on this connection
  audit::sqlite::Database db_;
  const common::Clock& clock_;
};

}  // namespace westworld::quests
