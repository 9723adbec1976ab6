#include "westworld/harness/tool_paths.h"

#include <unistd.h>

#include <cstdlib>
#include <sstream>

namespace westworld::harness {

std::string system_tool(const std::string& name) {
  if (name.find('/') != std::string::npos) {
    return name;
  }
  const char* path = std::getenv("PATH");
  std::istringstream directories(std::string(path ? path : "") + ":/usr/sbin:/sbin:/usr/bin:/bin");
  std::string directory;
  while (std::getline(directories, directory, ':')) {
    const std::string candidate = directory + "/" + name;
    if (!directory.empty() && access(candidate.c_str(), X_OK) == 0) {
      return candidate;
    }
  }
  return name;
}

bool have_tool(const std::string& name) { return system_tool(name).find('/') != std::string::npos; }

}  // namespace westworld::harness
