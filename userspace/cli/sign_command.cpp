// wwctl policy sign: a peer's approval of applying a policy to a node, which a mass change
// needs from 3 peers. wwctl peer keygen|key: the peer's Ed25519 key and its peers-file line.
// Peer keys are Ed25519 seeds stored like root keys: 64 hex characters, mode 0600.
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>

#include "apply_credentials.h"
#include "commands.h"
#include "peer_key.h"
#include "westworld/capability/clock.h"
#include "westworld/capability/secret_file.h"
#include "westworld/policy/compiled_policy.h"
#include "westworld/policy/loader.h"

namespace westworld::cli {
namespace {

using namespace westworld::capability;

constexpr std::string_view kPolicyApplyAction = "policy.apply";  // as the agent checks it

struct SignOptions {
  std::string policy_file;
  std::string key_file;
  std::string peer_id;
  std::string node;
  std::string nonce;
  std::string time;
  std::string output;
};

// The peers file splits on whitespace and treats '#' as a comment.
void require_peer_id(const std::string& id) {
  if (id.empty() || id.find_first_of(" \t\r\n#") != std::string::npos)
    throw std::runtime_error("--peer must be non-empty, without spaces or '#'");
}

std::string peers_file_line(const std::string& id, const PublicKey& key) {
  return id + " " + to_base64(key);
}

Digest compiled_policy_digest(const std::string& file) {
  const policy::LoadResult loaded = policy::load_policy_file(file);
  for (const auto& d : loaded.diagnostics) std::cerr << d.format() << '\n';
  if (!loaded.policy) throw std::runtime_error(file + ": the policy has errors; nothing signed");
  const auto digest = from_hex(policy::compile(*loaded.policy).digest_hex);
  Digest out{};
  std::copy(digest->begin(), digest->end(), out.begin());
  return out;
}

// A change signed without --nonce/--time gets fresh ones; the other peers must reuse them,
// so say how.
ChangeRequest change_to_sign(const SignOptions& o) {
  ChangeRequest change{std::string(kPolicyApplyAction), {o.node}, {}, {}, 0};
  change.policy_digest = compiled_policy_digest(o.policy_file);
  if (o.nonce.empty()) {
    random_bytes(change.nonce);
  } else {
    const auto nonce = o.nonce.size() == 64 ? from_hex(o.nonce) : std::nullopt;
    if (!nonce) throw std::runtime_error("--nonce must be 64 hex characters");
    std::copy(nonce->begin(), nonce->end(), change.nonce.begin());
  }
  const auto time = o.time.empty() ? system_clock().now() : parse_rfc3339_utc(o.time);
  if (!time) throw std::runtime_error("--time needs a time like 2026-12-01T00:00:00Z");
  change.unix_time = time->time_since_epoch().count();
  if (o.nonce.empty() || o.time.empty())
    std::cerr << "wwctl: the other peers sign the same change with --nonce " << to_hex(change.nonce)
              << " --time " << format_rfc3339_utc(*time) << '\n';
  return change;
}

int run_sign(const SignOptions& o) {
  require_peer_id(o.peer_id);
  const Ed25519KeyPair key = read_peer_key(o.key_file);
  const ChangeRequest change = change_to_sign(o);
  const ChangeSignature signed_change{change, o.peer_id, sign_change(change, key)};
  const std::string text = to_json(signed_change).dump(2) + "\n";
  if (o.output.empty() || o.output == "-") {
    std::cout << text;
    return EXIT_SUCCESS;
  }
  std::ofstream out(o.output, std::ios::binary | std::ios::trunc);
  if (!(out << text) || !out.flush()) throw std::runtime_error(o.output + ": cannot write");
  return EXIT_SUCCESS;
}

int run_peer_keygen(const std::string& key_file, const std::string& peer_id) {
  require_peer_id(peer_id);
  const Ed25519KeyPair key = Ed25519KeyPair::generate();
  std::string text = to_hex(key.seed().view()) + "\n";
  try {
    write_new_secret_file(key_file, text);
  } catch (...) {
    wipe(text);
    throw;
  }
  wipe(text);
  std::cout << peers_file_line(peer_id, key.public_key()) << '\n';
  return EXIT_SUCCESS;
}

int run_peer_key(const std::string& key_file, const std::string& peer_id) {
  require_peer_id(peer_id);
  std::cout << peers_file_line(peer_id, read_peer_key(key_file).public_key()) << '\n';
  return EXIT_SUCCESS;
}

}  // namespace

// Adds `sign` under the existing `policy` command: call after register_policy_commands.
void register_sign_command(CLI::App& app, const CommonOptions& /*common*/, int& exit_code) {
  auto o = std::make_shared<SignOptions>();
  CLI::App* sign = app.get_subcommand("policy")->add_subcommand(
      "sign", "Approve applying a policy to a node: writes a peer signature for `policy apply`");
  sign->add_option("FILE", o->policy_file, "Policy file")->required();
  sign->add_option("--key", o->key_file, "This peer's key file (wwctl peer keygen)")->required();
  sign->add_option("--peer", o->peer_id, "This peer's id, as in the agent's peers file")
      ->required();
  sign->add_option("--node", o->node, "The node the policy is for (its agent's --node-id)")
      ->required();
  sign->add_option("--nonce", o->nonce, "The change's nonce, 64 hex (default: random)");
  sign->add_option("--time", o->time,
                   "The change's time, like 2026-12-01T00:00:00Z (default: now)");
  sign->add_option("-o,--output", o->output, "Signature file to write (default: stdout)");
  sign->callback([o, &exit_code] { exit_code = run_sign(*o); });

  CLI::App* peer = app.add_subcommand("peer", "Peer keys that approve mass changes");
  peer->require_subcommand(1);
  CLI::App* keygen = peer->add_subcommand(
      "keygen", "Create a peer key (mode 0600); prints its line for the agents' peers files");
  keygen->add_option("KEYFILE", o->key_file, "Key file to create; never overwritten")->required();
  keygen->add_option("--peer", o->peer_id, "This peer's id")->required();
  keygen->callback([o, &exit_code] { exit_code = run_peer_keygen(o->key_file, o->peer_id); });
  CLI::App* key = peer->add_subcommand("key", "Print a peer key's line for the peers files");
  key->add_option("KEYFILE", o->key_file, "Key file")->required();
  key->add_option("--peer", o->peer_id, "This peer's id")->required();
  key->callback([o, &exit_code] { exit_code = run_peer_key(o->key_file, o->peer_id); });
}

}  // namespace westworld::cli
