// A throwaway certificate authority for TLS tests, made with the openssl command line: a
// CA, and a server certificate it signed for one IP address (EC P-256, valid one day).
#pragma once

#include <filesystem>
#include <string>

namespace westworld::harness {

struct TestPki {
  std::filesystem::path ca_cert;
  std::filesystem::path server_cert;
  std::filesystem::path server_key;  // mode 0600
};

// Writes the files under `directory` (created if missing); `name` tells several CAs apart.
// Throws std::runtime_error with openssl's output when a step fails.
TestPki make_test_pki(const std::filesystem::path& directory, const std::string& name,
                      const std::string& server_ip);

}  // namespace westworld::harness
