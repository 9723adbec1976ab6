// A scratch vault with ten guardians and a clock that moves only when told to.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "westworld/capability/clock.h"
#include "westworld/vault/vault.h"

namespace westworld::vault_test {

namespace fs = std::filesystem;

class ScratchDir {
 public:
  ScratchDir() {
    std::random_device rd;
    path_ = fs::temp_directory_path() /
            ("ww-vault-test-" + std::to_string(rd()) + std::to_string(rd()));
    fs::create_directories(path_);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  ~ScratchDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

inline std::vector<vault::GuardianKey> make_guardians(std::size_t n,
                                                      const std::string& prefix = "g") {
  std::vector<vault::GuardianKey> keys;
  for (std::size_t i = 1; i <= n; ++i)
    keys.push_back(vault::GuardianKey::generate(prefix + std::to_string(i)));
  return keys;
}

inline std::vector<vault::GuardianPublic> publics(const std::vector<vault::GuardianKey>& keys) {
  std::vector<vault::GuardianPublic> out;
  for (const auto& k : keys) out.push_back(k.public_info());
  return out;
}

inline capability::Bytes bytes_of(const std::string& s) {
  return capability::Bytes(s.begin(), s.end());
}

inline std::string text_of(const vault::SecretBuffer& b) {
  return std::string(reinterpret_cast<const char*>(b.data()), b.size());
}

inline std::string file_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

class VaultTest : public ::testing::Test {
 protected:
  VaultTest()
      : clock(capability::UnixSeconds{std::chrono::seconds(1'800'000'000)}),
        guardians(make_guardians(10)),
        vault(vault::Vault::init(dir.path() / "vault", publics(guardians), 3, clock)) {}

  // Approves `request` by the guardians at these 0-based positions.
  void approve(const std::string& request, std::initializer_list<int> who) {
    for (int i : who) vault.approve(request, guardians[static_cast<std::size_t>(i)]);
  }
  void vote(const std::string& request, std::initializer_list<int> who, bool yes = true) {
    for (int i : who) vault.vote(request, guardians[static_cast<std::size_t>(i)], yes);
  }

  ScratchDir dir;
  capability::FixedClock clock;
  std::vector<vault::GuardianKey> guardians;
  vault::Vault vault;
};

}  // namespace westworld::vault_test
