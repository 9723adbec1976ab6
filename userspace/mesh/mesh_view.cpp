#include "westworld/mesh/mesh_view.h"

#include <algorithm>

#include "westworld/mesh/policy_bundle.h"

namespace westworld::mesh {

const char* target_state_name(TargetState state) {
  switch (state) {
    case TargetState::none:
      return "none";
    case TargetState::in_sync:
      return "in-sync";
    case TargetState::pending:
      return "pending";
    case TargetState::refused:
      return "refused";
  }
  return "unknown";
}

namespace {

struct Target {
  Revision revision = 0;
  std::string digest;  // empty when the stored value is not a bundle
};

TargetState state_against(const RouterRecord& record, const std::optional<Target>& target) {
  if (!target) return TargetState::none;
  if (record.last_refusal && record.last_refusal->revision == target->revision)
    return TargetState::refused;
  if (!target->digest.empty() && record.applied_digest == target->digest)
    return TargetState::in_sync;
  return TargetState::pending;
}

}  // namespace

MeshView read_mesh_view(KvStore& store, const MeshKeys& keys, int64_t now_unix_s) {
  MeshView view;
  // Targets first: a router registered after this read is then judged against targets at
  // least as old as its record.
  const RangeReply targets = store.list(keys.targets());
  const RangeReply routers = store.list(keys.routers());
  view.revision = routers.revision;
  auto target_for = [&](const std::string& id) -> std::optional<Target> {
    std::optional<Target> newest;
    for (const KeyValue& kv : targets.kvs) {
      if (kv.key != keys.target(kAllRouters) && kv.key != keys.target(id)) continue;
      if (newest && newest->revision >= kv.mod_revision) continue;
      Target t{kv.mod_revision, {}};
      try {
        t.digest = decode_bundle(kv.value).digest;
      } catch (const BundleError&) {
      }
      newest = t;
    }
    return newest;
  };
  for (const KeyValue& kv : routers.kvs) {
    NodeView node;
    try {
      node.record = decode_router_record(kv.value);
    } catch (const std::exception& e) {
      node.record.id = kv.key.substr(keys.routers().size());
      node.unreadable = e.what();
      view.nodes.push_back(std::move(node));
      continue;
    }
    if (const std::string under = kv.key.substr(keys.routers().size()); node.record.id != under) {
      // A router writes only its own key; a record naming another id is not believed.
      node.unreadable = "record for '" + node.record.id + "' stored under " + kv.key;
      node.record = RouterRecord{};
      node.record.id = under;
      view.nodes.push_back(std::move(node));
      continue;
    }
    node.heartbeat_age_s = std::max<int64_t>(0, now_unix_s - node.record.heartbeat);
    const int64_t interval_s =
        std::max<int64_t>(1, static_cast<int64_t>((node.record.report_interval_ms + 999) / 1000));
    node.alive = node.heartbeat_age_s <= kStaleAfterIntervals * interval_s + 1;
    const std::optional<Target> target = target_for(node.record.id);
    node.target = state_against(node.record, target);
    if (target) node.target_digest = target->digest;
    view.nodes.push_back(std::move(node));
  }
  std::sort(view.nodes.begin(), view.nodes.end(),
            [](const NodeView& a, const NodeView& b) { return a.record.id < b.record.id; });
  return view;
}

}  // namespace westworld::mesh
