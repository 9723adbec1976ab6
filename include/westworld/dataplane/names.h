// Names of the ABI's enums, as they appear in status output and logs.
#pragma once

#include <cstdint>

#include "westworld/abi.h"

namespace westworld::dataplane {

const char* stat_name(uint32_t stat);           // enum ww_stat
const char* drop_reason_name(uint32_t reason);  // enum ww_drop_reason
const char* direction_name(uint32_t dir);       // enum ww_direction
const char* action_name(uint32_t action);       // enum ww_action

}  // namespace westworld::dataplane
