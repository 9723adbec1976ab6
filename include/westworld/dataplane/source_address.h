// A source key as people read it: "10.0.0.1", "fd00:1::" (the address part;
// the identity prefix is the policy's).
#pragma once

#include <string>

#include "westworld/abi.h"

namespace westworld::dataplane {

std::string source_address(const ww_source_key& key);

}  // namespace westworld::dataplane
