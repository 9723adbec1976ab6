// The mesh as `wwctl mesh nodes` shows it: every registered router, whether it is alive,
// and where it stands against the bundle addressed to it. Read-only; computed by whoever
// asks, from the records routers publish (which nothing enforces on: they are a view).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "westworld/mesh/keys.h"
#include "westworld/mesh/kv_store.h"
#include "westworld/mesh/router_record.h"

namespace westworld::mesh {

// Where a router stands against the newest bundle addressed to it (its id or "all").
enum class TargetState {
  none,     // no bundle addressed to it
  in_sync,  // it runs the bundle's digest
  pending,  // not yet (or it is still verifying)
  refused,  // it refused this bundle (the reason is in its record)
};
const char* target_state_name(TargetState state);

struct NodeView {
  RouterRecord record;
  int64_t heartbeat_age_s = 0;
  bool alive = false;  // registered and reporting at its own pace
  TargetState target = TargetState::none;
  std::string target_digest;  // the bundle's claimed digest
  std::string unreadable;     // a record that did not decode: why (record has only the id)
};

// A router is stale when its last report is older than this many report intervals.
inline constexpr int kStaleAfterIntervals = 3;

struct MeshView {
  std::vector<NodeView> nodes;  // sorted by id
  Revision revision = 0;
};

MeshView read_mesh_view(KvStore& store, const MeshKeys& keys, int64_t now_unix_s);

}  // namespace westworld::mesh
