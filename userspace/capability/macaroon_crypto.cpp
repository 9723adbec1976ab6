#include "macaroon_crypto.h"

#include <sodium.h>

#include <string_view>

namespace westworld::capability::macaroon_chain {
namespace {

constexpr std::string_view kKeyGenerator = "macaroons-key-generator";
constexpr MacaroonSignature kZeroKey{};

MacaroonSignature hmac_of_pair(ByteView key, ByteView first, ByteView second) {
  const Digest a = hmac_sha256(key, first);
  const Digest b = hmac_sha256(key, second);
  std::array<std::uint8_t, 64> both;
  std::copy(a.begin(), a.end(), both.begin());
  std::copy(b.begin(), b.end(), both.begin() + 32);
  return hmac_sha256(key, both);
}

}  // namespace

Digest derive_key(ByteView key) { return hmac_sha256(as_bytes(kKeyGenerator), key); }

MacaroonSignature start(const Digest& derived_key, ByteView identifier) {
  return hmac_sha256(derived_key, identifier);
}

MacaroonSignature add_first_party(const MacaroonSignature& sig, ByteView predicate) {
  return hmac_sha256(sig, predicate);
}

MacaroonSignature add_third_party(const MacaroonSignature& sig, ByteView vid, ByteView cid) {
  return hmac_of_pair(sig, vid, cid);
}

MacaroonSignature bind(const MacaroonSignature& root_sig, const MacaroonSignature& discharge_sig) {
  return hmac_of_pair(kZeroKey, root_sig, discharge_sig);
}

Bytes seal_caveat_key(const MacaroonSignature& sig, const Digest& derived_caveat_key,
                      const CaveatNonce& nonce) {
  ensure_sodium();
  Bytes vid(nonce.size() + crypto_secretbox_MACBYTES + derived_caveat_key.size());
  std::copy(nonce.begin(), nonce.end(), vid.begin());
  crypto_secretbox_easy(vid.data() + nonce.size(), derived_caveat_key.data(),
                        derived_caveat_key.size(), nonce.data(), sig.data());
  return vid;
}

std::optional<Digest> open_caveat_key(const MacaroonSignature& sig, ByteView vid) {
  constexpr size_t kNonce = crypto_secretbox_NONCEBYTES;
  if (vid.size() != kNonce + crypto_secretbox_MACBYTES + sizeof(Digest)) return std::nullopt;
  ensure_sodium();
  Digest key;
  if (crypto_secretbox_open_easy(key.data(), vid.data() + kNonce, vid.size() - kNonce, vid.data(),
                                 sig.data()) != 0) {
    return std::nullopt;
  }
  return key;
}

}  // namespace westworld::capability::macaroon_chain
