#include "test_pki.h"

#include "westworld/harness/command.h"
#include "westworld/harness/text_file.h"
#include "westworld/harness/tool_paths.h"

namespace westworld::harness {

TestPki make_test_pki(const std::filesystem::path& directory, const std::string& name,
                      const std::string& server_ip) {
  std::filesystem::create_directories(directory);
  const std::string openssl = system_tool("openssl");
  const auto file = [&](const std::string& suffix) { return directory / (name + suffix); };
  TestPki pki{file("-ca.pem"), file("-server.pem"), file("-server.key")};
  const std::filesystem::path ca_key = file("-ca.key"), request = file("-server.csr"),
                              extensions = file("-server.ext");
  const std::vector<std::string> p256 = {"-newkey", "ec", "-pkeyopt",
                                         "ec_paramgen_curve:prime256v1", "-nodes"};
  std::vector<std::string> ca = {openssl, "req", "-x509"};
  ca.insert(ca.end(), p256.begin(), p256.end());
  ca.insert(ca.end(), {"-keyout", ca_key.string(), "-out", pki.ca_cert.string(), "-days", "1",
                       "-subj", "/CN=westworld test CA " + name});
  run_checked(ca);
  std::vector<std::string> csr = {openssl, "req"};
  csr.insert(csr.end(), p256.begin(), p256.end());
  csr.insert(csr.end(), {"-keyout", pki.server_key.string(), "-out", request.string(), "-subj",
                         "/CN=etcd " + server_ip});
  run_checked(csr);
  // Go's TLS (etcd) and OpenSSL's host check both want the address as a SAN.
  write_text_file(extensions, "subjectAltName=IP:" + server_ip + "\n");
  run_checked({openssl, "x509", "-req", "-in", request.string(), "-CA", pki.ca_cert.string(),
               "-CAkey", ca_key.string(), "-CAcreateserial", "-out", pki.server_cert.string(),
               "-days", "1", "-extfile", extensions.string()});
  std::filesystem::permissions(
      pki.server_key, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  return pki;
}

}  // namespace westworld::harness
