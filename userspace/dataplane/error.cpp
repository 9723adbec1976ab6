#include "westworld/dataplane/error.h"

#include <cstdlib>
#include <cstring>

namespace westworld::dataplane {

std::string describe_errno(const std::string& what, int errnum) {
  return what + ": " + std::strerror(std::abs(errnum));
}

}  // namespace westworld::dataplane
