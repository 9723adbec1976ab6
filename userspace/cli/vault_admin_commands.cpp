// wwctl vault init|put|list|rotate|erase|audit|commitments.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "vault_cli.h"
#include "westworld/capability/clock.h"
#include "westworld/common/printable.h"
#include "westworld/vault/guardian_list.h"
#include "westworld/vault/vault.h"

namespace westworld::cli::vault_cli {
namespace {

using nlohmann::json;

// The file to store, read straight into locked memory.
vault::SecretBuffer read_input(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec))
    throw std::runtime_error(path + ": not a regular file");
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) throw std::runtime_error(path + ": cannot read");
  const auto size = static_cast<std::size_t>(in.tellg());
  in.seekg(0);
  vault::SecretBuffer out(size);
  if (!in.read(reinterpret_cast<char*>(out.data()), static_cast<std::streamsize>(size)))
    throw std::runtime_error(path + ": cannot read");
  return out;
}

void run_init(const VaultOptions& o, const CommonOptions& common) {
  const auto guardians = vault::read_guardian_list(o.guardians_file);
  const std::string dir = vault_dir(o, common);
  auto v = vault::Vault::init(dir, guardians, o.threshold);
  const auto epoch = v.current_epoch();
  std::cout << "vault initialised in " << dir << ": epoch " << epoch.epoch << ", any "
            << epoch.threshold << " of " << epoch.guardians.size()
            << " guardians open it; each guardian should run `wwctl vault guardian verify`\n";
}

void run_put(const VaultOptions& o, const CommonOptions& common) {
  const auto type = vault::parse_item_type(o.type);
  if (!type) throw std::runtime_error("--type must be archive, knowledge or identity");
  const vault::SecretBuffer plaintext = read_input(o.input);
  auto v = vault::Vault::open(vault_dir(o, common));
  std::cout << v.put(plaintext.view(), *type, o.title) << '\n';
}

void run_list(const VaultOptions& o, const CommonOptions& common) {
  auto v = vault::Vault::open(vault_dir(o, common));
  const auto items = v.list();
  if (o.as_json) {
    json out = json::array();
    for (const auto& i : items)
      out.push_back({{"id", i.id},
                     {"type", std::string(vault::to_string(i.type))},
                     {"title", i.title},
                     {"version", i.version},
                     {"size", i.size},
                     {"created", capability::format_rfc3339_utc(i.created)}});
    std::cout << out.dump() << '\n';
    return;
  }
  for (const auto& i : items)
    std::cout << i.id << "  " << vault::to_string(i.type) << "  " << i.size << " bytes  "
              << capability::format_rfc3339_utc(i.created) << "  " << common::printable(i.title)
              << '\n';
}

void run_rotate(const VaultOptions& o, const CommonOptions& common) {
  std::vector<vault::GuardianKey> keys;
  for (const std::string& path : o.key_files) keys.push_back(vault::GuardianKey::load(path));
  std::vector<const vault::GuardianKey*> key_ptrs;
  for (const auto& k : keys) key_ptrs.push_back(&k);
  std::optional<std::vector<vault::GuardianPublic>> next;
  if (!o.guardians_file.empty()) next = vault::read_guardian_list(o.guardians_file);
  auto v = vault::Vault::open(vault_dir(o, common));
  const auto r = v.rotate(key_ptrs, next, o.new_threshold);
  std::cout << "rotated (" << r.kind << ") to epoch " << r.epoch << ", ceremony nonce " << r.nonce
            << "; the old shares are retired";
  if (!r.verified_guardians.empty()) {
    std::cout << "; opened and checked by";
    for (const auto& g : r.verified_guardians) std::cout << ' ' << g;
  }
  std::cout << '\n';
}

void run_commitments(const VaultOptions& o, const CommonOptions& common) {
  auto v = vault::Vault::open(vault_dir(o, common));
  const vault::PublicCommitments c = v.commitments();
  if (!o.as_json) {
    std::cout << "epoch " << c.epoch << ", threshold " << c.threshold << '\n';
    for (std::size_t j = 0; j < c.commitments.size(); ++j)
      std::cout << "C_" << j << " " << capability::to_hex(c.commitments[j]) << '\n';
    for (const auto& s : c.shares)
      std::cout << "share " << s.index << " " << s.guardian << " "
                << capability::to_hex(s.public_value) << '\n';
    return;
  }
  // Spelled exactly as documented: fields in this order, ", " and ": " between them.
  std::string out = "{\"epoch\": " + std::to_string(c.epoch) +
                    ", \"threshold\": " + std::to_string(c.threshold) + ", \"commitments\": [";
  for (std::size_t j = 0; j < c.commitments.size(); ++j)
    out += (j ? ", " : "") + json(capability::to_hex(c.commitments[j])).dump();
  out += "], \"shares\": [";
  for (std::size_t i = 0; i < c.shares.size(); ++i) {
    const auto& s = c.shares[i];
    out += std::string(i ? ", " : "") + "{\"guardian\": " + json(s.guardian).dump() +
           ", \"index\": " + std::to_string(s.index) +
           ", \"public\": " + json(capability::to_hex(s.public_value)).dump() + "}";
  }
  std::cout << out << "]}\n";
}

}  // namespace

