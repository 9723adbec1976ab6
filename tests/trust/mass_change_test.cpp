// The mass-change rule: the 10% boundary, and every way a set of approvals can be wrong.
#include "westworld/capability/mass_change.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "test_support.h"

namespace westworld::capability {
namespace {

std::vector<std::string> nodes(size_t n) {
  std::vector<std::string> out;
  for (size_t i = 0; i < n; ++i) out.push_back("node-" + std::to_string(i));
  return out;
}

ChangeNonce fresh_nonce() {
  ChangeNonce nonce;
  random_bytes(nonce);
  return nonce;
}

class MassChangeTest : public ::testing::Test {
 protected:
  MassChangeTest() {
    for (int i = 0; i < 5; ++i) {
      peers_keys.push_back(Ed25519KeyPair::generate());
      peer_set.insert(peers_keys.back().public_key());
    }
    peer_set.insert(requester.public_key());  // the requester is a peer of this node too
  }

  ChangeRequest change(size_t targets) {
    return {"policy_apply", nodes(targets), sha256(as_bytes("policy")), fresh_nonce(), 1780000000};
  }

  // Signatures by the first `count` peers, sorted by signer key as the rule requires.
  std::vector<PeerSignature> approvals(const ChangeRequest& c, size_t count) {
    std::vector<PeerSignature> out;
    for (size_t i = 0; i < count; ++i) out.push_back(sign_change(c, peers_keys[i]));
    std::sort(out.begin(), out.end(),
              [](const PeerSignature& a, const PeerSignature& b) { return a.signer < b.signer; });
    return out;
  }

  MassChangeVerdict check(const ChangeRequest& c, const std::vector<PeerSignature>& sigs,
                          std::uint64_t mesh = 100) {
    return check_mass_change(c, sigs, peer_set, requester.public_key(), mesh, nonces);
  }

