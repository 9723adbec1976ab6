// Names of the ABI's enums, as they appear in status output and logs: the one table in abi.h.
#pragma once

#include "westworld/abi_names.h"

namespace westworld::dataplane {

using abi::action_name;       // enum ww_action
using abi::direction_name;    // enum ww_direction
using abi::drop_reason_name;  // enum ww_drop_reason
using abi::stat_name;         // enum ww_stat

}  // namespace westworld::dataplane
