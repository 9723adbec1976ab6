// The crises this node opened: a `crises` table in DATA_DIR/quests.db, beside the ledger. The
// agent opens them (through the watchman's contained-flood sink); wwctl reads them to list
// crises and to date a crisis quest's claims.
//
// One rule keeps a burst of alerts about one flood (a detector fires every few windows while
// the source keeps at it) from opening a crisis per window: while a crisis of a kind is open,
// opening another of that kind opens nothing and returns the open one. Per kind, not per
// subject: a second flooding source during a crisis is the same crisis to the quests, which
// reward helping with it once.
//
// Many processes may open the same file: the check and the insert share one write transaction
// (BEGIN IMMEDIATE), so two openers never both open. One CrisisBoard object may also be shared
// between threads.
#pragma once

#include <filesystem>
#include <mutex>
#include <optional>
#include <string_view>
#include <vector>

#include "westworld/audit/sqlite.h"
#include "westworld/common/clock.h"
#include "westworld/quests/crisis.h"

namespace westworld::quests {

struct CrisisOpening {
  Crisis crisis;        // the new crisis, or the one of its kind already open
  bool opened = false;  // false: one of its kind was open at that instant
};

class CrisisBoard {
 public:
  // Opens (creating when asked) the crises of the quests database at `path`.
  CrisisBoard(const std::filesystem::path& path, bool create);

  // A crisis of `kind` about `subject`, opened by alert `alert_id` at `at` and closing
  // kCrisisWindow later, unless one of its kind is open at `at` (the rule above).
  CrisisOpening open(CrisisKind kind, std::string_view subject, uint64_t alert_id,
                     common::UnixSeconds at);

  // The newest crisis of `kind` open at `now`, if any.
  std::optional<Crisis> newest_open(CrisisKind kind, common::UnixSeconds now);

  // Every crisis that closes after `closed_since` (so the open ones, and those closed since
  // then), newest first.
  std::vector<Crisis> closing_after(common::UnixSeconds closed_since);

 private:
  std::mutex mutex_;  // one statement at a time on this connection
  audit::sqlite::Database db_;
};

}  // namespace westworld::quests
