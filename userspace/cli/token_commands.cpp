// wwctl token keygen|mint|attenuate|discharge|inspect|verify: capability tokens.
// Tokens are macaroons in the libmacaroons V2 format, printed as URL-safe base64.
#include <charconv>
#include <cstdlib>
#include <iostream>
#include <memory>

#include "commands.h"
#include "text_input.h"
#include "westworld/capability/caveat.h"
#include "westworld/capability/macaroon_v2.h"
#include "westworld/capability/secret_file.h"
#include "westworld/capability/token_verifier.h"
#include "westworld/common/printable.h"

namespace westworld::cli {
namespace {

using namespace westworld::capability;

struct TokenOptions {
  std::string key_file;
  std::string id;
  std::string location;
  std::string token;
  std::vector<std::string> caveats;
  std::vector<std::string> context;
  std::vector<std::string> discharges;
  std::string third_party_id;
  std::string third_party_key;
  std::string third_party_location = "governance";
  std::string bind_to;
};

Macaroon read_token(const std::string& text) { return parse_v2_text(trimmed(text)); }

// Minting a caveat that can never be satisfied is always a mistake; say so up front.
void require_well_formed(const std::vector<std::string>& caveats) {
  for (const std::string& caveat : caveats) {
    const ConditionParse parsed = parse_condition(caveat);
    if (!parsed.condition)
      throw std::runtime_error("caveat '" + caveat + "' is not valid: " + parsed.error);
  }
}

void add_caveats(Macaroon& macaroon, const std::vector<std::string>& caveats) {
  require_well_formed(caveats);
  for (const std::string& caveat : caveats) macaroon.add_first_party_caveat(caveat);
}

std::uint64_t parse_count(const std::string& key, const std::string& value) {
  std::uint64_t n = 0;
  const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), n);
  if (value.empty() || error != std::errc() || end != value.data() + value.size())
    throw std::runtime_error("--ctx " + key + " needs a non-negative integer, not '" + value + "'");
  return n;
}

// --ctx action=NAME node=ID affected_nodes=N network_size=N now=RFC3339
RequestContext parse_context(const std::vector<std::string>& pairs,
                             std::optional<UnixSeconds>& now) {
  RequestContext request;
  for (const std::string& pair : pairs) {
    const size_t eq = pair.find('=');
    if (eq == std::string::npos)
      throw std::runtime_error("--ctx wants key=value, got '" + pair + "'");
    const std::string key = pair.substr(0, eq), value = pair.substr(eq + 1);
    if (key == "action") {
      request.action = value;
    } else if (key == "node") {
      request.node = value;
    } else if (key == "affected_nodes") {
      request.affected_nodes = parse_count(key, value);
    } else if (key == "network_size") {
      request.network_size = parse_count(key, value);
    } else if (key == "now") {
      now = parse_rfc3339_utc(value);
      if (!now) throw std::runtime_error("--ctx now needs a time like 2026-12-01T00:00:00Z");
    } else {
      throw std::runtime_error("unknown --ctx key '" + key +
                               "' (action, node, affected_nodes, network_size, now)");
    }
  }
  return request;
}

// Printable ASCII as is, anything else as base64 with a "64" suffix on
// the label, as pymacaroons' inspect does.
void print_field(std::string_view label, const Bytes& value) {
  const bool printable =
      std::all_of(value.begin(), value.end(), [](std::uint8_t c) { return c >= 0x20 && c < 0x7f; });
  if (printable)
    std::cout << label << ' ' << to_string(value) << '\n';
  else
    std::cout << label << "64 " << to_base64(value) << '\n';
}

int run_keygen(const std::string& key_file) {
  create_root_key_file(key_file, generate_root_key());
  std::cout << "created root key " << key_file << " (mode 0600)\n";
  return EXIT_SUCCESS;
}

int run_mint(const TokenOptions& o) {
  const RootKey key = read_root_key_file(o.key_file);
  Macaroon token = Macaroon::mint(key.view(), as_bytes(o.id), o.location);
  add_caveats(token, o.caveats);
  std::cout << serialize_v2_text(token) << '\n';
  return EXIT_SUCCESS;
}

int run_attenuate(const TokenOptions& o) {
  Macaroon token = read_token(o.token);
  if (o.caveats.empty() && o.third_party_id.empty())
    throw std::runtime_error("attenuate needs --caveat or --third-party-id");
  add_caveats(token, o.caveats);
  if (!o.third_party_id.empty()) {
    if (!is_dao_vote_caveat(o.third_party_id))
      throw std::runtime_error("the only third-party caveat is 'requires_dao_vote[ = ID]'");
    if (o.third_party_key.empty())
      throw std::runtime_error("--third-party-id needs --third-party-key");
    const RootKey caveat_key = read_root_key_file(o.third_party_key);
    token.add_third_party_caveat(o.third_party_location, caveat_key.view(),
                                 as_bytes(o.third_party_id));
  }
  std::cout << serialize_v2_text(token) << '\n';
  return EXIT_SUCCESS;
}

