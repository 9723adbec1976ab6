// Any change to the stored log, through SQL or by flipping bytes in the database file,
// is detected by verify(), which names the first entry affected.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <nlohmann/json.hpp>

#include "test_support.h"
#include "westworld/audit/audit_log.h"

namespace westworld::audit {
namespace {

using trust_test::TempDir;

constexpr int kEntries = 9;

std::string reason_marker(int i) { return "probe " + std::to_string(i) + "\""; }

AuditRecord record(int i) {
  if (i == 4)
    return {"emergency_override",
            {{"who", "carol"},
             {"what", "override"},
             {"why", "probe 4"},
             {"affected_nodes", {"n1"}},
             {"expiry", "2030-01-01T00:00:00Z"}}};
  return {"quarantine",
          {{"node", "node-" + std::to_string(i)}, {"reason", "probe " + std::to_string(i)}}};
}

void sql(const std::filesystem::path& db, const std::string& statement) {
  sqlite3* handle = nullptr;
  ASSERT_EQ(sqlite3_open(db.c_str(), &handle), SQLITE_OK);
  char* error = nullptr;
  const int rc = sqlite3_exec(handle, statement.c_str(), nullptr, nullptr, &error);
  EXPECT_EQ(rc, SQLITE_OK) << statement << ": " << (error ? error : "");
  sqlite3_free(error);
  sqlite3_close(handle);
}

class AuditTamperTest : public ::testing::Test {
 protected:
  void SetUp() override {
    AuditLog log = AuditLog::open(pristine, signer);
    for (int i = 0; i < kEntries; ++i) log.append(record(i));
    remembered = log.checkpoint();
    ASSERT_TRUE(log.verify().ok);
    // Closing the last connection folds the WAL into the database file.
  }

  // A fresh copy of the untouched log to damage.
  std::filesystem::path copy(const std::string& name) {
    const auto target = dir / name;
    std::filesystem::copy_file(pristine, target);
    // With the subject keys, so sealed personal values open (or fail to) as on the node.
    std::filesystem::copy_file(pristine.string() + ".keys", target.string() + ".keys");
    return target;
  }

  LogVerification verify(const std::filesystem::path& db, const std::string& remembered_note = {}) {
    return AuditLog::open_existing(db).verify(signer.verifier(), remembered_note);
  }

  void expect_bad_at(const std::filesystem::path& db, std::uint64_t index,
                     const std::string& remembered_note = {}) {
    const LogVerification result = verify(db, remembered_note);
    EXPECT_FALSE(result.ok);
    EXPECT_EQ(result.first_bad_index, index) << result.reason;
  }

