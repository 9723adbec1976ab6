// Walking a map's keys from userspace (private to dataplane: it is libbpf).
#pragma once

#include <bpf/bpf.h>

#include <vector>

namespace westworld::dataplane {

// Every key present when the walk reaches it. Collected first, so callers may
// delete or update entries afterwards without restarting the walk.
template <typename Key>
std::vector<Key> map_keys(int map_fd) {
  std::vector<Key> keys;
  Key next{};
  const Key* cursor = nullptr;
  while (bpf_map_get_next_key(map_fd, cursor, &next) == 0) {
    keys.push_back(next);
    cursor = &keys.back();
  }
  return keys;
}

}  // namespace westworld::dataplane
