// The report as JSON, its canonical bytes, and its Ed25519 signature.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>

#include "westworld/capability/ed25519.h"
#include "westworld/cradle/report.h"

namespace westworld::cradle {

// The report as written to REPORT.json (indented), with digest and signature.
std::string encode_report(const Report& report);
// The bytes the digest and signature cover.
std::string canonical_bytes(const Report& report);

// Sets signer, digest and signature.
void sign_report(Report& report, const capability::Ed25519KeyPair& key);

// What `wwctl cradle verify` found. `ok` only for an intact report whose signature verifies
// under its signer (and that signer is `expected` when one was given).
struct ReportCheck {
  bool ok = false;
  std::string problem;  // names what is wrong: the field, the digest, the signature, the key
  std::string verdict;  // the report's verdict, when it could be read
  std::string digest;
  std::string signer;
  std::string candidate_policy_digest;  // the compiled digest the candidate arm ran
};

// Checks the JSON text itself (not a decoded copy), so a field added, removed or changed
// anywhere is caught; a report holding a non-integer number is refused.
ReportCheck verify_report_text(const std::string& json_text,
                               const std::optional<capability::PublicKey>& expected);

}  // namespace westworld::cradle
