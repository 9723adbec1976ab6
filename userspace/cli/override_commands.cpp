// wwctl charter override|cosign|submit|overrides: emergency overrides that lift named
// charter rules for at most 2 h. Operators sign with their peer keys (wwctl peer keygen);
// operators at one console sign together (--key, repeated) and submit at once, others pass
// the override file around (-o, then `cosign`, then `submit`). Every agent of an affected
// node checks the signatures against its own operators file; wwctl decides nothing.
#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <memory>
#include <sstream>

#include "agent_request.h"
#include "commands.h"
#include "duration.h"
#include "override_file.h"
#include "peer_key.h"
#include "westworld/capability/bytes.h"
#include "westworld/capability/clock.h"
#include "westworld/common/atomic_file.h"
#include "westworld/control/codec.h"
#include "westworld/control/override_message.h"

namespace westworld::cli {
namespace {

struct OverrideOptions {
  std::vector<std::string> rules;
  std::string reason;
  std::vector<std::string> affected;
  std::string duration;
  std::vector<std::string> keys;
  std::string file;
  std::string output;
  std::string decision;  // a passed emergency proposal instead of operators' signatures
  bool as_json = false;
  uint32_t limit = 50;
};

void sign_with(control::CharterOverrideRequest& message, const std::vector<std::string>& keys) {
  const control::OverrideMessage parsed = control::from_message(message);
  for (const std::string& path : keys) {
    const capability::Ed25519KeyPair key = read_peer_key(path);
    const std::string signer = capability::to_base64(key.public_key());
    if (std::any_of(message.signatures.begin(), message.signatures.end(),
                    [&](const auto& s) { return s.signer == signer; })) {
      std::cerr << "wwctl: " << path << " signed this override already\n";
      continue;
    }
    const charter::OperatorSignature s = charter::sign_override(parsed.override_, key);
    message.signatures.push_back({signer, capability::to_base64(s.signature)});
  }
}

int submit(const CommonOptions& common, const control::CharterOverrideRequest& message) {
  auto reply = ask_agent(common, message, "it checks the operators' signatures");
  if (!reply) return EXIT_FAILURE;
  std::cout << "override " << reply->id.substr(0, 16) << " accepted, "
            << (message.decision.empty()
                    ? std::string("signed by ")
                    : "allowed by proposal " + message.decision.substr(0, 16) + ", yes from ");
  for (size_t i = 0; i < reply->signers.size(); ++i)
    std::cout << (i ? ", " : "") << reply->signers[i];
  std::cout << "\n  lifted on this node until " << reply->expires_at << ":";
  for (const std::string& rule : reply->lifted) std::cout << ' ' << rule;
  if (reply->audit_index) std::cout << "\n  audit log entry " << *reply->audit_index;
  std::cout << '\n';
  return EXIT_SUCCESS;
}

int run_override(const CommonOptions& common, const OverrideOptions& o) {
  charter::EmergencyOverride draft;
  draft.rules = o.rules;
  draft.reason = o.reason;
  draft.affected_nodes = o.affected;
  draft.issued_at = capability::system_clock().now();
  const std::chrono::seconds duration = parse_duration(o.duration, "--for");
  if (duration > charter::kMaxOverride)
    throw std::runtime_error("--for " + o.duration + ": an emergency override lasts at most 2h");
  draft.expires_at = draft.issued_at + duration;
  capability::random_bytes(draft.nonce);
  if (auto error = charter::override_form_error(draft))
    throw std::runtime_error("the override is not well formed: " + *error);
  control::CharterOverrideRequest message = control::to_message(draft, {});
  sign_with(message, o.keys);
  message.decision = o.decision;
  if (!o.output.empty()) {
    write_override_file(o.output, message);
    std::cout << o.output << ": override " << charter::override_id(draft).substr(0, 16) << ", "
              << message.signatures.size() << " signature(s), expires " << message.expires_at
              << "\n  other operators: wwctl charter cosign " << o.output
              << " --key KEY; then: wwctl charter submit " << o.output << '\n';
    return EXIT_SUCCESS;
  }
  return submit(common, message);
}

int run_cosign(const OverrideOptions& o) {
  control::CharterOverrideRequest message = read_override_file(o.file);
  sign_with(message, o.keys);
  write_override_file(o.file, message);
  std::cout << o.file << ": " << message.signatures.size() << " signature(s)\n";
  return EXIT_SUCCESS;
}

void print_overrides(const control::CharterOverridesReply& reply) {
  std::cout << "emergency overrides: "
            << (reply.quorum == 0 ? "none can pass here (no operators file)"
                                  : std::to_string(reply.quorum) + " of " +
                                        std::to_string(reply.operators) + " operators must sign")
            << "\n  lifted now:" << (reply.lifted.empty() ? " nothing" : "");
  for (const std::string& rule : reply.lifted) std::cout << ' ' << rule;
  std::cout << "\n\n";
  for (const control::OverrideView& v : reply.overrides) {
    std::cout << v.id.substr(0, 16) << "  " << (v.active ? "ACTIVE until " : "ended ")
              << (v.active ? v.expires_at : v.ended_at.value_or(v.expires_at)) << "\n  lifts";
    for (const std::string& rule : v.rules) std::cout << ' ' << rule;
    std::cout << " on";
    for (const std::string& node : v.affected_nodes) std::cout << ' ' << node;
    std::cout << "\n  why: " << v.reason << "\n  signed by";
    for (const std::string& signer : v.signers) std::cout << ' ' << signer;
    std::cout << "; issued " << v.issued_at << ", accepted " << v.accepted_at << "\n";
  }
}

int run_overrides(const CommonOptions& common, const OverrideOptions& o) {
  auto reply = ask_agent(common, control::CharterOverridesRequest{o.limit},
                         "the overrides are in DATA_DIR/charter.db");
  if (!reply) return EXIT_FAILURE;
  if (o.as_json)
    std::cout << control::to_json_text(*reply) << '\n';
  else
    print_overrides(*reply);
  return EXIT_SUCCESS;
}

void add_decision_option(CLI::App& command, OverrideOptions& o) {
  command.add_option("--decision", o.decision,
                     "Allowed by this passed emergency proposal of the mesh's governance (wwctl "
                     "gov propose --override FILE --kind emergency) instead of operators' "
                     "signatures; the agent verifies it through the mesh");
}

}  // namespace

void register_override_commands(CLI::App& charter, const CommonOptions& common, int& exit_code) {
  auto o = std::make_shared<OverrideOptions>();
  CLI::App* create = charter.add_subcommand(
      "override",
      "Lift charter rules for at most 2h, signed by a quorum of operators (--key, repeated), "
      "on the affected nodes; -o writes the override for other operators to cosign instead");
  create->add_option("--rules", o->rules, "The charter flow rules to lift (comma-separated)")
      ->required()
      ->delimiter(',');
  create->add_option("--reason", o->reason, "Why: public, in every affected node's audit log")
      ->required();
  create->add_option("--affected", o->affected, "Node ids it applies to (comma-separated)")
      ->required()
      ->delimiter(',');
  create->add_option("--for", o->duration, "How long: 90m, 2h, 1h30m (at most 2h)")->required();
  create->add_option("--key", o->keys, "An operator's key file (wwctl peer keygen); repeat");
  add_decision_option(*create, *o);
  create->add_option("-o,--output", o->output,
                     "Write the override file for other operators instead of submitting it");
  create->callback([o, &common, &exit_code] { exit_code = run_override(common, *o); });

  CLI::App* cosign =
      charter.add_subcommand("cosign", "Add operators' signatures to an override file");
  cosign->add_option("FILE", o->file, "The override file (wwctl charter override -o)")->required();
  cosign->add_option("--key", o->keys, "An operator's key file; repeat")->required();
  cosign->callback([o, &exit_code] { exit_code = run_cosign(*o); });

  CLI::App* send = charter.add_subcommand(
      "submit", "Send a signed override file to this node's agent, which checks the quorum");
  send->add_option("FILE", o->file, "The override file")->required();
  add_decision_option(*send, *o);
  send->callback([o, &common, &exit_code] {
    control::CharterOverrideRequest message = read_override_file(o->file);
    if (!o->decision.empty()) message.decision = o->decision;
    exit_code = submit(common, message);
  });

  CLI::App* list = charter.add_subcommand(
      "overrides", "The emergency overrides this node accepted, newest first");
  list->add_flag("--json", o->as_json, "Machine-readable output");
  list->add_option("--limit", o->limit, "Show at most this many (0: all)")->capture_default_str();
  list->callback([o, &common, &exit_code] { exit_code = run_overrides(common, *o); });
}

}  // namespace westworld::cli
