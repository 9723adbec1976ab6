// Writes seed inputs for the macaroon and audit_entry harnesses: tokens and audit leaves
// minted by the code itself, so the fuzzers start from inputs that pass every check.
// Usage: make_fuzz_seeds DIR (writes DIR/macaroon/* and DIR/audit_entry/*).
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "macaroon_input.h"
#include "westworld/audit/audit_entry.h"
#include "westworld/capability/macaroon_v2.h"

using namespace westworld;
using namespace westworld::capability;
using nlohmann::json;

namespace {

namespace fs = std::filesystem;

void write(const fs::path& file, std::string_view bytes) {
  fs::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary).write(bytes.data(), std::streamsize(bytes.size()));
  std::printf("%s\n", file.c_str());
}

Macaroon root_token(std::string_view id, const std::vector<std::string>& caveats) {
  Macaroon m = Macaroon::mint(as_bytes(fuzz::kFuzzRootKey), as_bytes(id), "westworld");
  for (const std::string& caveat : caveats) m.add_first_party_caveat(caveat);
  return m;
}

// The root first, then the discharges, in the harness's framing.
void write_tokens(const fs::path& file, const Macaroon& root,
                  const std::vector<Macaroon>& discharges = {}) {
  Bytes out;
  fuzz::append_record(out, serialize_v2(root));
  for (const Macaroon& discharge : discharges) fuzz::append_record(out, serialize_v2(discharge));
  write(file, to_string(out));
}

void write_macaroon_seeds(const fs::path& dir) {
  write_tokens(dir / "apply-on-n1", root_token("token-1", {"action = policy.apply", "node = n1"}));
  write_tokens(dir / "regional-until-2031",
               root_token("token-2", {"scope = regional", "affects_nodes_le = 10",
                                      "affects_network_ppm_le = 100000",
                                      "valid_until = 2031-01-01T00:00:00Z"}));
  write_tokens(dir / "expired", root_token("token-3", {"valid_until = 2020-01-01T00:00:00Z"}));
  write_tokens(dir / "unknown-caveat", root_token("token-4", {"colour = blue"}));

  // Network scope with the governance discharge it needs.
  Macaroon governed = root_token("token-5", {"action = policy.apply", "scope = network"});
  governed.add_third_party_caveat("governance", as_bytes(fuzz::kFuzzCaveatKey),
                                  as_bytes("requires_dao_vote = proposal-7"), CaveatNonce{});
  Macaroon vote = Macaroon::mint(as_bytes(fuzz::kFuzzCaveatKey),
                                 as_bytes("requires_dao_vote = proposal-7"), "governance");
  vote.add_first_party_caveat("valid_until = 2031-01-01T00:00:00Z");
  write_tokens(dir / "network-with-vote", governed, {vote.bound_to(governed)});
  write_tokens(dir / "network-without-vote", governed);

  // A discharge that itself needs a discharge.
  Macaroon nested = root_token("token-6", {"node = n1"});
  nested.add_third_party_caveat("governance", as_bytes(fuzz::kFuzzCaveatKey),
                                as_bytes("requires_dao_vote"), CaveatNonce{});
  Macaroon outer = Macaroon::mint(as_bytes(fuzz::kFuzzCaveatKey), as_bytes("requires_dao_vote"));
  outer.add_third_party_caveat("council", as_bytes(fuzz::kFuzzCaveatKey),
                               as_bytes("requires_dao_vote = council"), CaveatNonce{});
  const Macaroon inner =
      Macaroon::mint(as_bytes(fuzz::kFuzzCaveatKey), as_bytes("requires_dao_vote = council"));
  write_tokens(dir / "nested-discharge", nested, {outer.bound_to(nested), inner.bound_to(nested)});

  // The text form, as `wwctl` sends it.
  write(dir / "text-form",
        serialize_v2_text(root_token("token-7", {"action = quarantine", "node = n2"})));
}

void write_leaf(const fs::path& file, const audit::AuditRecord& record) {
  const auto logged_at =
      std::chrono::sys_days{std::chrono::year{2026} / 3 / 14} + std::chrono::hours{9};
  write(file, audit::prepare_entry(record, logged_at).leaf);
}

void write_audit_seeds(const fs::path& dir) {
  const std::string digest(64, 'a');
  write_leaf(dir / "policy-apply", {"policy_apply",
                                    {{"digest", digest},
                                     {"token_id", "token-1"},
                                     {"signers", {"peer-1", "peer-2"}},
                                     {"actor", "alice"}}});
  write_leaf(dir / "quarantine", {"quarantine", {{"node", "n1"}, {"reason", "rate_jump"}}});
  write_leaf(dir / "release", {"release", {{"node", "n1"}, {"reason", "quiet"}, {"actor", "bob"}}});
  write_leaf(dir / "freeze", {"freeze", {{"target", "policy"}, {"reason", "control_plane"}}});
  write_leaf(dir / "unfreeze", {"unfreeze", {{"target", "policy"}, {"reason", "operator"}}});
  write_leaf(dir / "emergency-override", {"emergency_override",
                                          {{"who", "carol"},
                                           {"what", "lift quota"},
                                           {"why", "outage"},
                                           {"affected_nodes", {"n1", "n2"}},
                                           {"expiry", "2026-03-15T00:00:00Z"}}});
  write_leaf(dir / "charter-violation",
             {"charter_violation",
              {{"node", "n3"}, {"charter_clause", "anti-delos"}, {"detail", "udp/5555"}}});
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s DIR\n", argv[0]);
    return 2;
  }
  const fs::path dir = argv[1];
  write_macaroon_seeds(dir / "macaroon");
  write_audit_seeds(dir / "audit_entry");
  return 0;
}
