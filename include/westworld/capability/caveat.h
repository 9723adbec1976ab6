// The Westworld caveat language. First-party caveats are exactly `key = value`:
//   action = NAME                    the request's action is NAME
//   node = ID                        the request targets node ID
//   affects_nodes_le = N             the request affects at most N nodes
//   affects_network_ppm_le = N       ... at most N parts per million of the mesh
//   valid_until = YYYY-MM-DDTHH:MM:SSZ   the request happens strictly before that instant
//   scope = local|regional|network   at most 1 node | at most 100 nodes | needs a DAO vote
// The one third-party caveat is `requires_dao_vote` (optionally `requires_dao_vote = ID`
// naming the proposal), discharged by governance. Anything else fails verification.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "westworld/capability/clock.h"

namespace westworld::capability {

enum class Scope { kLocal, kRegional, kNetwork };

inline constexpr std::uint64_t kLocalScopeMaxNodes = 1;
inline constexpr std::uint64_t kRegionalScopeMaxNodes = 100;
inline constexpr std::string_view kDaoVoteCaveat = "requires_dao_vote";

struct ActionIs {
  std::string action;
};
struct NodeIs {
  std::string node;
};
struct AffectsNodesAtMost {
  std::uint64_t nodes;
};
struct AffectsNetworkPpmAtMost {
  std::uint64_t ppm;
};
struct ValidUntil {
  UnixSeconds deadline;
};
struct ScopeIs {
  Scope scope;
};

using Condition = std::variant<ActionIs, NodeIs, AffectsNodesAtMost, AffectsNetworkPpmAtMost,
                               ValidUntil, ScopeIs>;

struct ConditionParse {
  std::optional<Condition> condition;
  std::string error;  // set when `condition` is empty
};

// Parses a first-party caveat; unknown keys and malformed values are errors.
ConditionParse parse_condition(std::string_view caveat);

// True when `caveat_id` is a well-formed governance caveat (third party only).
bool is_dao_vote_caveat(std::string_view caveat_id);

// What a request claims about itself. A caveat about a field the request leaves unset fails.
struct RequestContext {
  std::optional<std::string> action;
  std::optional<std::string> node;
  std::optional<std::uint64_t> affected_nodes;
  std::optional<std::uint64_t> network_size;
};

// Parts per million of the mesh, floor(affected * 1e6 / size) in integers; empty when the
// size is zero or the product overflows.
std::optional<std::uint64_t> affected_ppm(std::uint64_t affected, std::uint64_t network_size);

// Why `condition` does not hold for the request, or nothing when it holds. A network scope
// holds only when the token carries a governance caveat (which verification has discharged).
std::optional<std::string> check_condition(const Condition& condition,
                                           const RequestContext& request, UnixSeconds now,
                                           bool has_governance_discharge);

}  // namespace westworld::capability
