// Named network namespaces (/run/netns/NAME, as `ip netns` makes them): entering one from a
// thread, running a program in one, and telling which one a process is in.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace westworld::harness {

// The calling thread lives in namespace `name` until the scope ends. Namespaces are per
// thread: other threads, bpffs and BPF objects are not affected.
class NetnsScope {
 public:
  explicit NetnsScope(const std::string& name);  // throws if it cannot enter
  ~NetnsScope();
  NetnsScope(const NetnsScope&) = delete;
  NetnsScope& operator=(const NetnsScope&) = delete;

 private:
  int original_ = -1;
};

// `ip netns exec NAME argv...`: argv run inside the namespace.
std::vector<std::string> in_namespace(const std::string& name, std::vector<std::string> argv);

// "net:[inode]" of the namespace, as /proc/PID/ns/net reads; throws if there is none.
std::string namespace_id(const std::string& name);
// The same of the namespace process `pid` is in; empty if it cannot be read.
std::string namespace_of(pid_t pid);

// PIDs of the processes in the namespace (`ip netns pids`).
std::vector<pid_t> processes_in(const std::string& name);

}  // namespace westworld::harness
