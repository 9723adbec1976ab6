// The BPF filesystem that holds Westworld's pins.
#pragma once

#include <string>

namespace westworld::dataplane {

inline constexpr const char* kBpffsRoot = "/sys/fs/bpf";
inline constexpr const char* kDefaultPinRoot = "/sys/fs/bpf/westworld";

// Mounts bpffs at /sys/fs/bpf when it is missing (as it is inside
// `ip netns exec`, which remounts /sys). Throws Error with one clear line.
// A bpffs mounted there is a new instance private to this mount namespace,
// so pins would not outlive it: returns true in that case so the caller can
// say so (entering the namespace with --netns avoids it).
bool ensure_bpffs_mounted();

// Moves this process into the named network namespace (/run/netns/NAME, as
// `ip netns add` makes them) without leaving the host's mount namespace, so
// the pins under /sys/fs/bpf stay the host's. Call before starting threads.
void enter_netns(const std::string& name);

bool pin_exists(const std::string& path);

}  // namespace westworld::dataplane
