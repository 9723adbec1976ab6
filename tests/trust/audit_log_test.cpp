// The audit log end to end: append, checkpoints, proofs checked with the independent
// verification functions, reopening, keys, erasure.
#include "westworld/audit/audit_log.h"

#include <gtest/gtest.h>

#include "test_support.h"
#include "westworld/audit/checkpoint.h"

namespace westworld::audit {
namespace {

using trust_test::TempDir;

AuditRecord quarantine(int i) {
  return {"quarantine",
          {{"node", "node-" + std::to_string(i)}, {"reason", "probe " + std::to_string(i)}}};
}

Checkpoint open_checkpoint(const std::string& note, const NoteVerifier& verifier) {
  const auto text = verifier.open(note);
  EXPECT_TRUE(text) << note;
  const auto checkpoint = Checkpoint::parse(text.value_or(""));
  EXPECT_TRUE(checkpoint);
  return checkpoint.value_or(Checkpoint{});
}

class AuditLogTest : public ::testing::Test {
 protected:
  TempDir dir;
  NoteSigner signer = NoteSigner::generate("westworld.test/audit");
  std::filesystem::path path = dir / "audit.db";
};

TEST_F(AuditLogTest, AppendReturnsConsecutiveIndices) {
  AuditLog log = AuditLog::open(path, signer);
  EXPECT_EQ(log.size(), 0u);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(log.append(quarantine(i)), static_cast<std::uint64_t>(i));
  EXPECT_EQ(log.size(), 5u);
  EXPECT_EQ(std::filesystem::status(path).permissions() & std::filesystem::perms::others_all,
            std::filesystem::perms::none);
}

TEST_F(AuditLogTest, CheckpointIsASignedNoteOverTheCurrentTree) {
  AuditLog log = AuditLog::open(path, signer);
  const Checkpoint empty = open_checkpoint(log.checkpoint(), signer.verifier());
  EXPECT_EQ(empty.size, 0u);
  EXPECT_EQ(empty.root, empty_tree_hash());
  for (int i = 0; i < 3; ++i) log.append(quarantine(i));
  const std::string note = log.checkpoint();
  const Checkpoint checkpoint = open_checkpoint(note, signer.verifier());
  EXPECT_EQ(checkpoint.origin, "westworld.test/audit");
  EXPECT_EQ(checkpoint.size, 3u);
  EXPECT_EQ(checkpoint.root, log.root(3));
  // origin, size, root, blank line, one signature line.
  EXPECT_EQ(note.substr(0, checkpoint.text().size()), checkpoint.text());
  EXPECT_EQ(note.substr(checkpoint.text().size(), 6), "\n\xE2\x80\x94 w");
}

TEST_F(AuditLogTest, InclusionProofsVerifyAgainstSignedCheckpoints) {
  AuditLog log = AuditLog::open(path, signer);
  for (int i = 0; i < 13; ++i) log.append(quarantine(i));
  const Checkpoint checkpoint = open_checkpoint(log.checkpoint(), signer.verifier());
  for (std::uint64_t size = 1; size <= 13; ++size) {
    for (std::uint64_t i = 0; i < size; ++i) {
      const InclusionProof p = log.prove_inclusion(i, size);
      EXPECT_EQ(p.leaf_hash, leaf_hash(capability::as_bytes(log.entry(i).leaf)));
      EXPECT_TRUE(verify_inclusion(p.leaf_hash, i, size, p.path, log.root(size)));
    }
  }
  const InclusionProof p = log.prove_inclusion(4, 13);
  EXPECT_TRUE(verify_inclusion(p.leaf_hash, 4, 13, p.path, checkpoint.root));
  EXPECT_FALSE(verify_inclusion(p.leaf_hash, 5, 13, p.path, checkpoint.root));
  EXPECT_THROW(log.prove_inclusion(13, 13), std::out_of_range);
  EXPECT_THROW(log.prove_inclusion(0, 14), std::out_of_range);
}

TEST_F(AuditLogTest, TwoCheckpointsAreAlwaysConsistent) {
  AuditLog log = AuditLog::open(path, signer);
  std::vector<Checkpoint> seen{open_checkpoint(log.checkpoint(), signer.verifier())};
  for (int i = 0; i < 20; ++i) {
    log.append(quarantine(i));
    seen.push_back(open_checkpoint(log.checkpoint(), signer.verifier()));
  }
  for (const Checkpoint& older : seen) {
    for (const Checkpoint& newer : seen) {
      if (older.size > newer.size) continue;
      const ConsistencyProof p = log.prove_consistency(older.size, newer.size);
      EXPECT_EQ(p.old_root, older.root);
      EXPECT_EQ(p.new_root, newer.root);
      EXPECT_TRUE(verify_consistency(older.size, newer.size, older.root, newer.root, p.path))
          << older.size << " -> " << newer.size;
    }
  }
  EXPECT_THROW(log.prove_consistency(5, 4), std::out_of_range);
  EXPECT_THROW(log.prove_consistency(5, 21), std::out_of_range);
}

TEST_F(AuditLogTest, ReopenedLogContinuesAndVerifies) {
  {
    AuditLog log = AuditLog::open(path, signer);
    for (int i = 0; i < 4; ++i) log.append(quarantine(i));
  }
  AuditLog log = AuditLog::open(path, signer);
  EXPECT_EQ(log.size(), 4u);
  EXPECT_EQ(log.append(quarantine(4)), 4u);
  const LogVerification result = log.verify();
  EXPECT_TRUE(result.ok) << result.reason;
  EXPECT_EQ(result.size, 5u);
  EXPECT_EQ(result.root, log.root(5));
  const AuditLog reader = AuditLog::open_existing(path);
  EXPECT_EQ(reader.size(), 5u);
  EXPECT_EQ(reader.recorded_vkey(), signer.verifier().vkey());
  EXPECT_TRUE(reader.verify(signer.verifier()).ok);
}

TEST_F(AuditLogTest, ALogBelongsToItsKey) {
  AuditLog::open(path, signer).append(quarantine(0));
  EXPECT_THROW(AuditLog::open(path, NoteSigner::generate("westworld.test/audit")),
               std::runtime_error);
  const LogVerification other =
      AuditLog::open_existing(path).verify(NoteSigner::generate("westworld.test/audit").verifier());
  EXPECT_FALSE(other.ok);
  EXPECT_EQ(other.first_bad_index, 0u);
}

TEST_F(AuditLogTest, ReadOnlyLogRefusesToAppend) {
  AuditLog::open(path, signer).append(quarantine(0));
  AuditLog reader = AuditLog::open_existing(path);
  EXPECT_THROW(reader.append(quarantine(1)), std::logic_error);
  EXPECT_THROW(AuditLog::open_existing(dir / "missing.db"), std::runtime_error);
}

TEST_F(AuditLogTest, InvalidRecordsAreRejectedBeforeTouchingTheLog) {
  AuditLog log = AuditLog::open(path, signer);
  EXPECT_THROW(log.append({"quarantine", {{"node", "n1"}}}), std::invalid_argument);
  EXPECT_EQ(log.size(), 0u);
  EXPECT_EQ(log.append(quarantine(0)), 0u);
}

TEST_F(AuditLogTest, ErasingPersonalDataKeepsTheTreeValid) {
  const capability::FixedClock clock(*capability::parse_rfc3339_utc("2026-03-01T00:00:00Z"));
  AuditLog log = AuditLog::open(path, signer, clock);
  log.append(quarantine(0));
  log.append({"emergency_override",
              {{"who", "alice@example.org"},
               {"what", "unfreeze"},
               {"why", "outage"},
               {"affected_nodes", {"n1"}},
               {"expiry", "2026-03-02T00:00:00Z"}}});
  log.append({"release", {{"node", "n1"}, {"reason", "ok"}, {"actor", "bob"}}});
  const Hash root_before = log.root(3);
  const InclusionProof proof_before = log.prove_inclusion(1, 3);
  EXPECT_EQ(log.entry(1).personal.size(), 1u);
  EXPECT_EQ(nlohmann::json::parse(log.entry(1).leaf)["logged_at"], "2026-03-01T00:00:00Z");

  EXPECT_EQ(log.erase_personal_data(1), 1u);
  EXPECT_TRUE(log.entry(1).personal.empty());
  EXPECT_EQ(log.root(3), root_before);
  EXPECT_TRUE(verify_inclusion(proof_before.leaf_hash, 1, 3, proof_before.path, log.root(3)));
  const LogVerification result = log.verify();
  EXPECT_TRUE(result.ok) << result.reason;
  // The erased name is gone from the database files, not just unlinked.
  log = AuditLog::open_existing(path);
  for (const auto& file : {path, std::filesystem::path(path.string() + "-wal")}) {
    if (!std::filesystem::exists(file)) continue;
    EXPECT_EQ(trust_test::read_file(file).find("alice@example.org"), std::string::npos) << file;
  }
  // The other subject's value is still held (sealed, so not in the file as plain text).
  ASSERT_EQ(log.entry(2).personal.size(), 1u);
  EXPECT_EQ(log.entry(2).personal[0].value, "bob");
}

}  // namespace
}  // namespace westworld::audit
