// Where a mesh keeps what in etcd: `/westworld/v1/<mesh>/...`. The layout is a stable
// contract between routers of different versions (Cilium's lesson): add keys, never move
// them. Routers write only their own `routers/<id>`; `policy/target/...` is written by
// publishers and read by every router, which trusts it only after verifying it. Under
// `gov/` proposals and votes are create-only; `policy/rollout/<id>` is moved by the
// rollout coordinator with compare-and-swap, and routers verify what it releases.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace westworld::mesh {

// The name publishers use for a bundle every router runs.
inline constexpr std::string_view kAllRouters = "all";

class MeshKeys {
 public:
  // Throws std::invalid_argument on a mesh name or router id that is empty, longer than
  // 64 bytes, or holds anything but [A-Za-z0-9._-] (a '/' would escape the layout).
  explicit MeshKeys(std::string mesh_name);

  const std::string& mesh() const { return mesh_; }
  std::string root() const;                       // /westworld/v1/<mesh>/
  std::string routers() const;                    // .../routers/
  std::string router(std::string_view id) const;  // .../routers/<id>
  std::string policy() const;                     // .../policy/ (what routers watch)
  std::string targets() const;                    // .../policy/target/
  std::string target(std::string_view to) const;  // .../policy/target/<id or "all">
  // Governance: a rollout's state is what releases a passed proposal to routers, so it
  // lives under policy/ beside the targets and one watch sees both.
  std::string rollouts() const;                          // .../policy/rollout/
  std::string rollout(std::string_view proposal) const;  // .../policy/rollout/<id>
  std::string gov_genesis() const;                       // .../gov/genesis
  std::string proposals() const;                         // .../gov/proposals/
  std::string proposal(std::string_view id) const;       // .../gov/proposals/<id>
  std::string votes(std::string_view proposal) const;    // .../gov/votes/<id>/
  std::string vote(std::string_view proposal, std::string_view voter) const;
  std::string coordinator() const;  // .../gov/coordinator
  // Quests: one create-only key per claim, so a claim is granted once in the whole mesh;
  // every reader re-verifies the signed evidence a record carries before counting it.
  std::string quest_claims() const;  // .../quests/claims/
  // .../quests/claims/<quest>/<step>/<period>/<node>
  std::string quest_claim(std::string_view quest, std::string_view step, int64_t period,
                          std::string_view node) const;
  // Crises a router's detector opened, published signed so that every member may claim its
  // crisis quests: one create-only key per (kind, opening second, router).
  std::string quest_crises() const;  // .../quests/crises/
  // .../quests/crises/<kind>/<opened_at>/<node>
  std::string quest_crisis(std::string_view kind, int64_t opened_at, std::string_view node) const;

 private:
  std::string mesh_;
};

// Router ids and mesh names share one alphabet; throws std::invalid_argument naming `what`.
void check_mesh_name(std::string_view name, std::string_view what);

}  // namespace westworld::mesh
