#include "westworld/agent/default_audit.h"

#include <cctype>
#include <filesystem>
#include <fstream>

#include "westworld/audit/signed_note.h"
#include "westworld/capability/crypto.h"
#include "westworld/capability/secret_file.h"

namespace westworld::agent {

namespace {

// A C2SP key name may not hold '+' or spaces; node ids and host names are kept readable.
std::string key_name(const std::string& name) {
  std::string safe;
  for (const char c : name)
    safe +=
        (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_') ? c : '-';
  return "westworld/" + (safe.empty() ? std::string("router") : safe) + "/audit";
}

}  // namespace

DefaultAudit use_default_audit(TrustOptions& options, const std::string& data_dir,
                               const std::string& name) {
  DefaultAudit result;
  if (!options.audit_log_path.empty() || !options.audit_key_path.empty()) return result;
  const std::filesystem::path dir(data_dir);
  // Private like the key it holds; an existing directory keeps the mode its owner gave it.
  if (std::filesystem::create_directories(dir))
    std::filesystem::permissions(dir, std::filesystem::perms::owner_all);
  options.audit_log_path = (dir / "audit.db").string();
  options.audit_key_path = (dir / "audit.key").string();
  result.vkey_path = (dir / "audit.vkey").string();
  if (!std::filesystem::exists(options.audit_key_path)) {
    const audit::NoteSigner signer = audit::NoteSigner::generate(key_name(name));
    std::string secret = signer.private_key() + "\n";
    capability::write_new_secret_file(options.audit_key_path, secret);
    capability::wipe(secret);
    result.key_created = true;
  }
  // The verifier key is public: rewritten from the key at every start, so it always matches.
  std::string secret = capability::read_secret_file(options.audit_key_path);
  try {
    result.vkey = audit::NoteSigner::parse(secret).verifier().vkey();
  } catch (const std::exception& e) {
    capability::wipe(secret);
    throw std::runtime_error(options.audit_key_path + ": " + e.what());
  }
  capability::wipe(secret);
  std::ofstream(result.vkey_path, std::ios::trunc) << result.vkey << '\n';
  return result;
}

}  // namespace westworld::agent
