// wwctl vault guardian keygen|verify: what a guardian runs with its own key file.
#include <cstdlib>
#include <iostream>

#include "vault_cli.h"
#include "westworld/vault/feldman.h"
#include "westworld/vault/guardian_key.h"
#include "westworld/vault/vault.h"

namespace westworld::cli::vault_cli {

void register_guardian_commands(CLI::App* vault, const CommonOptions& common,
                                std::shared_ptr<VaultOptions> o, int& exit_code) {
  CLI::App* guardian = vault->add_subcommand("guardian", "A guardian's key and share");
  guardian->require_subcommand(1);

  CLI::App* keygen = guardian->add_subcommand(
      "keygen", "Create a guardian key file (0600); prints the guardians-file line");
  keygen->add_option("KEYFILE", o->key_file, "New key file")->required();
  keygen->add_option("--id", o->id, "Guardian id (A-Z a-z 0-9 . _ @ -)")->required();
  add_vault_option(keygen, *o);  // accepted for uniformity; keygen touches no vault
  keygen->callback([o, &exit_code] {
    const auto key = vault::GuardianKey::generate(o->id);
    key.save_new(o->key_file);
    std::cout << vault::guardian_line(key.public_info()) << '\n';
    exit_code = EXIT_SUCCESS;
  });

  CLI::App* verify = guardian->add_subcommand(
      "verify", "Open your share and check it against the public commitments");
  verify->add_option("--key", o->key_file, "Guardian key file")->required();
  add_vault_option(verify, *o);
  verify->callback([o, &common, &exit_code] {
    const auto key = vault::GuardianKey::load(o->key_file);
    auto v = vault::Vault::open(vault_dir(*o, common));
    const vault::ShareCheck check = v.verify_guardian(key);
    if (!check.ok) {
      std::cerr << "wwctl: vault: guardian '" << check.guardian << "' (index " << check.index
                << ", epoch " << check.epoch << "): BAD: " << check.reason << '\n';
      exit_code = EXIT_FAILURE;
      return;
    }
    std::cout << "ok: guardian '" << check.guardian << "' index " << check.index << ": "
              << check.reason << '\n';
    // What to pin: a later epoch must come from a ceremony, never from a swapped file.
    const auto epoch = v.current_epoch();
    std::cout << "commitments of epoch " << epoch.epoch << ": sha256 "
              << capability::to_hex(vault::commitment_digest(epoch.epoch, epoch.commitments))
              << " (keep it; compare with `wwctl vault commitments --json`)\n";
    exit_code = EXIT_SUCCESS;
  });
}

}  // namespace westworld::cli::vault_cli
