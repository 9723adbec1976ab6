// Content encryption: ciphertext is not plaintext; any change, cut or reordering fails.
#include "westworld/vault/item_cipher.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "westworld/vault/item_key.h"

namespace westworld::vault {
namespace {

capability::Bytes sample(std::size_t n) {
  capability::Bytes out(n);
  for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<std::uint8_t>('a' + i % 26);
  return out;
}

bool contains(const capability::Bytes& hay, const capability::Bytes& needle) {
  return std::search(hay.begin(), hay.end(), needle.begin(), needle.end()) != hay.end();
}

TEST(ItemCipher, BlobRoundTripsAndHidesThePlaintext) {
  const SecretBuffer key = random_key();
  const auto ad = item_binding("it-1", 1);
  for (std::size_t n :
       {std::size_t{0}, std::size_t{1}, kStreamChunkBytes, 3 * kStreamChunkBytes + 17}) {
    const auto plain = sample(n);
    const auto cipher = encrypt_blob(key, plain, ad);
    if (n >= 16) {
      EXPECT_FALSE(contains(cipher, capability::Bytes(plain.begin(), plain.begin() + 16)));
    }
    const SecretBuffer back = decrypt_blob(key, cipher, ad);
    ASSERT_EQ(back.size(), n);
    EXPECT_TRUE(std::equal(plain.begin(), plain.end(), back.data()));
  }
}

TEST(ItemCipher, EveryFlippedByteFailsDecryption) {
  const SecretBuffer key = random_key();
  const auto ad = item_binding("it-1", 1);
  const auto cipher = encrypt_blob(key, sample(200), ad);
  for (std::size_t i = 0; i < cipher.size(); ++i) {
    auto bad = cipher;
    bad[i] ^= 0x01;
    EXPECT_THROW(decrypt_blob(key, bad, ad), DecryptionError) << "byte " << i;
  }
}

TEST(ItemCipher, TruncatedReorderedOrMovedStreamsFail) {
  const SecretBuffer key = random_key();
  const auto ad = item_binding("it-1", 1);
  const auto cipher = encrypt_blob(key, sample(3 * kStreamChunkBytes + 5), ad);
  constexpr std::size_t kHeader = 24, kChunk = kStreamChunkBytes + 17;
  // Cut after two whole chunks: every remaining chunk is valid, but FINAL never came.
  const capability::Bytes cut(cipher.begin(), cipher.begin() + kHeader + 2 * kChunk);
  try {
    decrypt_blob(key, cut, ad);
    FAIL() << "a truncated stream decrypted";
  } catch (const DecryptionError& e) {
    EXPECT_NE(std::string(e.what()).find("truncated"), std::string::npos) << e.what();
  }
  auto swapped = cipher;  // chunks 0 and 1 exchanged
  std::swap_ranges(swapped.begin() + kHeader, swapped.begin() + kHeader + kChunk,
                   swapped.begin() + kHeader + kChunk);
  EXPECT_THROW(decrypt_blob(key, swapped, ad), DecryptionError);
  EXPECT_THROW(decrypt_blob(key, cipher, item_binding("it-2", 1)), DecryptionError);
  EXPECT_THROW(decrypt_blob(random_key(), cipher, ad), DecryptionError);
}

TEST(ItemCipher, WrappedKeysAreBoundToItemAndVersion) {
  const SecretBuffer wrap = random_key();
  const SecretBuffer data = random_key();
  const auto record = encrypt_record(wrap, data.view(), item_binding("it-1", 1));
  const SecretBuffer back = decrypt_record(wrap, record, item_binding("it-1", 1));
  EXPECT_TRUE(std::equal(back.data(), back.data() + back.size(), data.data()));
  EXPECT_THROW(decrypt_record(wrap, record, item_binding("it-1", 2)), DecryptionError);
  EXPECT_THROW(decrypt_record(wrap, record, item_binding("it-9", 1)), DecryptionError);
  auto bad = record;
  bad.back() ^= 1;
  EXPECT_THROW(decrypt_record(wrap, bad, item_binding("it-1", 1)), DecryptionError);
}

TEST(ItemKey, PutAndUnsealDeriveTheSameKeyOnlyWithTheSecret) {
  const Scalar s = Scalar::random();
  const Point master = base_mul(s);
  const ItemKeyAtPut put = wrapping_key_for_put(master, "it-1");
  const SecretBuffer again = wrapping_key_for_unseal(s, put.ephemeral, master, "it-1");
  EXPECT_TRUE(std::equal(again.data(), again.data() + 32, put.wrapping_key.data()));
  const SecretBuffer wrong =
      wrapping_key_for_unseal(Scalar::random(), put.ephemeral, master, "it-1");
  EXPECT_FALSE(std::equal(wrong.data(), wrong.data() + 32, put.wrapping_key.data()));
  const SecretBuffer other_item = wrapping_key_for_unseal(s, put.ephemeral, master, "it-2");
  EXPECT_FALSE(std::equal(other_item.data(), other_item.data() + 32, put.wrapping_key.data()));
}

}  // namespace
}  // namespace westworld::vault
