// The libmacaroons V2 format: round trips, the pymacaroons encoding, and a parser that
// fails cleanly (MacaroonFormatError, never a crash) on random and truncated input.
#include "westworld/capability/macaroon_v2.h"

#include <gtest/gtest.h>

#include <random>

namespace westworld::capability {
namespace {

Macaroon sample() {
  Macaroon m = Macaroon::mint(as_bytes("key"), as_bytes("token-1"), "westworld");
  m.add_first_party_caveat("action = quarantine");
  m.add_third_party_caveat("governance", as_bytes("gov-key"), as_bytes("requires_dao_vote"));
  m.add_first_party_caveat("node = n1");
  return m;
}

TEST(MacaroonV2, MatchesPymacaroonsEncoding) {
  // pymacaroons: Macaroon(location='http://mysite.com/', identifier='keyid', key=..., version=2)
  const Macaroon m =
      Macaroon::mint(as_bytes("this is our super secret key; only we should know it"),
                     as_bytes("keyid"), "http://mysite.com/");
  EXPECT_EQ(
      serialize_v2_text(m),
      "AgESaHR0cDovL215c2l0ZS5jb20vAgVrZXlpZAAABiB9JS567be1rO2FONBxtq2cEcNLE7jF5aQ4YlvtoL4NGg");
}

TEST(MacaroonV2, RoundTrips) {
  const Macaroon m = sample();
  EXPECT_EQ(parse_v2(serialize_v2(m)), m);
  EXPECT_EQ(parse_v2_text(serialize_v2_text(m)), m);
  const Macaroon bare = Macaroon::mint(as_bytes("key"), Bytes{0, 1, 2, 0xff});
  EXPECT_EQ(parse_v2(serialize_v2(bare)), bare);
  EXPECT_EQ(serialize_v2(bare).at(1), 2) << "an empty location is omitted, as libmacaroons does";
}

TEST(MacaroonV2, TextFormIsUnpaddedUrlSafeBase64AndStandardIsAccepted) {
  const Macaroon m = sample();
  const std::string text = serialize_v2_text(m);
  EXPECT_EQ(text.find_first_of("+/="), std::string::npos);
  std::string standard = to_base64(serialize_v2(m));
  EXPECT_EQ(parse_v2_text(standard), m);
}

TEST(MacaroonV2, AcceptsAnEmptyLocationFieldAsPymacaroonsWritesIt) {
  // pymacaroons always writes the location field, even when it is empty.
  const Bytes with_empty_location{2, 1, 0, 2, 2, 'i', 'd', 0, 0, 6, 32, 1, 1, 1, 1,
                                  1, 1, 1, 1, 1, 1,   1,   1, 1, 1, 1,  1, 1, 1, 1,
                                  1, 1, 1, 1, 1, 1,   1,   1, 1, 1, 1,  1, 1};
  const Macaroon m = parse_v2(with_empty_location);
  EXPECT_EQ(m.location(), "");
  EXPECT_EQ(to_string(m.identifier()), "id");
}

TEST(MacaroonV2, RejectsMalformedStructure) {
  const Bytes good = serialize_v2(sample());
  auto rejects = [](const Bytes& data) {
    EXPECT_THROW(parse_v2(data), MacaroonFormatError) << to_hex(data);
  };
  rejects({});
  rejects({1});                                 // V1 is not accepted
  rejects({2});                                 // nothing after the version
  rejects({2, 0, 0, 6, 32});                    // no identifier
  rejects({2, 2, 2, 'i', 'd', 0, 0, 6, 1, 0});  // short signature
  Bytes trailing = good;
  trailing.push_back(0);
  rejects(trailing);
  Bytes out_of_order{2, 2, 2, 'i', 'd', 1, 1, 'x', 0, 0, 6, 32};
  out_of_order.resize(out_of_order.size() + 32, 1);
  rejects(out_of_order);
  Bytes first_party_location{2, 2, 2, 'i', 'd', 0, 1, 1, 'x', 2, 1, 'c', 0, 0, 6, 32};
  first_party_location.resize(first_party_location.size() + 32, 1);
  rejects(first_party_location);
  Bytes unknown_field{2, 2, 2, 'i', 'd', 3, 1, 'x', 0, 0, 6, 32};
  unknown_field.resize(unknown_field.size() + 32, 1);
  rejects(unknown_field);
  Bytes huge_length{2, 2, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01};
  rejects(huge_length);
  Bytes overlong_varint{2, 2, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01};
  rejects(overlong_varint);
  EXPECT_THROW(parse_v2_text("!!!"), MacaroonFormatError);
  EXPECT_THROW(parse_v2_text(""), MacaroonFormatError);
}

TEST(MacaroonV2, EveryTruncationFailsCleanly) {
  const Bytes good = serialize_v2(sample());
  for (size_t n = 0; n < good.size(); ++n)
    EXPECT_THROW(parse_v2(ByteView(good).first(n)), MacaroonFormatError) << "length " << n;
}

TEST(MacaroonV2, RandomAndMutatedInputsNeverCrash) {
  std::mt19937_64 random(7);
  const Bytes good = serialize_v2(sample());
  size_t parsed = 0;
  for (int round = 0; round < 20000; ++round) {
    Bytes data;
    if (round % 2 == 0) {
      data = good;
      const int edits = 1 + static_cast<int>(random() % 4);
      for (int e = 0; e < edits; ++e)
        data[random() % data.size()] = static_cast<std::uint8_t>(random());
    } else {
      data.resize(random() % 200);
      for (auto& b : data) b = static_cast<std::uint8_t>(random());
      if (!data.empty()) data[0] = 2;
    }
    try {
      const Macaroon m = parse_v2(data);
      EXPECT_EQ(serialize_v2(parse_v2(serialize_v2(m))), serialize_v2(m));
      ++parsed;
    } catch (const MacaroonFormatError&) {
    }
  }
  EXPECT_GT(parsed, 0u) << "some single-byte mutations (e.g. in the signature) still parse";
}

}  // namespace
}  // namespace westworld::capability
