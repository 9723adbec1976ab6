// The macaroon signature chain against the libmacaroons README vectors and vectors minted
// by pymacaroons (third-party caveat with a fixed nonce), plus discharge binding.
#include "westworld/capability/macaroon.h"

#include <gtest/gtest.h>

#include "westworld/capability/macaroon_v2.h"
#include "westworld/capability/macaroon_verifier.h"

namespace westworld::capability {
namespace {

const std::string kSecret = "this is our super secret key; only we should know it";
const std::string kOtherSecret =
    "this is a different super-secret key; never use the same secret twice";
const std::string kThirdPartyKey = "this is another bad key";
const std::string kThirdPartyId = "this was how we remind auth of key/pred";

std::string sig_hex(const Macaroon& m) { return to_hex(m.signature()); }

CaveatNonce counting_nonce() {
  CaveatNonce nonce;
  for (size_t i = 0; i < nonce.size(); ++i) nonce[i] = static_cast<std::uint8_t>(i);
  return nonce;
}

// The root and discharge of the libmacaroons README's third-party example, exactly as
// pymacaroons 0.13 builds them with nonce 00 01 .. 17.
struct ThirdPartyExample {
  Macaroon root = Macaroon::mint(as_bytes(kOtherSecret), as_bytes("we used our other secret key"),
                                 "http://mysite.com/");
  Macaroon discharge =
      Macaroon::mint(as_bytes(kThirdPartyKey), as_bytes(kThirdPartyId), "http://auth.mysite.com/");
  ThirdPartyExample() {
    root.add_first_party_caveat("account = 3735928559");
    root.add_third_party_caveat("http://auth.mysite.com/", as_bytes(kThirdPartyKey),
                                as_bytes(kThirdPartyId), counting_nonce());
    discharge.add_first_party_caveat("time < 2025-01-01T00:00");
  }
};

TEST(Macaroon, LibmacaroonsReadmeChain) {
  Macaroon m =
      Macaroon::mint(as_bytes(kSecret), as_bytes("we used our secret key"), "http://mysite.com/");
  EXPECT_EQ(sig_hex(m), "e3d9e02908526c4c0039ae15114115d97fdd68bf2ba379b342aaf0f617d0552f");
  m.add_first_party_caveat("account = 3735928559");
  EXPECT_EQ(sig_hex(m), "1efe4763f290dbce0c1d08477367e11f4eee456a64933cf662d79772dbb82128");
  m.add_first_party_caveat("time < 2020-01-01T00:00");
  EXPECT_EQ(sig_hex(m), "b5f06c8c8ef92f6c82c6ff282cd1f8bd1849301d09a2db634ba182536a611c49");
  m.add_first_party_caveat("email = alice@example.org");
  EXPECT_EQ(sig_hex(m), "ddf553e46083e55b8d71ab822be3d8fcf21d6bf19c40d617bb9fb438934474b6");
  EXPECT_TRUE(check_signature_chain(m, as_bytes(kSecret), {}).ok);
}

TEST(Macaroon, ThirdPartyCaveatMatchesPymacaroons) {
  const ThirdPartyExample ex;
  EXPECT_EQ(sig_hex(ex.root), "e94451a0f5b5e65144116135d20781729b8288ffc9eabf3618b1f82221a74b77");
  EXPECT_EQ(
      serialize_v2_text(ex.root),
      "AgESaHR0cDovL215c2l0ZS5jb20vAhx3ZSB1c2VkIG91ciBvdGhlciBzZWNyZXQga2V5AAIUYWNjb3VudCA9IDM3"
      "MzU5Mjg1NTkAARdodHRwOi8vYXV0aC5teXNpdGUuY29tLwIndGhpcyB3YXMgaG93IHdlIHJlbWluZCBhdXRoIG9m"
      "IGtleS9wcmVkBEgAAQIDBAUGBwgJCgsMDQ4PEBESExQVFhdZeQU6Pcbn8ajlo65xKr1oWLuNWFCBpxb5AcPnIFCL"
      "F7SV3axfyeerdkQ5fjzj4WkAAAYg6URRoPW15lFEEWE10geBcpuCiP_J6r82GLH4IiGnS3c");
  EXPECT_EQ(sig_hex(ex.discharge),
            "717bdd82bfd15caef894266a5ca258de7c02902f431e5ffcb162e46d958c8945");
  const Macaroon bound = ex.discharge.bound_to(ex.root);
  EXPECT_EQ(sig_hex(bound), "61ea4607fe7c80f577ea2918d03aa9a7949e0d213064806381b9568332905a08");
  EXPECT_EQ(
      serialize_v2_text(bound),
      "AgEXaHR0cDovL2F1dGgubXlzaXRlLmNvbS8CJ3RoaXMgd2FzIGhvdyB3ZSByZW1pbmQgYXV0aCBvZiBrZXkvcHJl"
      "ZAACF3RpbWUgPCAyMDI1LTAxLTAxVDAwOjAwAAAGIGHqRgf-fID1d-opGNA6qaeUng0hMGSAY4G5VoMykFoI");
}

TEST(Macaroon, BoundDischargeVerifies) {
  const ThirdPartyExample ex;
  const std::vector<Macaroon> discharges{ex.discharge.bound_to(ex.root)};
  const ChainCheck check = check_signature_chain(ex.root, as_bytes(kOtherSecret), discharges);
  ASSERT_TRUE(check.ok) << check.error;
  ASSERT_EQ(check.discharges.size(), 1u);
  EXPECT_EQ(check.discharges.front(), &discharges.front());
}

TEST(Macaroon, UnboundOrMisboundDischargeFails) {
  const ThirdPartyExample ex;
  const std::vector<Macaroon> unbound{ex.discharge};
  const ChainCheck check = check_signature_chain(ex.root, as_bytes(kOtherSecret), unbound);
  EXPECT_FALSE(check.ok);
  EXPECT_EQ(check.caveat, kThirdPartyId);

  Macaroon other_root = ex.root;
  other_root.add_first_party_caveat("account = 1");
  const std::vector<Macaroon> bound_elsewhere{ex.discharge.bound_to(other_root)};
  EXPECT_FALSE(check_signature_chain(ex.root, as_bytes(kOtherSecret), bound_elsewhere).ok);
  EXPECT_FALSE(check_signature_chain(ex.root, as_bytes(kOtherSecret), {}).ok);

  const Macaroon forged = Macaroon::mint(as_bytes("guessed key"), as_bytes(kThirdPartyId));
  const std::vector<Macaroon> forged_list{forged.bound_to(ex.root)};
  EXPECT_FALSE(check_signature_chain(ex.root, as_bytes(kOtherSecret), forged_list).ok);
}

TEST(Macaroon, WrongRootKeyOrTamperedCaveatFails) {
  Macaroon m = Macaroon::mint(as_bytes(kSecret), as_bytes("id"));
  m.add_first_party_caveat("action = quarantine");
  EXPECT_TRUE(check_signature_chain(m, as_bytes(kSecret), {}).ok);
  EXPECT_FALSE(check_signature_chain(m, as_bytes("another key"), {}).ok);
  auto caveats = m.caveats();
  caveats[0].identifier = to_bytes("action = freeze");
  EXPECT_FALSE(check_signature_chain(Macaroon(m.location(), m.identifier(), caveats, m.signature()),
                                     as_bytes(kSecret), {})
                   .ok);
  // Dropping the last caveat cannot be done without the previous signature.
  caveats.pop_back();
  EXPECT_FALSE(check_signature_chain(Macaroon(m.location(), m.identifier(), caveats, m.signature()),
                                     as_bytes(kSecret), {})
                   .ok);
}

TEST(Macaroon, NestedDischargesAndCyclesAreHandled) {
  Macaroon root = Macaroon::mint(as_bytes("root"), as_bytes("root-id"));
  root.add_third_party_caveat("a", as_bytes("key-a"), as_bytes("cav-a"));
  Macaroon da = Macaroon::mint(as_bytes("key-a"), as_bytes("cav-a"));
  da.add_third_party_caveat("b", as_bytes("key-b"), as_bytes("cav-b"));
  Macaroon db = Macaroon::mint(as_bytes("key-b"), as_bytes("cav-b"));
  const std::vector<Macaroon> both{da.bound_to(root), db.bound_to(root)};
  const ChainCheck check = check_signature_chain(root, as_bytes("root"), both);
  ASSERT_TRUE(check.ok) << check.error;
  EXPECT_EQ(check.discharges.size(), 2u);
  EXPECT_FALSE(check_signature_chain(root, as_bytes("root"), std::span(both).first(1)).ok);

  // A discharge that demands itself can never be satisfied, and must not loop.
  Macaroon self = Macaroon::mint(as_bytes("key-a"), as_bytes("cav-a"));
  self.add_third_party_caveat("a", as_bytes("key-a"), as_bytes("cav-a"));
  const std::vector<Macaroon> cycle{self.bound_to(root)};
  EXPECT_FALSE(check_signature_chain(root, as_bytes("root"), cycle).ok);
}

TEST(Macaroon, TooManyDischargesAreRefused) {
  const Macaroon root = Macaroon::mint(as_bytes("root"), as_bytes("root-id"));
  const std::vector<Macaroon> many(kMaxDischarges + 1, root);
  EXPECT_FALSE(check_signature_chain(root, as_bytes("root"), many).ok);
}

}  // namespace
}  // namespace westworld::capability
