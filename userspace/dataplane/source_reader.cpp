#include "westworld/dataplane/source_reader.h"

#include <bpf/bpf.h>

#include <cerrno>

#include "map_keys.h"
#include "westworld/dataplane/error.h"

namespace westworld::dataplane {
namespace {

constexpr uint32_t kBatch = 4096;
// The kernel's internal ENOTSUPP, which bpf() can leak to userspace.
constexpr int kKernelEnotsupp = 524;

// The batch cursor of hash maps is a bucket index; it is given room for a key
// too, which is what other map types use.
struct Cursor {
  alignas(8) unsigned char bytes[sizeof(ww_source_key) + 8] = {};
};

SourceTable read_by_walk(int fd) {
  SourceTable table;
  for (const ww_source_key& key : map_keys<ww_source_key>(fd)) {
    ww_source value{};
    // A source evicted since the walk is simply gone.
    if (bpf_map_lookup_elem(fd, &key, &value) != 0) continue;
    table.keys.push_back(key);
    table.values.push_back(value);
  }
  return table;
}

}  // namespace

SourceTable read_sources(const GuardMaps& maps) {
  const int fd = maps.sources.get();
  SourceTable table;
  Cursor in, out;
  bool first = true;
  uint32_t batch = kBatch;
  LIBBPF_OPTS(bpf_map_batch_opts, opts);
  for (;;) {
    const size_t have = table.keys.size();
    table.keys.resize(have + batch);
    table.values.resize(have + batch);
    uint32_t count = batch;
    const int rc =
        bpf_map_lookup_batch(fd, first ? nullptr : in.bytes, out.bytes, table.keys.data() + have,
                             table.values.data() + have, &count, &opts);
    const int err = rc == 0 ? 0 : errno;
    table.keys.resize(have + (rc == 0 || err == ENOENT ? count : 0));
    table.values.resize(table.keys.size());
    if (err == ENOENT) return table;  // the last batch
    if (err == ENOSPC) {
      // One bucket holds more entries than fit: retry it with more room.
      batch *= 2;
      continue;
    }
    if (err == EINVAL || err == EOPNOTSUPP || err == kKernelEnotsupp) return read_by_walk(fd);
    if (err != 0) throw Error(describe_errno("cannot read ww_sources", err));
    in = out;
    first = false;
  }
}

}  // namespace westworld::dataplane
