// Erasure is crypto-shredding: the wrapped data key and the ciphertext leave the database
// file and its WAL, and no share can bring the item back.
#include <gtest/gtest.h>

#include "vault_fixture.h"
#include "vault_store.h"

namespace westworld::vault_test {
namespace {

using vault::ItemType;

bool file_contains(const fs::path& path, const capability::Bytes& needle) {
  if (!fs::exists(path)) return false;
  const std::string hay = file_bytes(path);
  return hay.find(std::string(needle.begin(), needle.end())) != std::string::npos;
}

bool vault_files_contain(const fs::path& dir, const capability::Bytes& needle) {
  return file_contains(dir / "vault.db", needle) || file_contains(dir / "vault.db-wal", needle);
}

capability::Bytes slice(const capability::Bytes& b, std::size_t from, std::size_t n) {
  return capability::Bytes(b.begin() + static_cast<std::ptrdiff_t>(from),
                           b.begin() + static_cast<std::ptrdiff_t>(from + n));
}

TEST_F(VaultTest, PlaintextNeverReachesTheDatabase) {
  const std::string marker = "PLAINTEXT-MARKER-4f1d2e";
  const std::string item = vault.put(bytes_of(marker), ItemType::kArchive, "t");
  const std::string r = vault.request(item, false);
  approve(r, {0, 1, 2});
  EXPECT_EQ(text_of(vault.get(item, r).plaintext), marker);
  EXPECT_FALSE(vault_files_contain(vault.dir(), bytes_of(marker)));
  EXPECT_FALSE(file_contains(vault.dir() / "audit.db", bytes_of(marker)));
}

TEST_F(VaultTest, AfterErasureNoKeyOrCiphertextRemainsInTheFileBytes) {
  capability::Bytes content(200000);
  for (std::size_t i = 0; i < content.size(); ++i)
    content[i] = static_cast<std::uint8_t>(i * 7 + 3);
  const std::string item = vault.put(content, ItemType::kArchive, "to be erased");
  const std::string keep = vault.put(bytes_of("other"), ItemType::kArchive, "kept");
  const std::string r = vault.request(item, false);
  approve(r, {0, 1, 2});  // leaves releases and a request key to erase too
  vault::StoredItem stored;
  {
    vault::VaultStore store(vault.dir() / "vault.db", false);
    stored = *store.item(item);
  }
  const auto wrapped = stored.wrapped_key;
  const auto head = slice(stored.ciphertext, 0, 64);
  const auto middle = slice(stored.ciphertext, stored.ciphertext.size() / 2, 64);
  // Before: the key material and ciphertext are there (the scan can find them).
  EXPECT_TRUE(vault_files_contain(vault.dir(), wrapped));
  EXPECT_TRUE(vault_files_contain(vault.dir(), middle));

  vault.erase(item);
  EXPECT_FALSE(vault_files_contain(vault.dir(), wrapped));
  EXPECT_FALSE(
      vault_files_contain(vault.dir(), slice(wrapped, 24, 32)));  // the key's ciphertext alone
  EXPECT_FALSE(vault_files_contain(
      vault.dir(), capability::Bytes(stored.ephemeral.begin(), stored.ephemeral.end())));
  EXPECT_FALSE(vault_files_contain(vault.dir(), head));
  EXPECT_FALSE(vault_files_contain(vault.dir(), middle));
  EXPECT_FALSE(vault_files_contain(vault.dir(), slice(content, 1000, 64)));
  EXPECT_FALSE(file_contains(vault.dir() / "audit.db", wrapped));
  // Unrecoverable even with every share; the other item is untouched.
  EXPECT_THROW(vault.request(item, false), std::runtime_error);
  EXPECT_THROW(vault.get(item, r), vault::AccessDenied);
  const std::string r2 = vault.request(keep, false);
  approve(r2, {0, 1, 2});
  EXPECT_EQ(text_of(vault.get(keep, r2).plaintext), "other");
  // The audit log records the erasure, not the content.
  bool logged = false;
  for (const auto& line : vault.audit().lines)
    logged |= line.find("vault_erase") != std::string::npos && line.find(item) != std::string::npos;
  EXPECT_TRUE(logged);
}

// A used request's key (which opened its releases) and the releases leave the files.
TEST_F(VaultTest, AUsedRequestLeavesNoKeyOrReleaseInTheFiles) {
  const std::string item = vault.put(bytes_of("x"), ItemType::kArchive, "t");
  const std::string r = vault.request(item, false);
  approve(r, {0, 1, 2});
  capability::Bytes secret, sealed;
  {
    vault::VaultStore store(vault.dir() / "vault.db", false);
    const auto key = store.request_secret(r);
    secret.assign(key->data(), key->data() + key->size());
    sealed = store.releases(r).at(0).sealed;
  }
  EXPECT_TRUE(vault_files_contain(vault.dir(), secret));
  EXPECT_TRUE(vault_files_contain(vault.dir(), sealed));
  vault.get(item, r);
  EXPECT_FALSE(vault_files_contain(vault.dir(), secret));
  EXPECT_FALSE(vault_files_contain(vault.dir(), sealed));
}

TEST_F(VaultTest, TheVaultFilesArePrivate) {
  EXPECT_EQ(fs::status(vault.dir()).permissions() & fs::perms::all, fs::perms::owner_all);
  for (const char* name : {"vault.db", "dealer.key", "audit.db"})
    EXPECT_EQ(fs::status(vault.dir() / name).permissions() &
                  (fs::perms::group_all | fs::perms::others_all),
              fs::perms::none)
        << name;
}

}  // namespace
}  // namespace westworld::vault_test
