#include "westworld/harness/netns.h"

#include <fcntl.h>
#include <sched.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <sstream>
#include <stdexcept>

#include "westworld/dataplane/bpffs.h"
#include "westworld/harness/command.h"
#include "westworld/harness/tool_paths.h"

namespace westworld::harness {

NetnsScope::NetnsScope(const std::string& name) {
  original_ = ::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
  if (original_ < 0) {
    throw std::runtime_error(std::string("cannot open this thread's network namespace: ") +
                             std::strerror(errno));
  }
  try {
    dataplane::enter_netns(name);
  } catch (...) {
    ::close(original_);
    throw;
  }
}

NetnsScope::~NetnsScope() {
  if (::setns(original_, CLONE_NEWNET) != 0) {
    std::fprintf(stderr, "cannot return to the original network namespace: %s\n",
                 std::strerror(errno));
  }
  ::close(original_);
}

std::vector<std::string> in_namespace(const std::string& name, std::vector<std::string> argv) {
  std::vector<std::string> wrapped = {system_tool("ip"), "netns", "exec", name};
  wrapped.insert(wrapped.end(), argv.begin(), argv.end());
  return wrapped;
}

std::string namespace_id(const std::string& name) {
  struct stat info {};
  if (stat(("/run/netns/" + name).c_str(), &info) != 0) {
    throw std::runtime_error("no network namespace " + name);
  }
  return "net:[" + std::to_string(info.st_ino) + "]";
}

std::string namespace_of(pid_t pid) {
  std::error_code error;
  return std::filesystem::read_symlink("/proc/" + std::to_string(pid) + "/ns/net", error).string();
}

std::vector<pid_t> processes_in(const std::string& name) {
  const CommandResult listed = run_command({system_tool("ip"), "netns", "pids", name});
  std::vector<pid_t> pids;
  std::istringstream words(listed.out);
  pid_t pid = 0;
  while (words >> pid) {
    pids.push_back(pid);
  }
  return pids;
}

}  // namespace westworld::harness
