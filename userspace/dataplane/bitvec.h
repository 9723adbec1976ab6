// RuleSet (the compiler's bit vector) -> ww_bitvec (the map value), with the
// summary bits the kernel uses to skip empty words.
#pragma once

#include <memory>

#include "westworld/abi.h"
#include "westworld/policy/rule_set.h"

namespace westworld::dataplane {

// ww_bitvec is 2 KiB: hand it out on the heap rather than the stack.
std::unique_ptr<ww_bitvec> to_bitvec(const policy::RuleSet& rules);

}  // namespace westworld::dataplane
