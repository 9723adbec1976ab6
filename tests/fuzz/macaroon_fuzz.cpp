// The macaroon V2 parser and the token verifier on arbitrary bytes: a token and its
// discharges arrive with every `wwctl policy apply`, before anything is authenticated.
// Parsing must end in a Macaroon or a MacaroonFormatError; what parses must serialise
// back to the same macaroon; verification must end in a verdict. Mutated tokens almost
// never keep a valid signature, so each parsed set is also re-signed with the fuzz keys:
// that drives the discharge search and the caveat language as a genuine token would.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <optional>
#include <vector>

#include "fuzz_check.h"
#include "macaroon_input.h"
#include "westworld/capability/caveat.h"
#include "westworld/capability/macaroon_v2.h"
#include "westworld/capability/macaroon_verifier.h"
#include "westworld/capability/token_verifier.h"

using namespace westworld::capability;
using westworld::fuzz::kFuzzCaveatKey;
using westworld::fuzz::kFuzzRootKey;

namespace {

std::optional<Macaroon> parsed(ByteView record) {
  try {
    Macaroon macaroon = parse_v2(record);
    WW_FUZZ_CHECK(parse_v2(serialize_v2(macaroon)) == macaroon,
                  "a parsed macaroon survives serialise and parse");
    WW_FUZZ_CHECK(parse_v2_text(serialize_v2_text(macaroon)) == macaroon,
                  "a parsed macaroon survives the text form");
    return macaroon;
  } catch (const MacaroonFormatError&) {
    return std::nullopt;
  }
}

// `shape` with the same identifier and caveats, signed as its issuer would sign it.
Macaroon resigned(const Macaroon& shape, ByteView key) {
  Macaroon out = Macaroon::mint(key, shape.identifier(), shape.location());
  const CaveatNonce fixed_nonce{};  // deterministic, so coverage is reproducible
  for (const Caveat& caveat : shape.caveats()) {
    if (caveat.is_third_party())
      out.add_third_party_caveat(caveat.location, as_bytes(kFuzzCaveatKey), caveat.identifier,
                                 fixed_nonce);
    else
      out.add_first_party_caveat(to_string(caveat.identifier));
  }
  return out;
}

void verify(const Macaroon& root, const std::vector<Macaroon>& discharges) {
  static const FixedClock clock(std::chrono::sys_days{std::chrono::year{2030} / 1 / 1});
  const RequestContext request{"policy.apply", "n1", 3, 40};
  const TokenVerdict verdict =
      TokenVerifier(clock).verify(root, as_bytes(kFuzzRootKey), discharges, request);
  WW_FUZZ_CHECK(!verdict.describe().empty(), "a verdict describes itself");
  if (!verdict.ok) return;
  for (const Caveat& caveat : root.caveats()) {
    if (caveat.is_third_party()) continue;
    WW_FUZZ_CHECK(parse_condition(to_string(caveat.identifier)).condition.has_value(),
                  "an accepted token has only well-formed first-party caveats");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const ByteView input(data, size);
  // The text form as the agent receives it; the records below exercise the binary form.
  try {
    parse_v2_text(std::string_view(reinterpret_cast<const char*>(data), size));
  } catch (const MacaroonFormatError&) {
  }

  std::optional<Macaroon> root;
  std::vector<Macaroon> discharges;
  bool first = true;
  for (ByteView record : westworld::fuzz::split_records(input)) {
    std::optional<Macaroon> macaroon = parsed(record);
    if (first)
      root = std::move(macaroon);
    else if (macaroon)
      discharges.push_back(std::move(*macaroon));
    first = false;
  }
  if (!root) return 0;
  verify(*root, discharges);

  const Macaroon signed_root = resigned(*root, as_bytes(kFuzzRootKey));
  const bool first_party_only =
      std::none_of(root->caveats().begin(), root->caveats().end(),
                   [](const Caveat& caveat) { return caveat.is_third_party(); });
  if (first_party_only) {
    WW_FUZZ_CHECK(check_signature_chain(signed_root, as_bytes(kFuzzRootKey), {}).ok,
                  "a token signed with the root key verifies under it");
  }
  std::vector<Macaroon> signed_discharges;
  for (const Macaroon& discharge : discharges)
    signed_discharges.push_back(
        resigned(discharge, as_bytes(kFuzzCaveatKey)).bound_to(signed_root));
  verify(signed_root, signed_discharges);
  return 0;
}
