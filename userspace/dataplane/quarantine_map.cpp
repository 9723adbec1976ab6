#include "westworld/dataplane/quarantine_map.h"

#include <bpf/bpf.h>

#include <cerrno>
#include <ctime>

#include "map_keys.h"
#include "westworld/abi_names.h"
#include "westworld/dataplane/error.h"
#include "westworld/dataplane/source_address.h"

namespace westworld::dataplane {

std::vector<QuarantineEntry> read_quarantines(const GuardMaps& maps) {
  std::vector<QuarantineEntry> entries;
  const int fd = maps.quarantine.get();
  for (const ww_source_key& key : map_keys<ww_source_key>(fd)) {
    QuarantineEntry entry{key, {}};
    // An entry deleted since the walk is simply gone.
    if (bpf_map_lookup_elem(fd, &key, &entry.value) == 0) entries.push_back(entry);
  }
  return entries;
}

std::optional<ww_quarantine> find_quarantine(const GuardMaps& maps, const ww_source_key& key) {
  ww_quarantine value{};
  if (bpf_map_lookup_elem(maps.quarantine.get(), &key, &value) != 0) return std::nullopt;
  return value;
}

void write_quarantine(const GuardMaps& maps, const ww_source_key& key, const ww_quarantine& value) {
  if (bpf_map_update_elem(maps.quarantine.get(), &key, &value, BPF_ANY) != 0) {
    const int err = errno;
    throw Error(describe_errno("cannot write ww_quarantine", err) +
                (err == E2BIG
                     ? " (it holds at most " + std::to_string(WW_MAX_QUARANTINE) + " sources)"
                     : ""));
  }
}

bool delete_quarantine(const GuardMaps& maps, const ww_source_key& key) {
  if (bpf_map_delete_elem(maps.quarantine.get(), &key) == 0) return true;
  if (errno == ENOENT) return false;
  throw Error(describe_errno("cannot delete from ww_quarantine", errno));
}

std::vector<QuarantineView> describe_quarantines(const std::vector<QuarantineEntry>& entries,
                                                 uint64_t now_ns) {
  std::vector<QuarantineView> list;
  for (const QuarantineEntry& e : entries) {
    QuarantineView view;
    view.source = source_address(e.key);
    view.action = quarantine_action_name(e.value.action);
    view.origin = quarantine_origin_name(e.value.origin);
    view.enforced = now_ns < e.value.until_ns;
    view.remaining_s = view.enforced ? (e.value.until_ns - now_ns) / 1e9 : 0.0;
    view.held_for_s = now_ns > e.value.since_ns ? (now_ns - e.value.since_ns) / 1e9 : 0.0;
    view.dropped = e.value.dropped;
    if (e.value.action == WW_QUARANTINE_LIMIT && e.value.packet_interval_ns)
      view.pps = 1'000'000'000ULL / e.value.packet_interval_ns;
    list.push_back(std::move(view));
  }
  return list;
}

const char* quarantine_action_name(uint32_t action) {
  // The data plane drops for every action but limit, so that is what any other value means.
  return abi::quarantine_action_name(action == WW_QUARANTINE_LIMIT ? WW_QUARANTINE_LIMIT
                                                                   : WW_QUARANTINE_DROP);
}

const char* quarantine_origin_name(uint32_t origin) { return abi::quarantine_origin_name(origin); }

}  // namespace westworld::dataplane
