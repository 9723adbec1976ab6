// The one exception type of the data plane: a message a person can act on.
#pragma once

#include <stdexcept>
#include <string>

namespace westworld::dataplane {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// "what: strerror(errnum)"; libbpf returns negative errno values, so the sign is ignored.
std::string describe_errno(const std::string& what, int errnum);

}  // namespace westworld::dataplane