void register_admin_commands(CLI::App* vault, const CommonOptions& common,
                             std::shared_ptr<VaultOptions> o, int& exit_code) {
  CLI::App* init =
      vault->add_subcommand("init", "Create a vault and deal the key to the guardians");
  init->add_option("--guardians", o->guardians_file, "Guardians file: 'ID BASE64-PUBLIC-KEY' lines")
      ->required();
  init->add_option("--threshold", o->threshold, "Guardians needed to open it")
      ->capture_default_str();
  add_vault_option(init, *o);
  init->callback([o, &common, &exit_code] {
    run_init(*o, common);
    exit_code = EXIT_SUCCESS;
  });

  CLI::App* put = vault->add_subcommand("put", "Encrypt a file into the vault; prints the item id");
  put->add_option("FILE", o->input, "File to store")->required();
  put->add_option("--type", o->type, "archive, knowledge or identity")->required();
  put->add_option("--title", o->title, "Title (stored in the clear)")->required();
  add_vault_option(put, *o);
  put->callback([o, &common, &exit_code] {
    run_put(*o, common);
    exit_code = EXIT_SUCCESS;
  });

  CLI::App* list = vault->add_subcommand("list", "List the items (metadata only)");
  list->add_flag("--json", o->as_json, "Print a JSON array");
  add_vault_option(list, *o);
  list->callback([o, &common, &exit_code] {
    run_list(*o, common);
    exit_code = EXIT_SUCCESS;
  });

  CLI::App* rotate = vault->add_subcommand(
      "rotate", "Refresh the shares, or (--guardians) hand them to a new guardian set");
  rotate->add_option("--guardians", o->guardians_file, "The new guardians file");
  rotate->add_option("--threshold", o->new_threshold, "The new threshold (with --guardians)");
  rotate->add_option("--key", o->key_files,
                     "Guardian key file (repeat): current guardians' keys to reshare with; "
                     "new guardians' keys to check their new shares");
  add_vault_option(rotate, *o);
  rotate->callback([o, &common, &exit_code] {
    run_rotate(*o, common);
    exit_code = EXIT_SUCCESS;
  });

  CLI::App* erase = vault->add_subcommand("erase", "Destroy an item's key and ciphertext");
  erase->add_option("ID", o->item, "Item id")->required();
  add_vault_option(erase, *o);
  erase->callback([o, &common, &exit_code] {
    auto v = vault::Vault::open(vault_dir(*o, common));
    v.erase(o->item);
    std::cout << "erased " << o->item << ": its data key and ciphertext are gone from "
              << v.dir().string() << "/vault.db\n";
    exit_code = EXIT_SUCCESS;
  });

  CLI::App* audit = vault->add_subcommand("audit", "Print and verify the vault's audit log");
  add_vault_option(audit, *o);
  audit->callback([o, &common, &exit_code] {
    auto v = vault::Vault::open(vault_dir(*o, common));
    const auto report = v.audit();
    for (const auto& line : report.lines) std::cout << common::printable(line) << '\n';
    if (!report.ok) {
      std::cerr << "wwctl: vault audit log BAD: " << report.reason << '\n';
      exit_code = EXIT_FAILURE;
      return;
    }
    std::cout << report.reason << '\n';
    exit_code = EXIT_SUCCESS;
  });

  CLI::App* commitments =
      vault->add_subcommand("commitments", "The public commitments and share check values");
  commitments->add_flag("--json", o->as_json,
                        "{\"epoch\", \"threshold\", \"commitments\", \"shares\"} (hex points)");
  add_vault_option(commitments, *o);
  commitments->callback([o, &common, &exit_code] {
    run_commitments(*o, common);
    exit_code = EXIT_SUCCESS;
  });
}

}  // namespace westworld::cli::vault_cli
