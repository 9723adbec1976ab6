#include "westworld/mesh/keys.h"

#include <stdexcept>

namespace westworld::mesh {

void check_mesh_name(std::string_view name, std::string_view what) {
  const bool ok =
      !name.empty() && name.size() <= 64 && name != "." && name != ".." &&
      name.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") ==
          std::string_view::npos;
  if (!ok)
    throw std::invalid_argument(std::string(what) + " '" + std::string(name) +
                                "' must be 1-64 characters of A-Z a-z 0-9 . _ -");
}

MeshKeys::MeshKeys(std::string mesh_name) : mesh_(std::move(mesh_name)) {
  check_mesh_name(mesh_, "mesh name");
}

std::string MeshKeys::root() const { return "/westworld/v1/" + mesh_ + "/"; }
std::string MeshKeys::routers() const { return root() + "routers/"; }
std::string MeshKeys::router(std::string_view id) const { return routers() + std::string(id); }
std::string MeshKeys::policy() const { return root() + "policy/"; }
std::string MeshKeys::targets() const { return policy() + "target/"; }
std::string MeshKeys::target(std::string_view to) const { return targets() + std::string(to); }
std::string MeshKeys::rollouts() const { return policy() + "rollout/"; }
std::string MeshKeys::rollout(std::string_view proposal) const {
  return rollouts() + std::string(proposal);
}
std::string MeshKeys::gov_genesis() const { return root() + "gov/genesis"; }
std::string MeshKeys::proposals() const { return root() + "gov/proposals/"; }
std::string MeshKeys::proposal(std::string_view id) const { return proposals() + std::string(id); }
std::string MeshKeys::votes(std::string_view proposal) const {
  return root() + "gov/votes/" + std::string(proposal) + "/";
}
std::string MeshKeys::vote(std::string_view proposal, std::string_view voter) const {
  return votes(proposal) + std::string(voter);
}
std::string MeshKeys::coordinator() const { return root() + "gov/coordinator"; }
std::string MeshKeys::quest_claims() const { return root() + "quests/claims/"; }
std::string MeshKeys::quest_claim(std::string_view quest, std::string_view step, int64_t period,
                                  std::string_view node) const {
  // Quest and step ids are [a-z0-9_-] (the quest loader), node ids the mesh alphabet: none
  // holds a '/', so the four parts cannot be confused.
  check_mesh_name(node, "node id");
  return quest_claims() + std::string(quest) + "/" + std::string(step) + "/" +
         std::to_string(period) + "/" + std::string(node);
}

std::string MeshKeys::quest_crises() const { return root() + "quests/crises/"; }
std::string MeshKeys::quest_crisis(std::string_view kind, int64_t opened_at,
                                   std::string_view node) const {
  // Kinds are [a-z] names (quests/crisis.h), node ids the mesh alphabet: none holds a '/'.
  check_mesh_name(node, "node id");
  return quest_crises() + std::string(kind) + "/" + std::to_string(opened_at) + "/" +
         std::string(node);
}

}  // namespace westworld::mesh