  std::vector<Ed25519KeyPair> peers_keys;
  Ed25519KeyPair requester = Ed25519KeyPair::generate();
  PeerSet peer_set;
  MemoryNonceStore nonces;
};

TEST_F(MassChangeTest, TenPercentIsNotAMassChange) {
  EXPECT_FALSE(is_mass_change(change(10), 100));
  EXPECT_TRUE(is_mass_change(change(11), 100));
  EXPECT_FALSE(is_mass_change(change(1), 10));
  EXPECT_TRUE(is_mass_change(change(2), 10));
  EXPECT_TRUE(is_mass_change(change(1), 9));
  EXPECT_TRUE(is_mass_change(change(1), 0));
  EXPECT_FALSE(is_mass_change(change(0), 0));
  ChangeRequest repeated = change(0);
  repeated.targets = {"a", "a", "a", "b"};
  EXPECT_FALSE(is_mass_change(repeated, 20)) << "2 distinct targets of 20";
}

TEST_F(MassChangeTest, SmallChangeNeedsNoApprovals) { EXPECT_TRUE(check(change(10), {}).ok()); }

TEST_F(MassChangeTest, MassChangeNeedsThreeApprovals) {
  const ChangeRequest c = change(11);
  const MassChangeVerdict none = check(c, {});
  EXPECT_EQ(none.refusal, MassChangeRefusal::kTooFewSignatures);
  EXPECT_EQ(check(c, approvals(c, 2)).refusal, MassChangeRefusal::kTooFewSignatures);
  EXPECT_TRUE(check(c, approvals(c, 3)).ok());
  const ChangeRequest d = change(50);
  EXPECT_TRUE(check(d, approvals(d, 5)).ok());
}

TEST_F(MassChangeTest, AcceptedChangeCannotBeReplayed) {
  const ChangeRequest c = change(20);
  const auto sigs = approvals(c, 3);
  EXPECT_TRUE(check(c, sigs).ok());
  const MassChangeVerdict replay = check(c, sigs);
  EXPECT_EQ(replay.refusal, MassChangeRefusal::kReplayedNonce);
  EXPECT_NE(replay.detail.find(to_hex(c.nonce)), std::string::npos);
}

TEST_F(MassChangeTest, RefusedChangeDoesNotSpendItsNonce) {
  const ChangeRequest c = change(20);
  EXPECT_FALSE(check(c, approvals(c, 2)).ok());
  EXPECT_TRUE(check(c, approvals(c, 3)).ok());
}

TEST_F(MassChangeTest, DuplicateSignatureIsRefused) {
  const ChangeRequest c = change(20);
  auto sigs = approvals(c, 3);
  sigs.insert(sigs.begin() + 1, sigs[0]);
  EXPECT_EQ(check(c, sigs).refusal, MassChangeRefusal::kDuplicateSignature);
  // Three copies of one peer are not three peers.
  const auto one = approvals(c, 1);
  EXPECT_EQ(check(c, {one[0], one[0], one[0]}).refusal, MassChangeRefusal::kDuplicateSignature);
}

TEST_F(MassChangeTest, UnsortedSignaturesAreRefused) {
  const ChangeRequest c = change(20);
  auto sigs = approvals(c, 3);
  std::reverse(sigs.begin(), sigs.end());
  EXPECT_EQ(check(c, sigs).refusal, MassChangeRefusal::kUnsortedSignatures);
}

TEST_F(MassChangeTest, SelfSignatureIsRefused) {
  const ChangeRequest c = change(20);
  auto sigs = approvals(c, 3);
  sigs.push_back(sign_change(c, requester));
  std::sort(sigs.begin(), sigs.end(),
            [](const PeerSignature& a, const PeerSignature& b) { return a.signer < b.signer; });
  const MassChangeVerdict verdict = check(c, sigs);
  EXPECT_EQ(verdict.refusal, MassChangeRefusal::kSelfSignature);
  EXPECT_NE(verdict.detail.find(to_hex(requester.public_key())), std::string::npos);
}

TEST_F(MassChangeTest, NonPeerIsRefused) {
  const ChangeRequest c = change(20);
  auto sigs = approvals(c, 2);
  sigs.push_back(sign_change(c, Ed25519KeyPair::generate()));
  std::sort(sigs.begin(), sigs.end(),
            [](const PeerSignature& a, const PeerSignature& b) { return a.signer < b.signer; });
  EXPECT_EQ(check(c, sigs).refusal, MassChangeRefusal::kNotAPeer);
}

TEST_F(MassChangeTest, BadSignatureIsRefused) {
  const ChangeRequest c = change(20);
  auto sigs = approvals(c, 3);
  sigs[1].signature[10] ^= 0x01;
  EXPECT_EQ(check(c, sigs).refusal, MassChangeRefusal::kBadSignature);
}

TEST_F(MassChangeTest, SignaturesCoverEveryFieldOfTheChange) {
  const ChangeRequest c = change(20);
  const auto sigs = approvals(c, 3);
  std::vector<ChangeRequest> altered(5, c);
  altered[0].action = "freeze";
  altered[1].targets.push_back("node-extra");
  altered[2].policy_digest[0] ^= 1;
  altered[3].nonce = fresh_nonce();
  altered[4].unix_time += 1;
  for (const ChangeRequest& a : altered)
    EXPECT_EQ(check(a, sigs).refusal, MassChangeRefusal::kBadSignature);
  // The target set is a set: order and repeats do not change what was signed.
  ChangeRequest reordered = c;
  std::reverse(reordered.targets.begin(), reordered.targets.end());
  reordered.targets.push_back(reordered.targets.front());
  EXPECT_EQ(change_digest(reordered), change_digest(c));
}

TEST_F(MassChangeTest, ApprovalsOnASmallChangeMustStillBeValid) {
  const ChangeRequest c = change(2);
  auto sigs = approvals(c, 1);
  sigs[0].signature[0] ^= 1;
  EXPECT_EQ(check(c, sigs).refusal, MassChangeRefusal::kBadSignature);
}

TEST(FileNonceStore, RemembersAcrossReopenAndSharesBetweenHandles) {
  trust_test::TempDir dir;
  const auto path = dir / "nonces";
  ChangeNonce a, b;
  random_bytes(a);
  random_bytes(b);
  {
    FileNonceStore store(path);
    EXPECT_FALSE(store.seen(a));
    EXPECT_TRUE(store.remember(a));
    EXPECT_FALSE(store.remember(a));
  }
  FileNonceStore first(path), second(path);
  EXPECT_TRUE(first.seen(a));
  EXPECT_TRUE(second.remember(b));
  EXPECT_TRUE(first.seen(b)) << "appends by another handle are picked up";
  EXPECT_FALSE(first.remember(b));
  EXPECT_EQ(std::filesystem::status(path).permissions() & std::filesystem::perms::group_all,
            std::filesystem::perms::none);
}

TEST(FileNonceStore, DropsATornLastLineAndRejectsCorruption) {
  trust_test::TempDir dir;
  const auto path = dir / "nonces";
  ChangeNonce a;
  random_bytes(a);
  trust_test::write_file(path, to_hex(a) + "\n" + "0123abc");
  {
    FileNonceStore store(path);
    EXPECT_TRUE(store.seen(a));
    ChangeNonce b;
    random_bytes(b);
    EXPECT_TRUE(store.remember(b));
  }
  EXPECT_EQ(std::filesystem::file_size(path), 2u * 65u);
  trust_test::write_file(path, std::string(64, 'z') + "\n");
  EXPECT_THROW(FileNonceStore{path}, std::runtime_error);
}

TEST(FileNonceStore, BacksTheMassChangeRule) {
  trust_test::TempDir dir;
  const auto path = dir / "nonces";
  std::vector<Ed25519KeyPair> peers;
  PeerSet set;
  for (int i = 0; i < 3; ++i) {
    peers.push_back(Ed25519KeyPair::generate());
    set.insert(peers.back().public_key());
  }
  ChangeRequest c{"freeze", nodes(30), {}, {}, 0};
  random_bytes(c.nonce);
  std::vector<PeerSignature> sigs;
  for (const auto& p : peers) sigs.push_back(sign_change(c, p));
  std::sort(sigs.begin(), sigs.end(),
            [](const PeerSignature& a, const PeerSignature& b) { return a.signer < b.signer; });
  const PublicKey requester = Ed25519KeyPair::generate().public_key();
  {
    FileNonceStore store(path);
    EXPECT_TRUE(check_mass_change(c, sigs, set, requester, 100, store).ok());
  }
  FileNonceStore reopened(path);
  EXPECT_EQ(check_mass_change(c, sigs, set, requester, 100, reopened).refusal,
            MassChangeRefusal::kReplayedNonce);
}

}  // namespace
}  // namespace westworld::capability
