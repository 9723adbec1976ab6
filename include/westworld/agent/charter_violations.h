// The control protocol's view of the violation ledger (`wwctl charter violations|report`).
#pragma once

#include <string>

#include "westworld/charter/violation_ledger.h"
#include "westworld/control/messages.h"

namespace westworld::agent {

control::CharterViolationsReply charter_violations(const charter::ViolationLedger& ledger,
                                                   uint32_t limit, const std::string& gate);

}  // namespace westworld::agent
