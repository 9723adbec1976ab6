#include "westworld/vault/share_box.h"

#include <sodium.h>

namespace westworld::vault {
namespace {

using capability::Bytes;
using capability::ByteView;

void put_u32(Bytes& out, std::uint32_t v) {
  for (int i = 3; i >= 0; --i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

std::uint32_t get_u32(ByteView in, std::size_t at) {
  std::uint32_t v = 0;
  for (std::size_t i = 0; i < 4; ++i) v = (v << 8) | in[at + i];
  return v;
}

// Statements are SHA-256 over a domain tag and length-framed fields, so no field can be
// re-split into its neighbour.
class Statement {
 public:
  explicit Statement(std::string_view domain) { h_.update_framed(capability::as_bytes(domain)); }
  Statement& text(std::string_view v) {
    h_.update_framed(capability::as_bytes(v));
    return *this;
  }
  Statement& bytes(ByteView v) {
    h_.update_framed(v);
    return *this;
  }
  Statement& u64(std::uint64_t v) {
    h_.update_u64_be(v);
    return *this;
  }
  Bytes finish() {
    const auto d = h_.finish();
    return Bytes(d.begin(), d.end());
  }

 private:
  capability::Sha256 h_;
};

}  // namespace

Bytes seal_scalar(const Scalar& value, const BoxPublicKey& to) {
  capability::ensure_sodium();
  Bytes out(crypto_box_SEALBYTES + 32);
  if (crypto_box_seal(out.data(), value.data(), 32, to.data()) != 0)
    throw std::runtime_error("crypto_box_seal failed");
  return out;
}

std::optional<Scalar> open_scalar(ByteView sealed, const BoxPublicKey& public_key,
                                  ByteView secret_key) {
  if (sealed.size() != crypto_box_SEALBYTES + 32 || secret_key.size() != crypto_box_SECRETKEYBYTES)
    return std::nullopt;
  Scalar raw;
  if (crypto_box_seal_open(raw.data(), sealed.data(), sealed.size(), public_key.data(),
                           secret_key.data()) != 0)
    return std::nullopt;
  return Scalar::from_bytes(raw.view());
}

std::optional<Scalar> open_scalar(ByteView sealed, const GuardianKey& key) {
  const auto opened = key.open_sealed(sealed);
  if (!opened) return std::nullopt;
  return Scalar::from_bytes(opened->view());
}

Bytes encode_parts(const std::vector<SharePart>& parts) {
  Bytes out;
  put_u32(out, static_cast<std::uint32_t>(parts.size()));
  for (const SharePart& p : parts) {
    out.insert(out.end(), p.coefficient.data(), p.coefficient.data() + 32);
    put_u32(out, static_cast<std::uint32_t>(p.sealed.size()));
    out.insert(out.end(), p.sealed.begin(), p.sealed.end());
  }
  return out;
}

std::optional<std::vector<SharePart>> decode_parts(ByteView in) {
  if (in.size() < 4) return std::nullopt;
  const std::uint32_t count = get_u32(in, 0);
  std::size_t at = 4;
  std::vector<SharePart> parts;
  for (std::uint32_t i = 0; i < count; ++i) {
    if (in.size() - at < 36) return std::nullopt;
    auto coefficient = Scalar::from_bytes(in.subspan(at, 32));
    const std::uint32_t size = get_u32(in, at + 32);
    at += 36;
    if (!coefficient || in.size() - at < size) return std::nullopt;
    parts.push_back({*coefficient, Bytes(in.begin() + static_cast<std::ptrdiff_t>(at),
                                         in.begin() + static_cast<std::ptrdiff_t>(at + size))});
    at += size;
  }
  if (at != in.size() || parts.empty()) return std::nullopt;
  return parts;
}

std::optional<Scalar> open_parts(const std::vector<SharePart>& parts, const GuardianKey& key) {
  Scalar sum;
  for (const SharePart& p : parts) {
    const auto value = open_scalar(p.sealed, key);
    if (!value) return std::nullopt;
    sum = sum + p.coefficient * *value;
  }
  return sum;
}

Bytes share_statement(std::uint64_t epoch, std::uint32_t index, std::string_view guardian,
                      const capability::Digest& commitments, ByteView encoded_parts) {
  return Statement("westworld-vault share v1")
      .u64(epoch)
      .u64(index)
      .text(guardian)
      .bytes(commitments)
      .bytes(encoded_parts)
      .finish();
}

Bytes release_statement(std::string_view request, std::string_view item,
                        const BoxPublicKey& request_key, std::uint64_t epoch, std::uint32_t index,
                        std::string_view guardian, ByteView sealed) {
  return Statement("westworld-vault release v1")
      .text(request)
      .text(item)
      .bytes(request_key)
      .u64(epoch)
      .u64(index)
      .text(guardian)
      .bytes(sealed)
      .finish();
}

Bytes vote_statement(std::string_view request, std::string_view item, bool emergency, bool yes,
                     std::string_view guardian) {
  return Statement("westworld-vault vote v1")
      .text(request)
      .text(item)
      .u64(emergency ? 1 : 0)
      .u64(yes ? 1 : 0)
      .text(guardian)
      .finish();
}

}  // namespace westworld::vault
