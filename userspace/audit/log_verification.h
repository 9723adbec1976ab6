// Full recomputation of a stored log against a verifier key.
#pragma once

#include <string_view>

#include "log_store.h"
#include "westworld/audit/audit_log.h"

namespace westworld::audit {

LogVerification verify_log(LogStore& store, const NoteVerifier& verifier,
                           std::string_view remembered_checkpoint);

}  // namespace westworld::audit
