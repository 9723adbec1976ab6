// Audit events from the ring buffer, decoded for logs.
#pragma once

#include <string>

#include "westworld/abi.h"

namespace westworld::dataplane {

std::string describe_event(const ww_event& event);

}  // namespace westworld::dataplane
