// Data subjects in the audit log: personal values sealed under per-subject keys, found by
// subject, and crypto-shredded on erasure, with the tree, its proofs and its verification
// untouched and no plaintext left in the files. Logs from before sealing keep working.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "test_support.h"
#include "westworld/audit/audit_log.h"

namespace westworld::audit {
namespace {

using trust_test::TempDir;

AuditRecord release_by(const std::string& actor, int i) {
  return {"release", {{"node", "n" + std::to_string(i)}, {"reason", "ok"}, {"actor", actor}}};
}

void sql(const std::filesystem::path& path, const std::string& statement) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* error = nullptr;
  EXPECT_EQ(sqlite3_exec(db, statement.c_str(), nullptr, nullptr, &error), SQLITE_OK)
      << (error ? error : "");
  sqlite3_free(error);
  sqlite3_close(db);
}

std::string files_of(const std::filesystem::path& path) {
  std::string bytes;
  for (const auto& file : {path, std::filesystem::path(path.string() + "-wal")})
    if (std::filesystem::exists(file)) bytes += trust_test::read_file(file);
  return bytes;
}

class AuditSubjectTest : public ::testing::Test {
 protected:
  TempDir dir;
  NoteSigner signer = NoteSigner::generate("westworld.test/audit");
  std::filesystem::path path = dir / "audit.db";
};

TEST_F(AuditSubjectTest, ValuesAreSealedAndFoundBySubject) {
  AuditLog log = AuditLog::open(path, signer);
  log.append(release_by("alice@example.org", 0));
  log.append(release_by("bob@example.org", 1));
  log.append(release_by("alice@example.org", 2));
  EXPECT_EQ(log.entries_naming("alice@example.org"), (std::vector<std::uint64_t>{0, 2}));
  EXPECT_EQ(log.entries_naming("bob@example.org"), (std::vector<std::uint64_t>{1}));
  EXPECT_TRUE(log.entries_naming("carol@example.org").empty());
  EXPECT_EQ(log.entry(2).personal.at(0).value, "alice@example.org");
  // Sealed: no subject is in the files as plain text, not even as a lookup key.
  EXPECT_EQ(files_of(path).find("example.org"), std::string::npos);
}

TEST_F(AuditSubjectTest, ErasureShredsOneSubjectAndTheLogStillVerifies) {
  AuditLog log = AuditLog::open(path, signer);
  log.append(release_by("alice@example.org", 0));
  log.append(release_by("bob@example.org", 1));
  log.append(release_by("alice@example.org", 2));
  const Hash root = log.root(3);
  const std::string checkpoint = log.checkpoint();

  EXPECT_EQ(log.erase_subject("alice@example.org"), (std::vector<std::uint64_t>{0, 2}));
  EXPECT_TRUE(log.entry(0).personal.empty());
  EXPECT_TRUE(log.entry(2).personal.empty());
  EXPECT_EQ(log.entry(1).personal.at(0).value, "bob@example.org");
  EXPECT_TRUE(log.entries_naming("alice@example.org").empty());
  EXPECT_EQ(log.root(3), root);
  const LogVerification check = log.verify(signer.verifier(), checkpoint);
  EXPECT_TRUE(check.ok) << check.reason;
  // Revealed, the erased field shows as erased, with its commitment.
  const nlohmann::json shown = reveal(log.entry(0).leaf, log.entry(0).personal);
  EXPECT_EQ(shown["fields"]["actor"]["erased"], true) << shown.dump();
  // Erasing again finds nothing; erasing someone unknown changes nothing.
  EXPECT_TRUE(log.erase_subject("alice@example.org").empty());
  EXPECT_TRUE(log.erase_subject("nobody").empty());
  EXPECT_EQ(log.entry(1).personal.size(), 1u);
}

TEST_F(AuditSubjectTest, ACopyOfTheLogFromBeforeTheErasureDoesNotOpenAfterIt) {
  AuditLog::open(path, signer).append(release_by("alice@example.org", 0));
  // A backup of the log (closed, so its journal is folded in), taken before the erasure. The
  // keys are kept apart, in LOG.keys, and are not part of it.
  const std::filesystem::path backup = dir / "backup.db";
  std::filesystem::copy_file(path, backup);
  EXPECT_EQ(AuditLog::open(path, signer).erase_subject("alice@example.org").size(), 1u);
  // The backup read with the node's keys as they are after the erasure: nothing opens, and
  // neither the value nor its salt was ever in the file in the clear.
  std::filesystem::copy_file(path.string() + ".keys", backup.string() + ".keys");
  const AuditLog old = AuditLog::open_existing(backup);
  EXPECT_TRUE(old.entry(0).personal.empty());
  EXPECT_EQ(files_of(backup).find("alice"), std::string::npos);
  const LogVerification check = old.verify(signer.verifier());
  EXPECT_TRUE(check.ok) << check.reason;
  EXPECT_EQ(
      std::filesystem::status(path.string() + ".keys").permissions() & std::filesystem::perms::all,
      std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
}

TEST_F(AuditSubjectTest, ATamperedSealedValueIsNamedByVerify) {
  {
    AuditLog log = AuditLog::open(path, signer);
    log.append(release_by("alice@example.org", 0));
    log.append(release_by("bob@example.org", 1));
  }
  // Swap the two sealed values: each is bound to its entry and field, so neither opens.
  sql(path,
      "UPDATE personal_data SET value = (SELECT value FROM personal_data WHERE idx = 1) "
      "WHERE idx = 0");
  const AuditLog log = AuditLog::open_existing(path);
  const LogVerification check = log.verify(signer.verifier());
  EXPECT_FALSE(check.ok);
  EXPECT_EQ(check.first_bad_index, 0u) << check.reason;
}

TEST_F(AuditSubjectTest, ALogFromBeforeSealingIsMigratedAndErasedByDeletion) {
  {
    AuditLog log = AuditLog::open(path, signer);
    log.append(release_by("alice@example.org", 0));
  }
  // Play a log written before sealing: the same opening stored plain, no tag or nonce
  // columns, no keys file.
  const PersonalDatum datum = AuditLog::open_existing(path).entry(0).personal.at(0);
  sql(path,
      "DROP TABLE personal_data; CREATE TABLE personal_data(idx INTEGER NOT NULL, field TEXT NOT "
      "NULL, salt BLOB NOT NULL, value TEXT NOT NULL, PRIMARY KEY(idx, field)); "
      "INSERT INTO personal_data VALUES (0, '" +
          datum.field + "', X'" + capability::to_hex(datum.salt) + "', '" + datum.value + "');");
  std::filesystem::remove(path.string() + ".keys");
  AuditLog log = AuditLog::open(path, signer);
  EXPECT_TRUE(log.verify().ok) << log.verify().reason;
  log.append(release_by("alice@example.org", 1));  // sealed, beside the plain one
  EXPECT_EQ(log.entries_naming("alice@example.org"), (std::vector<std::uint64_t>{0, 1}));
  EXPECT_EQ(log.erase_subject("alice@example.org"), (std::vector<std::uint64_t>{0, 1}));
  EXPECT_TRUE(log.verify().ok) << log.verify().reason;
  EXPECT_EQ(files_of(path).find("alice@example.org"), std::string::npos);
}

}  // namespace
}  // namespace westworld::audit
