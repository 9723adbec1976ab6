#include "westworld/dataplane/bpffs.h"

#include <linux/magic.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>

#include <fcntl.h>
#include <sched.h>
#include <unistd.h>

#include <cerrno>

#include "westworld/dataplane/error.h"

namespace westworld::dataplane {

bool ensure_bpffs_mounted() {
  struct statfs fs {};
  if (::statfs(kBpffsRoot, &fs) == 0 && fs.f_type == BPF_FS_MAGIC) return false;

  ::mkdir(kBpffsRoot, 0700);
  if (::mount("bpf", kBpffsRoot, "bpf", 0, "mode=0700") != 0) {
    int err = errno;
    std::string hint = (err == EPERM) ? " (mounting needs root / CAP_SYS_ADMIN)" : "";
    throw Error(describe_errno(std::string("bpffs is not mounted at ") + kBpffsRoot +
                                   " and mounting it failed",
                               err) +
                hint);
  }
  return true;
}

void enter_netns(const std::string& name) {
  const std::string path = name.find('/') == std::string::npos ? "/run/netns/" + name : name;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw Error(describe_errno("unknown network namespace " + name + " (" + path + ")", errno));
  int rc = ::setns(fd, CLONE_NEWNET);
  int err = errno;
  ::close(fd);
  if (rc != 0) throw Error(describe_errno("cannot enter network namespace " + name, err));
}

bool pin_exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

}  // namespace westworld::dataplane
