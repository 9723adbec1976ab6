// The audit log is on unless the operator says --no-audit. Without --audit-log and
// --audit-key the agent keeps it in its data directory (what outlives a reboot), signed with
// a key it makes on first start (like an SSH host key): DATA_DIR/audit.db,
// DATA_DIR/audit.key (0600), and the verifier key others check checkpoints with in
// DATA_DIR/audit.vkey.
#pragma once

#include <string>

#include "westworld/agent/trust_gate.h"

namespace westworld::agent {

struct DefaultAudit {
  bool key_created = false;  // this start made the key
  std::string vkey;          // the C2SP verifier key, for people and `wwctl audit verify`
  std::string vkey_path;     // where it is kept
};

// Fills in the state directory's log and key when neither flag was given (a log without a
// key, or a key without a log, stays an error for the trust gate to report), creating the
// key named "westworld/NAME/audit" when it does not exist yet.
// Creates the data directory, private (0700), when it does not exist; an existing one keeps
// the mode its owner gave it.
void create_data_dir(const std::string& data_dir);

DefaultAudit use_default_audit(TrustOptions& options, const std::string& data_dir,
                               const std::string& name);

}  // namespace westworld::agent
