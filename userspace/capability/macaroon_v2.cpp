#include "westworld/capability/macaroon_v2.h"

#include <algorithm>
#include <optional>

namespace westworld::capability {
namespace {

constexpr std::uint8_t kVersion2 = 2;

enum FieldType : std::uint64_t {
  kEndOfSection = 0,
  kLocation = 1,
  kIdentifier = 2,
  kVerificationId = 4,
  kSignature = 6,
};

void append_varint(Bytes& out, std::uint64_t value) {
  while (value >= 0x80) {
    out.push_back(static_cast<std::uint8_t>(value | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<std::uint8_t>(value));
}

void append_field(Bytes& out, FieldType type, ByteView data) {
  append_varint(out, type);
  append_varint(out, data.size());
  out.insert(out.end(), data.begin(), data.end());
}

struct Field {
  std::uint64_t type = kEndOfSection;
  ByteView data;
};

class Reader {
 public:
  explicit Reader(ByteView data) : data_(data) {}

  bool at_end() const { return data_.empty(); }

  Field field() {
    Field f;
    f.type = varint();
    if (f.type == kEndOfSection) return f;
    const std::uint64_t length = varint();
    if (length > data_.size()) throw MacaroonFormatError("field data extends past the end");
    f.data = data_.first(static_cast<size_t>(length));
    data_ = data_.subspan(static_cast<size_t>(length));
    return f;
  }

  // A section is a run of fields in strictly increasing type order, ended by EOS.
  std::vector<Field> section() {
    std::vector<Field> fields;
    while (true) {
      if (at_end()) throw MacaroonFormatError("section extends past the end");
      Field f = field();
      if (f.type == kEndOfSection) return fields;
      if (!fields.empty() && f.type <= fields.back().type)
        throw MacaroonFormatError("fields out of order");
      fields.push_back(f);
    }
  }

 private:
  std::uint64_t varint() {
    std::uint64_t value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (data_.empty()) throw MacaroonFormatError("truncated varint");
      const std::uint8_t byte = data_.front();
      data_ = data_.subspan(1);
      if (shift == 63 && byte > 1) throw MacaroonFormatError("varint overflows 64 bits");
      value |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
      if ((byte & 0x80) == 0) return value;
    }
    throw MacaroonFormatError("varint overflows 64 bits");
  }

  ByteView data_;
};

std::string text_of(ByteView data) { return std::string(data.begin(), data.end()); }

// Pops an optional leading field of `type` from the front of `fields`.
std::optional<ByteView> take(std::vector<Field>& fields, FieldType type) {
  if (fields.empty() || fields.front().type != type) return std::nullopt;
  ByteView data = fields.front().data;
  fields.erase(fields.begin());
  return data;
}

Caveat parse_caveat(std::vector<Field> fields) {
  Caveat caveat;
  const auto location = take(fields, kLocation);
  const auto identifier = take(fields, kIdentifier);
  if (!identifier) throw MacaroonFormatError("caveat has no identifier");
  caveat.identifier.assign(identifier->begin(), identifier->end());
  const auto vid = take(fields, kVerificationId);
  if (!fields.empty()) throw MacaroonFormatError("unexpected field in caveat");
  if (vid) {
    if (vid->empty()) throw MacaroonFormatError("empty verification id");
    caveat.verification_id.assign(vid->begin(), vid->end());
    if (location) caveat.location = text_of(*location);
  } else if (location) {
    throw MacaroonFormatError("location in a first-party caveat");
  }
  return caveat;
}

}  // namespace

Bytes serialize_v2(const Macaroon& macaroon) {
  Bytes out{kVersion2};
  if (!macaroon.location().empty()) append_field(out, kLocation, as_bytes(macaroon.location()));
  append_field(out, kIdentifier, macaroon.identifier());
  append_varint(out, kEndOfSection);
  for (const Caveat& caveat : macaroon.caveats()) {
    if (caveat.is_third_party() && !caveat.location.empty())
      append_field(out, kLocation, as_bytes(caveat.location));
    append_field(out, kIdentifier, caveat.identifier);
    if (caveat.is_third_party()) append_field(out, kVerificationId, caveat.verification_id);
    append_varint(out, kEndOfSection);
  }
  append_varint(out, kEndOfSection);
  append_field(out, kSignature, macaroon.signature());
  return out;
}

std::string serialize_v2_text(const Macaroon& macaroon) {
  return to_base64url(serialize_v2(macaroon));
}

Macaroon parse_v2(ByteView data) {
  if (data.empty()) throw MacaroonFormatError("empty macaroon");
  if (data.size() > kMaxMacaroonBytes) throw MacaroonFormatError("macaroon too large");
  if (data.front() != kVersion2) throw MacaroonFormatError("not a V2 macaroon");
  Reader reader(data.subspan(1));

  std::vector<Field> header = reader.section();
  const auto location = take(header, kLocation);
  const auto identifier = take(header, kIdentifier);
  if (!identifier || !header.empty()) throw MacaroonFormatError("invalid macaroon header");

  std::vector<Caveat> caveats;
  while (true) {
    std::vector<Field> fields = reader.section();
    if (fields.empty()) break;
    caveats.push_back(parse_caveat(std::move(fields)));
  }

  if (reader.at_end()) throw MacaroonFormatError("missing signature");
  const Field signature = reader.field();
  if (signature.type != kSignature) throw MacaroonFormatError("expected the signature field");
  MacaroonSignature sig;
  if (signature.data.size() != sig.size()) throw MacaroonFormatError("signature is not 32 bytes");
  std::copy(signature.data.begin(), signature.data.end(), sig.begin());
  if (!reader.at_end()) throw MacaroonFormatError("trailing bytes after the signature");

  return Macaroon(location ? text_of(*location) : std::string(),
                  Bytes(identifier->begin(), identifier->end()), std::move(caveats), sig);
}

Macaroon parse_v2_text(std::string_view text) {
  if (text.size() > kMaxMacaroonBytes * 2) throw MacaroonFormatError("macaroon too large");
  std::string url_safe(text);
  std::replace(url_safe.begin(), url_safe.end(), '+', '-');
  std::replace(url_safe.begin(), url_safe.end(), '/', '_');
  const auto data = from_base64url(url_safe);
  if (!data) throw MacaroonFormatError("not base64");
  return parse_v2(*data);
}

}  // namespace westworld::capability
