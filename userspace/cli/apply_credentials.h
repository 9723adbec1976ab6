// What `wwctl policy apply` sends along for an agent whose trust gate is closed: the
// capability token and its discharges, peer signatures (from `wwctl policy sign`), and the
// change's nonce and time. Against an open agent they are simply ignored.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "westworld/capability/mass_change.h"
#include "westworld/control/messages.h"

namespace westworld::cli {

// A peer's approval of one change, as `wwctl policy sign` writes it: a JSON object with
// format, action, targets, policy_digest (hex), nonce (hex), time (Unix seconds),
// peer_id, peer (base64 Ed25519 public key) and signature (base64).
inline constexpr std::string_view kChangeSignatureFormat = "westworld/change-signature/v1";

struct ChangeSignature {
  capability::ChangeRequest change;
  std::string peer_id;
  capability::PeerSignature signature;
};

nlohmann::json to_json(const ChangeSignature& signed_change);
// Throws "PATH: what is wrong", including when the signature does not verify.
ChangeSignature read_change_signature(const std::string& path);

struct ApplyCredentialOptions {
  std::string token;
  std::string token_file;
  std::vector<std::string> discharges;
  std::vector<std::string> signature_files;
  std::string nonce;  // 64 hex; random unless given or fixed by the signature files
};

// Adds --token, --token-file, --discharge, --signature and --nonce to `apply`.
std::shared_ptr<ApplyCredentialOptions> add_apply_credential_options(CLI::App& apply);

// The apply request's credentials: token, discharges, signatures (sorted by signer key,
// as the agent requires), nonce and time. Signatures fix the nonce and time they were made over;
// they must agree with each other, with --nonce, and with the digest of `policy_file` when it
// compiles. Throws one clear line on an unreadable or inconsistent input.
control::ApplyCredentials build_apply_credentials(const ApplyCredentialOptions& options,
                                                  const std::string& policy_file);

}  // namespace westworld::cli
