// The ledger's tables. A transaction is one granted claim, UNIQUE on its key; its points are
// entries (the mint's debit and the member's credit), its badge and role are awards keyed by
// the same transaction. No table stores a balance: every total is a SUM over entries.
#pragma once

namespace westworld::quests {

inline constexpr const char* kLedgerSchema = R"sql(
CREATE TABLE IF NOT EXISTS transactions (
  id INTEGER PRIMARY KEY,
  quest TEXT NOT NULL,
  node TEXT NOT NULL,
  step TEXT NOT NULL,
  period INTEGER NOT NULL,
  category TEXT NOT NULL,
  granted_at INTEGER NOT NULL,
  batch INTEGER REFERENCES batches(id),
  UNIQUE (quest, node, step, period)
);
CREATE TABLE IF NOT EXISTS entries (
  id INTEGER PRIMARY KEY,
  txn INTEGER NOT NULL REFERENCES transactions(id),
  account TEXT NOT NULL,
  amount INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS entries_by_txn ON entries (txn);
CREATE INDEX IF NOT EXISTS entries_by_account ON entries (account);
CREATE TABLE IF NOT EXISTS awards (
  txn INTEGER NOT NULL REFERENCES transactions(id),
  kind TEXT NOT NULL CHECK (kind IN ('badge', 'role')),
  name TEXT NOT NULL,
  PRIMARY KEY (txn, kind)
);
CREATE TABLE IF NOT EXISTS batches (
  id INTEGER PRIMARY KEY,
  first_txn INTEGER NOT NULL,
  last_txn INTEGER NOT NULL,
  entries INTEGER NOT NULL,
  minted INTEGER NOT NULL,
  settled_at INTEGER NOT NULL,
  digest BLOB NOT NULL
);
)sql";

}  // namespace westworld::quests
