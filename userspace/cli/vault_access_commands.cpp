// wwctl vault request|approve|vote|get: the access flow.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <utility>

#include "vault_cli.h"
#include "westworld/capability/clock.h"
#include "westworld/common/printable.h"
#include "westworld/vault/vault.h"

namespace westworld::cli::vault_cli {
namespace {

// The output file, created (0600, never over an existing file) before anything is
// unsealed: a request is used once, so its plaintext must have somewhere to go.
class OutputFile {
 public:
  explicit OutputFile(std::string path) : path_(std::move(path)) {
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd_ < 0)
      throw std::runtime_error(path_ + ": cannot create" +
                               (errno == EEXIST ? std::string(" (it exists; refusing to overwrite)")
                                                : ": " + std::string(std::strerror(errno))));
  }
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;
  ~OutputFile() {  // unless written, nothing is left behind
    if (fd_ >= 0) ::close(fd_);
    if (!written_) ::unlink(path_.c_str());
  }

  void write(const vault::SecretBuffer& data) {
    std::size_t done = 0;
    while (done < data.size()) {
      const ssize_t n = ::write(fd_, data.data() + done, data.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) throw std::runtime_error(path_ + ": cannot write");
      done += static_cast<std::size_t>(n);
    }
    if (::fsync(fd_) != 0) throw std::runtime_error(path_ + ": cannot write");
    written_ = true;
  }

 private:
  std::string path_;
  int fd_ = -1;
  bool written_ = false;
};

void run_get(const VaultOptions& o, const CommonOptions& common, int& exit_code) {
  auto v = vault::Vault::open(vault_dir(o, common));
  OutputFile out(o.output);
  try {
    const vault::Unsealed u = v.get(o.item, o.request);
    for (const auto& bad : u.rejected)
      std::cerr << "wwctl: vault: bad share from guardian '" << bad.guardian << "' (index "
                << bad.index << "), not used: " << bad.reason << '\n';
    out.write(u.plaintext);
    std::cout << "wrote " << u.plaintext.size() << " bytes to " << o.output << " (shares of";
    for (const auto& g : u.used_guardians) std::cout << ' ' << g;
    std::cout << "; " << u.since_request.count() << " s after the request)\n";
    exit_code = EXIT_SUCCESS;
  } catch (const vault::AccessDenied& e) {
    std::cerr << "wwctl: vault get: refused: " << e.what() << '\n';
    exit_code = EXIT_FAILURE;
  }
}

}  // namespace

void register_access_commands(CLI::App* vault, const CommonOptions& common,
                              std::shared_ptr<VaultOptions> o, int& exit_code) {
  CLI::App* request = vault->add_subcommand("request", "Ask for an item; prints the request id");
  request->add_option("ID", o->item, "Item id")->required();
  request->add_flag(
      "--emergency", o->emergency,
      "Emergency request: 2 h window, needs an emergency decision (2/3 of guardians)");
  add_vault_option(request, *o);
  request->callback([o, &common, &exit_code] {
    auto v = vault::Vault::open(vault_dir(*o, common));
    const std::string id = v.request(o->item, o->emergency);
    std::cout << id << '\n';
    std::cerr << "request " << id << " expires at "
              << capability::format_rfc3339_utc(v.find_request(id)->expires) << '\n';
    exit_code = EXIT_SUCCESS;
  });

  CLI::App* approve = vault->add_subcommand(
      "approve", "As a guardian: check your share and release it for this one request");
  approve->add_option("REQUEST", o->request, "Request id")->required();
  approve->add_option("--key", o->key_file, "Guardian key file")->required();
  add_vault_option(approve, *o);
  approve->callback([o, &common, &exit_code] {
    const auto key = vault::GuardianKey::load(o->key_file);
    auto v = vault::Vault::open(vault_dir(*o, common));
    try {
      const auto check = v.approve(o->request, key);
      std::cout << "guardian '" << check.guardian << "' released its share (index " << check.index
                << ", epoch " << check.epoch << ") for request " << o->request << " only\n";
      // What the guardian just agreed to, in words.
      const auto request = v.find_request(o->request);
      for (const auto& item : v.list())
        if (request && item.id == request->item)
          std::cout << "  item " << item.id << " (" << vault::to_string(item.type) << ", \""
                    << common::printable(item.title) << "\"), "
                    << (request->emergency ? "emergency" : "standard") << " request, expires "
                    << capability::format_rfc3339_utc(request->expires) << '\n';
      exit_code = EXIT_SUCCESS;
    } catch (const vault::AccessDenied& e) {
      std::cerr << "wwctl: vault approve: refused: " << e.what() << '\n';
      exit_code = EXIT_FAILURE;
    }
  });

  CLI::App* vote = vault->add_subcommand(
      "vote", "As a guardian: vote on a request (knowledge/identity items, emergencies)");
  vote->add_option("REQUEST", o->request, "Request id")->required();
  vote->add_option("VOTE", o->vote, "yes or no")->required()->check(CLI::IsMember({"yes", "no"}));
  vote->add_option("--key", o->key_file, "Guardian key file")->required();
  add_vault_option(vote, *o);
  vote->callback([o, &common, &exit_code] {
    const auto key = vault::GuardianKey::load(o->key_file);
    auto v = vault::Vault::open(vault_dir(*o, common));
    try {
      v.vote(o->request, key, o->vote == "yes");
      std::cout << "guardian '" << key.id() << "' voted " << o->vote << " on " << o->request
                << '\n';
      exit_code = EXIT_SUCCESS;
    } catch (const vault::AccessDenied& e) {
      std::cerr << "wwctl: vault vote: refused: " << e.what() << '\n';
      exit_code = EXIT_FAILURE;
    }
  });

  CLI::App* get = vault->add_subcommand(
      "get", "Unseal an item with an approved request; writes the plaintext to a new file");
  get->add_option("ID", o->item, "Item id")->required();
  get->add_option("--request", o->request, "Request id")->required();
  get->add_option("-o,--output", o->output, "Output file (created 0600; never overwritten)")
      ->required();
  add_vault_option(get, *o);
  get->callback([o, &common, &exit_code] { run_get(*o, common, exit_code); });
}

}  // namespace westworld::cli::vault_cli
