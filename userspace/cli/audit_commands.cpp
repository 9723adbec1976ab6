// wwctl audit: the tamper-evident audit log. Read-only subcommands work without the key;
// appending, and checkpoints of an empty log, need it; verify needs the public half.
#include <charconv>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "commands.h"
#include "text_input.h"
#include "westworld/audit/audit_log.h"
#include "westworld/audit/checkpoint.h"
#include "westworld/capability/secret_file.h"
#include "westworld/common/printable.h"

namespace westworld::cli {
namespace {

using nlohmann::json;
using namespace westworld::audit;

constexpr const char* kDefaultLogPath = "/var/lib/westworld/audit.db";
constexpr const char* kDefaultKeyPath = "/etc/westworld/audit.key";

struct AuditOptions {
  std::string log_path = kDefaultLogPath;
  std::string key_path = kDefaultKeyPath;
  std::string name;
  std::string vkey;
  std::string remembered_checkpoint_file;
  std::string type;
  std::string record_json;
  std::uint64_t index = 0;
  std::uint64_t old_size = 0;
  std::uint64_t new_size = 0;
  std::optional<std::uint64_t> tree_size;
  bool as_json = false;
};

using common::printable;

// A record's text field, or "?" when it is missing or not text.
std::string text_of(const json& record, const char* key) {
  const auto found = record.find(key);
  return found != record.end() && found->is_string() ? found->get<std::string>() : "?";
}

std::string hex(const Hash& h) { return capability::to_hex(h); }

json hex_list(const std::vector<Hash>& path) {
  json out = json::array();
  for (const Hash& h : path) out.push_back(hex(h));
  return out;
}

NoteSigner read_signer(const AuditOptions& o) { return read_signer_file(o.key_path); }

NoteVerifier read_verifier(const AuditOptions& o) {
  if (o.vkey.empty()) return read_signer(o).verifier();
  auto verifier = NoteVerifier::parse(o.vkey);
  if (!verifier) throw std::runtime_error("--vkey is not a verifier key (name+keyid+base64)");
  return *verifier;
}

int run_keygen(const AuditOptions& o) {
  if (!is_valid_key_name(o.name))
    throw std::runtime_error("--name must be non-empty, with no '+' or spaces");
  const NoteSigner signer = NoteSigner::generate(o.name);
  write_new_signer_file(o.key_path, signer);
  std::cout << signer.verifier().vkey() << '\n';
  return EXIT_SUCCESS;
}

int run_key(const AuditOptions& o) {
  std::cout << read_signer(o).verifier().vkey() << '\n';
  return EXIT_SUCCESS;
}

int run_append(const AuditOptions& o) {
  AuditRecord record{o.type, json::parse(o.record_json)};
  AuditLog log = AuditLog::open(o.log_path, read_signer(o));
  std::cout << log.append(record) << '\n';
  return EXIT_SUCCESS;
}

int run_log(const AuditOptions& o) {
  const AuditLog log = AuditLog::open_existing(o.log_path);
  const std::uint64_t size = log.size();
  for (std::uint64_t i = 0; i < size; ++i) {
    const StoredEntry e = log.entry(i);
    const json record = reveal(e.leaf, e.personal);
    // A damaged or forged log may hold anything: quote it, never pass it to the terminal.
    std::cout << i << "  " << printable(text_of(record, "logged_at")) << "  " << std::left
              << printable(text_of(record, "type")) << "  " << record["fields"].dump() << '\n';
  }
  return EXIT_SUCCESS;
}

int run_show(const AuditOptions& o) {
  const AuditLog log = AuditLog::open_existing(o.log_path);
  const StoredEntry e = log.entry(o.index);
  const json out{
      {"index", e.index}, {"leaf_hash", hex(e.leaf_hash)}, {"record", reveal(e.leaf, e.personal)}};
  std::cout << out.dump(2) << '\n';
  return EXIT_SUCCESS;
}

int run_verify(const AuditOptions& o) {
  const NoteVerifier verifier = read_verifier(o);
  const std::string remembered = o.remembered_checkpoint_file.empty()
                                     ? std::string()
                                     : read_text(o.remembered_checkpoint_file);
  const AuditLog log = AuditLog::open_existing(o.log_path);
  const LogVerification result = log.verify(verifier, remembered);
  if (!result.ok) {
    if (result.first_bad_index)
      std::cerr << "wwctl: audit log BAD at entry " << *result.first_bad_index << ": "
                << result.reason << '\n';
    else
      std::cerr << "wwctl: audit log BAD: " << result.reason << '\n';
    return EXIT_FAILURE;
  }
  std::cout << "audit log ok: " << result.size << " entries, root " << hex(result.root) << '\n';
  return EXIT_SUCCESS;
}

int run_prove(const AuditOptions& o) {
  const AuditLog log = AuditLog::open_existing(o.log_path);
  const InclusionProof p = log.prove_inclusion(o.index, o.tree_size.value_or(log.size()));
  if (o.as_json) {
    const json out{{"index", p.index},
                   {"tree_size", p.tree_size},
                   {"leaf_hash", hex(p.leaf_hash)},
                   {"path", hex_list(p.path)}};
    std::cout << out.dump() << '\n';
    return EXIT_SUCCESS;
  }
  std::cout << "entry " << p.index << " in tree size " << p.tree_size << "\nleaf hash "
            << hex(p.leaf_hash) << "\nroot " << hex(p.root) << '\n';
  for (const Hash& h : p.path) std::cout << "path " << hex(h) << '\n';
  return EXIT_SUCCESS;
}

int run_consistency(const AuditOptions& o) {
  const AuditLog log = AuditLog::open_existing(o.log_path);
  const ConsistencyProof p = log.prove_consistency(o.old_size, o.new_size);
  if (o.as_json) {
    const json out{{"old_size", p.old_size},
                   {"new_size", p.new_size},
                   {"old_root", hex(p.old_root)},
                   {"new_root", hex(p.new_root)},
                   {"path", hex_list(p.path)}};
    std::cout << out.dump() << '\n';
    return EXIT_SUCCESS;
  }
  std::cout << "tree size " << p.old_size << " root " << hex(p.old_root) << "\ntree size "
            << p.new_size << " root " << hex(p.new_root) << '\n';
  for (const Hash& h : p.path) std::cout << "path " << hex(h) << '\n';
  return EXIT_SUCCESS;
}

int run_checkpoint(const AuditOptions& o) {
  std::optional<AuditLog> log(AuditLog::open_existing(o.log_path));
  // The empty tree's checkpoint is not stored; signing it takes the key.
  if (log->size() == 0) log.emplace(AuditLog::open(o.log_path, read_signer(o)));
  std::cout << log->checkpoint();
  return EXIT_SUCCESS;
}

int run_erase(const AuditOptions& o) {
  AuditLog log = AuditLog::open_existing(o.log_path);
  const std::size_t erased = log.erase_personal_data(o.index);
  std::cout << "erased " << erased << " personal field(s) of entry " << o.index
            << "; the tree and its proofs are unchanged\n";
  return EXIT_SUCCESS;
}

void add_log_option(CLI::App* cmd, AuditOptions& o) {
  cmd->add_option("--log", o.log_path, "Audit log database")->capture_default_str();
}

void add_key_option(CLI::App* cmd, AuditOptions& o) {
  cmd->add_option("--key", o.key_path, "Signing key file (PRIVATE+KEY+name+id+key, mode 0600)")
      ->capture_default_str();
}

}  // namespace

void register_audit_command(CLI::App& app, const CommonOptions& /*common*/, int& exit_code) {
  CLI::App* audit =
      app.add_subcommand("audit", "Tamper-evident audit log: append, inspect, prove, verify");
  audit->require_subcommand(1);
  auto o = std::make_shared<AuditOptions>();

  CLI::App* keygen =
      audit->add_subcommand("keygen", "Create the log's Ed25519 signing key; prints the vkey");
  add_key_option(keygen, *o);
  keygen
      ->add_option("--name", o->name,
                   "Key name, also the checkpoint origin (e.g. westworld.example/audit)")
      ->required();
  keygen->callback([o, &exit_code] { exit_code = run_keygen(*o); });

  CLI::App* key = audit->add_subcommand("key", "Print the verifier key (C2SP vkey)");
  add_key_option(key, *o);
  key->callback([o, &exit_code] { exit_code = run_key(*o); });

  CLI::App* append =
      audit->add_subcommand("append", "Append a record; prints its index once durable");
  add_log_option(append, *o);
  add_key_option(append, *o);
  append->add_option("--type", o->type, "Record type (policy_apply, quarantine, ...)")->required();
  append->add_option("--json", o->record_json, "Record fields as a JSON object")->required();
  append->callback([o, &exit_code] { exit_code = run_append(*o); });

  CLI::App* log = audit->add_subcommand("log", "List the entries");
  add_log_option(log, *o);
  log->callback([o, &exit_code] { exit_code = run_log(*o); });

  CLI::App* show = audit->add_subcommand("show", "Print one entry");
  add_log_option(show, *o);
  show->add_option("N", o->index, "Entry index")->required();
  show->callback([o, &exit_code] { exit_code = run_show(*o); });

  CLI::App* verify =
      audit->add_subcommand("verify", "Recompute everything; name the first bad entry");
  add_log_option(verify, *o);
  add_key_option(verify, *o);
  verify->add_option("--vkey", o->vkey, "Verifier key instead of the signing key file");
  verify->add_option("--checkpoint", o->remembered_checkpoint_file,
                     "A checkpoint saved earlier: the log must still contain its tree");
  verify->callback([o, &exit_code] { exit_code = run_verify(*o); });

  CLI::App* prove = audit->add_subcommand("prove", "Inclusion proof for entry N");
  add_log_option(prove, *o);
  prove->add_option("N", o->index, "Entry index")->required();
  prove->add_option("--size", o->tree_size, "Tree size (default: the current size)");
  prove->add_flag("--json", o->as_json, "Print {index, tree_size, leaf_hash, path}");
  prove->callback([o, &exit_code] { exit_code = run_prove(*o); });

  CLI::App* consistency =
      audit->add_subcommand("consistency", "Consistency proof between two sizes");
  add_log_option(consistency, *o);
  consistency->add_option("OLD", o->old_size, "Older tree size")->required();
  consistency->add_option("NEW", o->new_size, "Newer tree size")->required();
  consistency->add_flag("--json", o->as_json,
                        "Print {old_size, new_size, old_root, new_root, path}");
  consistency->callback([o, &exit_code] { exit_code = run_consistency(*o); });

  CLI::App* checkpoint = audit->add_subcommand("checkpoint", "Print the latest signed checkpoint");
  add_log_option(checkpoint, *o);
  add_key_option(checkpoint, *o);
  checkpoint->callback([o, &exit_code] { exit_code = run_checkpoint(*o); });

  CLI::App* erase =
      audit->add_subcommand("erase", "Erase entry N's personal data (salts and values)");
  add_log_option(erase, *o);
  erase->add_option("N", o->index, "Entry index")->required();
  erase->callback([o, &exit_code] { exit_code = run_erase(*o); });
}

}  // namespace westworld::cli
