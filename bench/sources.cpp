#include "sources.h"

#include <bpf/bpf.h>

#include <algorithm>
#include <cerrno>
#include <ctime>

#include "frames.h"
#include "westworld/dataplane/error.h"

namespace westworld::bench {
namespace {

constexpr uint32_t kBatch = 65536;

uint64_t monotonic_ns() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);  // bpf_ktime_get_ns() reads the same clock
  return uint64_t(ts.tv_sec) * 1'000'000'000 + uint64_t(ts.tv_nsec);
}

std::vector<ww_source_key> all_keys(int fd) {
  std::vector<ww_source_key> keys;
  ww_source_key key{}, next{};
  const void* previous = nullptr;
  while (bpf_map_get_next_key(fd, previous, &next) == 0) {
    keys.push_back(next);
    key = next;
    previous = &key;
  }
  return keys;
}

}  // namespace

void populate_sources(int fd, policy::Family family, uint32_t count) {
  const uint64_t now = monotonic_ns();
  std::vector<ww_source_key> keys;
  std::vector<ww_source> values;
  for (uint32_t first = 0; first < count; first += kBatch) {
    const uint32_t n = std::min(kBatch, count - first);
    keys.resize(n);
    values.assign(n, ww_source{});
    for (uint32_t i = 0; i < n; ++i) {
      keys[i] = source_key(family, first + i);
      values[i].first_seen_ns = values[i].last_seen_ns = now;
    }
    uint32_t done = n;
    LIBBPF_OPTS(bpf_map_batch_opts, opts);
    if (bpf_map_update_batch(fd, keys.data(), values.data(), &done, &opts) != 0)
      throw dataplane::Error(dataplane::describe_errno("cannot populate ww_sources", errno));
  }
}

void clear_sources(int fd) {
  std::vector<ww_source_key> keys = all_keys(fd);
  for (size_t first = 0; first < keys.size(); first += kBatch) {
    uint32_t n = static_cast<uint32_t>(std::min<size_t>(kBatch, keys.size() - first));
    LIBBPF_OPTS(bpf_map_batch_opts, opts);
    if (bpf_map_delete_batch(fd, keys.data() + first, &n, &opts) != 0 && errno != ENOENT)
      throw dataplane::Error(dataplane::describe_errno("cannot clear ww_sources", errno));
  }
}

uint64_t count_sources(int fd) { return all_keys(fd).size(); }

}  // namespace westworld::bench
