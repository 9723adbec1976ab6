// Rotation: refresh and guardian change keep the items, retire the old shares, and an
// interrupted ceremony leaves the old epoch working.
#include <gtest/gtest.h>

#include "vault_fixture.h"
#include "vault_store.h"
#include "westworld/vault/feldman.h"
#include "westworld/vault/share_box.h"

namespace westworld::vault_test {
namespace {

using vault::ItemType;

std::vector<const vault::GuardianKey*> ptrs(const std::vector<vault::GuardianKey>& keys) {
  std::vector<const vault::GuardianKey*> out;
  for (const auto& k : keys) out.push_back(&k);
  return out;
}

// The guardian's current share, opened with its key.
vault::Share open_share(vault::Vault& v, const vault::GuardianKey& key, std::uint32_t index) {
  vault::VaultStore store(v.dir() / "vault.db", false);
  const auto stored = store.share(v.current_epoch().epoch, index);
  return {index, *vault::open_parts(*vault::decode_parts(stored->parts), key)};
}

TEST_F(VaultTest, AfterARefreshTheOldSharesOpenNothing) {
  const std::string item = vault.put(bytes_of("kept"), ItemType::kArchive, "t");
  std::vector<vault::Share> old;
  for (std::uint32_t i = 0; i < 3; ++i) old.push_back(open_share(vault, guardians[i], i + 1));
  const std::string before = vault.request(item, false);
  approve(before, {0, 1, 2});  // released under epoch 1

  const vault::RotationResult r = vault.rotate({}, std::nullopt);
  EXPECT_EQ(r.kind, "refresh");
  EXPECT_EQ(r.epoch, 2u);
  EXPECT_EQ(r.nonce.size(), 64u);
  const vault::EpochInfo now = vault.current_epoch();
  // Old shares no longer match the commitments, and mixed with new ones they give garbage.
  for (const auto& s : old) EXPECT_FALSE(vault::verify_share(s, now.commitments));
  const std::vector<vault::Share> mixed{old[0], old[1], open_share(vault, guardians[2], 3)};
  EXPECT_NE(vault::base_mul(vault::interpolate_at_zero(mixed)), now.commitments[0]);
  // Releases made under epoch 1 are refused by name.
  try {
    vault.get(item, before);
    FAIL() << "epoch-1 releases opened an item after the refresh";
  } catch (const vault::AccessDenied& e) {
    EXPECT_NE(std::string(e.what()).find("released under epoch 1"), std::string::npos) << e.what();
  }
  // The epoch-1 share rows are gone; the new shares work for items put before.
  vault::VaultStore store(vault.dir() / "vault.db", false);
  EXPECT_TRUE(store.shares(1).empty());
  for (const auto& g : guardians) EXPECT_TRUE(vault.verify_guardian(g).ok) << g.id();
  const std::string after = vault.request(item, false);
  approve(after, {3, 6, 9});
  EXPECT_EQ(text_of(vault.get(item, after).plaintext), "kept");
}

TEST_F(VaultTest, AnInterruptedCeremonyLeavesTheOldEpochWorking) {
  const std::string item = vault.put(bytes_of("still here"), ItemType::kArchive, "t");
  const auto old_commitments = vault.commitments();
  for (auto step : {vault::RotationStep::kBegun, vault::RotationStep::kContributed,
                    vault::RotationStep::kFinished}) {
    vault.set_rotation_stop_after(step);
    EXPECT_THROW(vault.rotate({}, std::nullopt), std::runtime_error);
    EXPECT_EQ(vault.current_epoch().epoch, 1u);
    EXPECT_EQ(vault.commitments().commitments, old_commitments.commitments);
    for (const auto& g : guardians) EXPECT_TRUE(vault.verify_guardian(g).ok);
    const std::string r = vault.request(item, false);
    approve(r, {0, 1, 2});
    EXPECT_EQ(text_of(vault.get(item, r).plaintext), "still here");
  }
  // A guardian change interrupted the same way.
  const auto newcomers = make_guardians(5, "n");
  vault.set_rotation_stop_after(vault::RotationStep::kContributed);
  EXPECT_THROW(vault.rotate(ptrs(guardians), publics(newcomers), 3), std::runtime_error);
  EXPECT_EQ(vault.current_epoch().epoch, 1u);
  // A later ceremony starts afresh (the pending one is dropped) and completes.
  vault.set_rotation_stop_after(std::nullopt);
  EXPECT_EQ(vault.rotate({}, std::nullopt).epoch, 2u);
  const std::string r = vault.request(item, false);
  approve(r, {4, 5, 6});
  EXPECT_EQ(text_of(vault.get(item, r).plaintext), "still here");
}

TEST_F(VaultTest, AGuardianChangeHandsTheSecretToTheNewSetWithoutRebuildingIt) {
  const std::string item = vault.put(bytes_of("handed over"), ItemType::kArchive, "t");
  const auto newcomers = make_guardians(5, "n");
  std::vector<const vault::GuardianKey*> keys{&guardians[1], &guardians[4], &guardians[8]};
  for (const auto& n : newcomers) keys.push_back(&n);
  const vault::RotationResult r = vault.rotate(keys, publics(newcomers), 2);
  EXPECT_EQ(r.kind, "reshare");
  EXPECT_EQ(r.verified_guardians.size(), 5u);  // every new guardian opened its new share
  const vault::EpochInfo e = vault.current_epoch();
  EXPECT_EQ(e.threshold, 2u);
  EXPECT_EQ(e.guardians.size(), 5u);
  EXPECT_THROW(vault.verify_guardian(guardians[0]), vault::AccessDenied);  // no longer a guardian
  const std::string req = vault.request(item, false);
  EXPECT_THROW(vault.approve(req, guardians[0]), vault::AccessDenied);
  vault.approve(req, newcomers[0]);
  vault.approve(req, newcomers[3]);
  EXPECT_EQ(text_of(vault.get(item, req).plaintext), "handed over");
}

TEST_F(VaultTest, AGuardianChangeNeedsAQuorumOfCurrentGuardians) {
  const auto newcomers = make_guardians(4, "n");
  EXPECT_THROW(vault.rotate({&guardians[0], &guardians[1]}, publics(newcomers)),
               vault::AccessDenied);
  EXPECT_EQ(vault.current_epoch().epoch, 1u);
  bool logged = false;
  for (const auto& line : vault.audit().lines)
    logged |= line.find("vault_rotate") != std::string::npos &&
              line.find("refused: a change of guardians needs") != std::string::npos;
  EXPECT_TRUE(logged);
}

}  // namespace
}  // namespace westworld::vault_test