  TempDir dir;
  NoteSigner signer = NoteSigner::generate("westworld.test/audit");
  std::filesystem::path pristine = dir / "pristine.db";
  std::string remembered;
};

TEST_F(AuditTamperTest, PristineCopyVerifies) {
  const auto db = copy("same.db");
  EXPECT_FALSE(std::filesystem::exists(pristine.string() + "-wal") &&
               std::filesystem::file_size(pristine.string() + "-wal") > 0);
  const LogVerification result = verify(db, remembered);
  EXPECT_TRUE(result.ok) << result.reason;
  EXPECT_EQ(result.size, static_cast<std::uint64_t>(kEntries));
}

TEST_F(AuditTamperTest, SqlEditOfAnyEntryIsNamed) {
  for (int i = 0; i < kEntries; ++i) {
    const auto db = copy("edit-" + std::to_string(i) + ".db");
    sql(db,
        "UPDATE entries SET leaf = CAST(replace(CAST(leaf AS TEXT), 'probe', 'prabe') AS BLOB)"
        " WHERE idx = " +
            std::to_string(i));
    expect_bad_at(db, i);
  }
}

TEST_F(AuditTamperTest, SqlEditOfAnyCheckpointIsNamed) {
  for (int size = 1; size <= kEntries; ++size) {
    const auto db = copy("checkpoint-" + std::to_string(size) + ".db");
    sql(db, "UPDATE checkpoints SET note = replace(note, 'westworld', 'westwor1d') WHERE size = " +
                std::to_string(size));
    expect_bad_at(db, size - 1);
  }
}

TEST_F(AuditTamperTest, DeletedOrSwappedEntriesAreNamed) {
  auto db = copy("deleted.db");
  sql(db, "DELETE FROM entries WHERE idx = 3");
  expect_bad_at(db, 3);

  db = copy("deleted-checkpoint.db");
  sql(db, "DELETE FROM checkpoints WHERE size = 6");
  expect_bad_at(db, 5);

  db = copy("swapped.db");
  sql(db,
      "UPDATE entries SET idx = 100 WHERE idx = 2; UPDATE entries SET idx = 2 WHERE idx = 6;"
      "UPDATE entries SET idx = 6 WHERE idx = 100");
  expect_bad_at(db, 2);

  db = copy("tail.db");
  sql(db, "DELETE FROM entries WHERE idx = 8");
  expect_bad_at(db, 8);
}

TEST_F(AuditTamperTest, TruncationNeedsARememberedCheckpoint) {
  const auto db = copy("truncated.db");
  sql(db, "DELETE FROM entries WHERE idx >= 7; DELETE FROM checkpoints WHERE size >= 8");
  EXPECT_TRUE(verify(db).ok) << "a consistent prefix is all the file itself can show";
  expect_bad_at(db, 7, remembered);
}

TEST_F(AuditTamperTest, PersonalDataEditsAreNamed) {
  const auto db = copy("personal.db");
  sql(db, "UPDATE personal_data SET value = 'mallory' WHERE idx = 4");
  expect_bad_at(db, 4);
  const auto salted = copy("salt.db");
  sql(salted, "UPDATE personal_data SET salt = zeroblob(32) WHERE idx = 4");
  expect_bad_at(salted, 4);
  const auto stray = copy("stray.db");
  sql(stray,
      "INSERT INTO personal_data(idx, field, salt, value) VALUES (2, 'actor', zeroblob(32), "
      "'eve')");
  expect_bad_at(stray, 2);
}

// Every byte of every stored record, flipped in the raw file, is caught at its entry.
TEST_F(AuditTamperTest, RawByteFlipsInRecordsAreNamed) {
  const std::string original = trust_test::read_file(pristine);
  for (int i = 0; i < kEntries; ++i) {
    const size_t marker = original.find(reason_marker(i));
    ASSERT_NE(marker, std::string::npos) << i;
    ASSERT_EQ(original.find(reason_marker(i), marker + 1), std::string::npos);
    // The whole record text around the marker: from its opening brace to the marker's end.
    const size_t start = original.rfind("{\"fields\"", marker);
    ASSERT_NE(start, std::string::npos);
    const size_t end = marker + reason_marker(i).size();
    for (size_t at = start; at < end; at += (i == 0 ? 1 : 7)) {
      std::string damaged = original;
      damaged[at] = static_cast<char>(damaged[at] ^ 0x01);
      const auto db = dir / "flip.db";
      trust_test::write_file(db, damaged);
      const LogVerification result = verify(db);
      ASSERT_FALSE(result.ok) << "byte " << at << " of entry " << i;
      ASSERT_EQ(result.first_bad_index, static_cast<std::uint64_t>(i)) << result.reason;
      std::filesystem::remove(db);
    }
  }
}

TEST_F(AuditTamperTest, RawByteFlipsInCheckpointsAreNamed) {
  const std::string original = trust_test::read_file(pristine);
  for (int size = 1; size <= kEntries; ++size) {
    sqlite3* handle = nullptr;
    ASSERT_EQ(sqlite3_open(pristine.c_str(), &handle), SQLITE_OK);
    sqlite3_stmt* stmt = nullptr;
    sqlite3_prepare_v2(handle, "SELECT note FROM checkpoints WHERE size = ?", -1, &stmt, nullptr);
    sqlite3_bind_int(stmt, 1, size);
    ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
    const std::string note(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)));
    sqlite3_finalize(stmt);
    sqlite3_close(handle);

    const size_t at = original.find(note);
    ASSERT_NE(at, std::string::npos);
    for (size_t offset : {size_t{0}, note.find('\n') + 1, note.size() / 2, note.size() - 3}) {
      std::string damaged = original;
      damaged[at + offset] = static_cast<char>(damaged[at + offset] ^ 0x02);
      const auto db = dir / "flip.db";
      trust_test::write_file(db, damaged);
      const LogVerification result = verify(db);
      ASSERT_FALSE(result.ok) << "size " << size << " offset " << offset;
      ASSERT_EQ(result.first_bad_index, static_cast<std::uint64_t>(size - 1)) << result.reason;
      std::filesystem::remove(db);
    }
  }
}

// Storage that fails while an entry is checked blames that entry, not the next one.
TEST_F(AuditTamperTest, MissingCheckpointsTableNamesTheFirstEntry) {
  const auto db = copy("no-checkpoints.db");
  sql(db, "DROP TABLE checkpoints");
  const LogVerification result = verify(db);
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.first_bad_index, std::uint64_t{0}) << result.reason;
  EXPECT_NE(result.reason.find("no such table: checkpoints"), std::string::npos) << result.reason;
}

// A damaged record's bytes reach the reason through the JSON parser's message: they are
// escaped, so the reason is one line of valid UTF-8 (nlohmann throws on anything else).
TEST_F(AuditTamperTest, DamagedBytesInTheReasonAreEscaped) {
  const auto db = copy("garbled.db");
  sql(db, "UPDATE entries SET leaf = x'22ff001b5b326a0a' WHERE idx = 2");
  const LogVerification result = verify(db);
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.first_bad_index, std::uint64_t{2});
  EXPECT_NO_THROW((void)nlohmann::json(result.reason).dump()) << result.reason;
  for (unsigned char c : result.reason) EXPECT_TRUE(c >= 0x20 && c != 0x7f) << result.reason;
  EXPECT_NE(result.reason.find("\\xff"), std::string::npos) << result.reason;
}

TEST_F(AuditTamperTest, AppendRefusesToExtendADamagedLog) {
  const auto db = copy("damaged.db");
  sql(db, "DELETE FROM entries WHERE idx = 8");
  AuditLog log = AuditLog::open(db, signer);
  EXPECT_THROW(log.append(record(9)), std::runtime_error);
}

}  // namespace
}  // namespace westworld::audit
