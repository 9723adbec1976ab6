#include "apply_credentials.h"

#include <algorithm>
#include <stdexcept>

#include "text_input.h"
#include "westworld/capability/clock.h"
#include "westworld/policy/compiled_policy.h"
#include "westworld/policy/loader.h"

namespace westworld::cli {
namespace {

using namespace westworld::capability;
using nlohmann::json;

template <std::size_t N>
std::array<std::uint8_t, N> fixed_bytes(const std::optional<Bytes>& bytes, const char* what) {
  if (!bytes || bytes->size() != N)
    throw std::runtime_error(std::string(what) + " must be " + std::to_string(N) + " bytes");
  std::array<std::uint8_t, N> out{};
  std::copy(bytes->begin(), bytes->end(), out.begin());
  return out;
}

ChangeSignature parse_change_signature(const json& doc) {
  if (doc.value("format", "") != kChangeSignatureFormat)
    throw std::runtime_error("not a " + std::string(kChangeSignatureFormat) + " file");
  ChangeSignature out;
  out.change.action = doc.at("action").get<std::string>();
  out.change.targets = doc.at("targets").get<std::vector<std::string>>();
  out.change.policy_digest =
      fixed_bytes<32>(from_hex(doc.at("policy_digest").get<std::string>()), "policy_digest");
  out.change.nonce = fixed_bytes<32>(from_hex(doc.at("nonce").get<std::string>()), "nonce");
  out.change.unix_time = doc.at("time").get<std::int64_t>();
  out.peer_id = doc.at("peer_id").get<std::string>();
  out.signature.signer = fixed_bytes<32>(from_base64(doc.at("peer").get<std::string>()), "peer");
  out.signature.signature =
      fixed_bytes<64>(from_base64(doc.at("signature").get<std::string>()), "signature");
  if (!ed25519_verify(change_digest(out.change), out.signature.signature, out.signature.signer))
    throw std::runtime_error("the signature does not verify over the change it describes");
  return out;
}

// The digest the agent will compute, or nothing when the file does not compile (the
// agent then reports the diagnostics itself).
std::optional<std::string> compiled_digest(const std::string& policy_file) {
  const policy::LoadResult loaded = policy::load_policy_file(policy_file);
  if (!loaded.policy) return std::nullopt;
  return policy::compile(*loaded.policy).digest_hex;
}

// Every signature must approve the same change, since the agent checks them against one.
void require_same_change(const ChangeSignature& first, const std::string& first_path,
                         const ChangeSignature& other, const std::string& other_path) {
  const auto differs = [&](const char* field) {
    return std::runtime_error(other_path + " approves a change with another " + field + " than " +
                              first_path);
  };
  if (other.change.action != first.change.action) throw differs("action");
  if (target_set_digest(other.change.targets) != target_set_digest(first.change.targets))
    throw differs("target set");
  if (other.change.policy_digest != first.change.policy_digest) throw differs("policy digest");
  if (other.change.nonce != first.change.nonce) throw differs("nonce");
  if (other.change.unix_time != first.change.unix_time) throw differs("time");
}

std::string random_nonce_hex() {
  ChangeNonce nonce;
  random_bytes(nonce);
  return to_hex(nonce);
}

std::int64_t unix_now() { return system_clock().now().time_since_epoch().count(); }

}  // namespace

json to_json(const ChangeSignature& s) {
  return {{"format", kChangeSignatureFormat},
          {"action", s.change.action},
          {"targets", s.change.targets},
          {"policy_digest", to_hex(s.change.policy_digest)},
          {"nonce", to_hex(s.change.nonce)},
          {"time", s.change.unix_time},
          {"peer_id", s.peer_id},
          {"peer", to_base64(s.signature.signer)},
          {"signature", to_base64(s.signature.signature)}};
}

ChangeSignature read_change_signature(const std::string& path) {
  try {
    return parse_change_signature(json::parse(read_text(path)));
  } catch (const std::exception& e) {
    throw std::runtime_error(path + ": " + e.what());
  }
}

std::shared_ptr<ApplyCredentialOptions> add_apply_credential_options(CLI::App& apply) {
  auto c = std::make_shared<ApplyCredentialOptions>();
  CLI::Option* token = apply.add_option("--token", c->token, "Capability token (V2, base64url)");
  apply.add_option("--token-file", c->token_file, "Read the capability token from this file")
      ->excludes(token);
  apply.add_option("--discharge", c->discharges, "Discharge bound to the token (repeatable)");
  apply.add_option("--signature", c->signature_files,
                   "Peer approval from `wwctl policy sign` (repeatable)");
  apply.add_option("--nonce", c->nonce,
                   "Change nonce, 64 hex (default: random, or the signatures')");
  return c;
}

control::ApplyCredentials build_apply_credentials(const ApplyCredentialOptions& c,
                                                  const std::string& policy_file) {
  control::ApplyCredentials request;
  const std::string token = c.token_file.empty() ? c.token : trimmed(read_text(c.token_file));
  if (!token.empty()) request.token = token;
  request.discharges = c.discharges;
  if (!c.nonce.empty() && (c.nonce.size() != 64 || !from_hex(c.nonce)))
    throw std::runtime_error("--nonce must be 64 hex characters");

  std::vector<ChangeSignature> signatures;
  for (const std::string& path : c.signature_files) {
    signatures.push_back(read_change_signature(path));
    require_same_change(signatures.front(), c.signature_files.front(), signatures.back(), path);
  }
  if (signatures.empty()) {
    request.nonce = c.nonce.empty() ? random_nonce_hex() : c.nonce;
    request.time = unix_now();
    return request;
  }

  const ChangeRequest& change = signatures.front().change;
  if (!c.nonce.empty() && c.nonce != to_hex(change.nonce))
    throw std::runtime_error("--nonce differs from the nonce the peers signed");
  const auto digest = compiled_digest(policy_file);
  if (digest && *digest != to_hex(change.policy_digest))
    throw std::runtime_error(c.signature_files.front() + " approves policy digest " +
                             to_hex(change.policy_digest).substr(0, 16) + "..., but " +
                             policy_file + " compiles to " + digest->substr(0, 16) + "...");
  std::sort(signatures.begin(), signatures.end(),
            [](const auto& a, const auto& b) { return a.signature.signer < b.signature.signer; });
  for (const ChangeSignature& s : signatures)
    request.signatures.push_back({to_base64(s.signature.signer), to_base64(s.signature.signature)});
  request.nonce = to_hex(change.nonce);
  request.time = change.unix_time;
  return request;
}

}  // namespace westworld::cli
