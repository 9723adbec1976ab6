#include "westworld/agent/default_audit.h"

#include <cctype>
#include <filesystem>
#include <fstream>

#include "westworld/audit/signed_note.h"

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

void create_data_dir(const std::string& data_dir) {
  if (std::filesystem::create_directories(data_dir))
    std::filesystem::permissions(data_dir, std::filesystem::perms::owner_all);
}

DefaultAudit use_default_audit(TrustOptions& options, const std::string& data_dir,
                               const std::string& name) {
  DefaultAudit result;
  if (!options.audit_log_path.empty() || !options.audit_key_path.empty()) return result;
  const std::filesystem::path dir(data_dir);
  create_data_dir(data_dir);  // private, like the key it holds
  options.audit_log_path = (dir / "audit.db").string();
  options.audit_key_path = (dir / "audit.key").string();
  result.vkey_path = (dir / "audit.vkey").string();
  if (!std::filesystem::exists(options.audit_key_path)) {
    audit::write_new_signer_file(options.audit_key_path,
                                 audit::NoteSigner::generate(key_name(name)));
    result.key_created = true;
  }
  // The verifier key is public: rewritten from the key at every start, so it always matches.
  result.vkey = audit::read_signer_file(options.audit_key_path).verifier().vkey();
  std::ofstream(result.vkey_path, std::ios::trunc) << result.vkey << '\n';
  return result;
}

}  // namespace westworld::agent
