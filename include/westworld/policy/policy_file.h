// Reading a policy file with bounded memory: wwctl and the agent both read through here.
#pragma once

#include <stdexcept>
#include <string>

namespace westworld::policy {

struct PolicyFileError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The whole file, at most kMaxPolicyBytes. Regular files and pipes only: a device such as
// /dev/zero is refused before it is read. Throws PolicyFileError with a message naming
// the file ("cannot read PATH: ...").
std::string read_policy_file(const std::string& path);

}  // namespace westworld::policy
