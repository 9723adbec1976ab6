#include "process_usage.h"

#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>

namespace westworld::mesh_load {

ProcessUsage process_usage(pid_t pid) {
  ProcessUsage usage;
  const std::string dir = "/proc/" + std::to_string(pid);
  std::ifstream stat(dir + "/stat");
  std::string line;
  if (std::getline(stat, line)) {
    // Fields after the command name, which may hold spaces: it ends at the last ')'.
    std::istringstream rest(line.substr(line.rfind(')') + 2));
    std::string field;
    unsigned long long utime = 0, stime = 0;
    for (int i = 3; i <= 15 && rest >> field; ++i) {
      if (i == 14) utime = std::stoull(field);
      if (i == 15) stime = std::stoull(field);
    }
    usage.cpu_s = static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
  }
  std::ifstream status(dir + "/status");
  while (std::getline(status, line))
    if (line.rfind("VmRSS:", 0) == 0) usage.rss_kib = std::stoull(line.substr(6));
  return usage;
}

}  // namespace westworld::mesh_load