// Governance's side: mint the discharge for a caveat of `--for` and bind it to that token.
int run_discharge(const TokenOptions& o) {
  const Macaroon root = read_token(o.bind_to);
  const bool asked = std::any_of(
      root.caveats().begin(), root.caveats().end(),
      [&](const Caveat& c) { return c.is_third_party() && to_string(c.identifier) == o.id; });
  if (!asked) throw std::runtime_error("the token has no third-party caveat '" + o.id + "'");
  const RootKey key = read_root_key_file(o.key_file);
  Macaroon discharge = Macaroon::mint(key.view(), as_bytes(o.id), o.location);
  add_caveats(discharge, o.caveats);
  std::cout << serialize_v2_text(discharge.bound_to(root)) << '\n';
  return EXIT_SUCCESS;
}

int run_inspect(const std::string& text) {
  const Macaroon token = read_token(text);
  std::cout << "location " << common::printable(token.location()) << '\n';
  print_field("identifier", token.identifier());
  for (const Caveat& caveat : token.caveats()) {
    print_field("cid", caveat.identifier);
    if (caveat.is_third_party()) {
      std::cout << "vid " << to_base64(caveat.verification_id) << '\n';
      std::cout << "cl " << common::printable(caveat.location) << '\n';
    }
  }
  std::cout << "signature " << to_hex(token.signature()) << '\n';
  return EXIT_SUCCESS;
}

int run_verify(const TokenOptions& o) {
  const RootKey key = read_root_key_file(o.key_file);
  const Macaroon token = read_token(o.token);
  std::vector<Macaroon> discharges;
  for (const std::string& d : o.discharges) discharges.push_back(read_token(d));
  std::optional<UnixSeconds> now;
  const RequestContext request = parse_context(o.context, now);
  const FixedClock fixed(now.value_or(UnixSeconds{}));
  const TokenVerifier verifier(now ? static_cast<const Clock&>(fixed) : system_clock());
  const TokenVerdict verdict = verifier.verify(token, key.view(), discharges, request);
  if (!verdict.ok) {
    std::cerr << "wwctl: token rejected: " << verdict.describe() << '\n';
    return EXIT_FAILURE;
  }
  std::cout << verdict.describe() << '\n';
  return EXIT_SUCCESS;
}

}  // namespace

void register_token_commands(CLI::App& app, const CommonOptions& /*common*/, int& exit_code) {
  CLI::App* token =
      app.add_subcommand("token", "Capability tokens (macaroons): mint, attenuate, verify");
  token->require_subcommand(1);
  auto o = std::make_shared<TokenOptions>();

  CLI::App* keygen =
      token->add_subcommand("keygen", "Create a root key file (64 hex chars, mode 0600)");
  keygen->add_option("KEYFILE", o->key_file, "Key file to create; never overwritten")->required();
  keygen->callback([o, &exit_code] { exit_code = run_keygen(o->key_file); });

  CLI::App* mint = token->add_subcommand("mint", "Mint a token with the root key");
  mint->add_option("--key", o->key_file, "Root key file")->required();
  mint->add_option("--id", o->id, "Token identifier")->required();
  mint->add_option("--location", o->location, "Token location hint");
  mint->add_option("--caveat", o->caveats, "First-party caveat 'key = value' (repeatable)");
  mint->callback([o, &exit_code] { exit_code = run_mint(*o); });

  CLI::App* attenuate =
      token->add_subcommand("attenuate", "Add caveats; needs no key, only narrows");
  attenuate->add_option("--token", o->token, "Token to attenuate")->required();
  attenuate->add_option("--caveat", o->caveats, "First-party caveat 'key = value' (repeatable)");
  attenuate->add_option("--third-party-id", o->third_party_id,
                        "Third-party caveat: requires_dao_vote[ = ID]");
  attenuate->add_option("--third-party-key", o->third_party_key, "Key file shared with governance");
  attenuate
      ->add_option("--third-party-location", o->third_party_location,
                   "Where the discharge comes from")
      ->capture_default_str();
  attenuate->callback([o, &exit_code] { exit_code = run_attenuate(*o); });

  CLI::App* discharge =
      token->add_subcommand("discharge", "Governance: mint a discharge bound to a token");
  discharge->add_option("--key", o->key_file, "Governance key file (the --third-party-key)")
      ->required();
  discharge->add_option("--id", o->id, "The third-party caveat id being discharged")->required();
  discharge->add_option("--for", o->bind_to, "The token the discharge is bound to")->required();
  discharge->add_option("--location", o->location, "Discharge location hint");
  discharge->add_option("--caveat", o->caveats, "First-party caveat on the discharge (repeatable)");
  discharge->callback([o, &exit_code] { exit_code = run_discharge(*o); });

  CLI::App* inspect = token->add_subcommand("inspect", "Print a token's fields");
  inspect->add_option("TOKEN", o->token, "Token")->required();
  inspect->callback([o, &exit_code] { exit_code = run_inspect(o->token); });

  CLI::App* verify =
      token->add_subcommand("verify", "Exit 0 only when every caveat holds for the request");
  verify->add_option("--key", o->key_file, "Root key file")->required();
  verify->add_option("--token", o->token, "Token")->required();
  verify->add_option("--ctx", o->context,
                     "Request: action=, node=, affected_nodes=, network_size=, now= (repeatable)");
  verify->add_option("--discharge", o->discharges, "Bound discharge token (repeatable)");
  verify->callback([o, &exit_code] { exit_code = run_verify(*o); });
}

}  // namespace westworld::cli
