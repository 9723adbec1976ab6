// A minimal RAII layer over the SQLite C API: errors become exceptions, statements and
// transactions clean up after themselves. Shared by the audit log and the vault.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>

#include "westworld/capability/bytes.h"

namespace westworld::audit::sqlite {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Statement {
 public:
  Statement(sqlite3* db, std::string_view sql);
  Statement(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  Statement& operator=(Statement&&) = delete;
  ~Statement();

  Statement& bind(int index, std::int64_t value);
  Statement& bind_blob(int index, capability::ByteView value);
  Statement& bind_text(int index, std::string_view value);

  bool step();  // true while a row is available
  void run();   // steps a statement that returns no rows
  void reset();

  std::int64_t column_int64(int index) const;
  std::string column_text(int index) const;  // TEXT or BLOB bytes as they are stored
  capability::Bytes column_blob(int index) const;
  // The column's bytes in SQLite's own buffer, valid until the next step or reset: for
  // secrets, which the caller copies straight into locked memory.
  capability::ByteView column_view(int index) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

class Database {
 public:
  // Opens read-write; creates the file (mode 0600) only when `create` is set.
  Database(const std::filesystem::path& path, bool create);
  Database(Database&& other) noexcept;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  Database& operator=(Database&&) = delete;
  ~Database();

  void exec(std::string_view sql);
  Statement prepare(std::string_view sql) { return Statement(db_, sql); }
  std::string pragma(std::string_view statement);  // the first column of the first row
  std::size_t changes() const { return static_cast<std::size_t>(sqlite3_changes64(db_)); }

 private:
  sqlite3* db_ = nullptr;
};

// BEGIN IMMEDIATE takes the write lock up front, so a writer never has to upgrade (and
// fail) halfway through. Rolls back unless committed.
class Transaction {
 public:
  explicit Transaction(Database& db);
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();
  void commit();

 private:
  Database& db_;
  bool open_ = true;
};

}  // namespace westworld::audit::sqlite
