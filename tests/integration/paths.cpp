#include "paths.h"

#include <unistd.h>

#include <cstdlib>
#include <sstream>

namespace westworld::integration {

std::string system_tool(const std::string& name) {
  std::string search = std::getenv("PATH") ? std::getenv("PATH") : "";
  search += ":/usr/sbin:/sbin:/usr/bin:/bin";
  std::istringstream directories(search);
  std::string directory;
  while (std::getline(directories, directory, ':')) {
    const std::string candidate = directory + "/" + name;
    if (!directory.empty() && access(candidate.c_str(), X_OK) == 0) {
      return candidate;
    }
  }
  return name;
}

}  // namespace westworld::integration
