#include "westworld/capability/caveat.h"

#include <charconv>

namespace westworld::capability {
namespace {

constexpr std::string_view kSeparator = " = ";
constexpr size_t kMaxNameLength = 128;

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-' || c == ':';
}

// Action names, node ids and proposal ids share one conservative alphabet.
bool is_name(std::string_view text) {
  if (text.empty() || text.size() > kMaxNameLength) return false;
  for (char c : text)
    if (!is_name_char(c)) return false;
  return true;
}

// Canonical decimal: digits only, no sign, no leading zero, fits in 64 bits.
std::optional<std::uint64_t> parse_count(std::string_view text) {
  if (text.empty() || (text.size() > 1 && text[0] == '0')) return std::nullopt;
  for (char c : text)
    if (c < '0' || c > '9') return std::nullopt;
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

ConditionParse failure(std::string error) { return {std::nullopt, std::move(error)}; }

ConditionParse parse_value(std::string_view key, std::string_view value) {
  if (key == "action" || key == "node") {
    if (!is_name(value)) return failure(std::string(key) + " must be a name of [A-Za-z0-9._:-]");
    if (key == "action") return {ActionIs{std::string(value)}, {}};
    return {NodeIs{std::string(value)}, {}};
  }
  if (key == "affects_nodes_le" || key == "affects_network_ppm_le") {
    const auto count = parse_count(value);
    if (!count) return failure(std::string(key) + " must be a non-negative integer");
    if (key == "affects_nodes_le") return {AffectsNodesAtMost{*count}, {}};
    return {AffectsNetworkPpmAtMost{*count}, {}};
  }
  if (key == "valid_until") {
    const auto deadline = parse_rfc3339_utc(value);
    if (!deadline)
      return failure("valid_until must be an RFC 3339 UTC time like 2026-12-01T00:00:00Z");
    return {ValidUntil{*deadline}, {}};
  }
  if (key == "scope") {
    if (value == "local") return {ScopeIs{Scope::kLocal}, {}};
    if (value == "regional") return {ScopeIs{Scope::kRegional}, {}};
    if (value == "network") return {ScopeIs{Scope::kNetwork}, {}};
    return failure("scope must be local, regional or network");
  }
  if (key == kDaoVoteCaveat)
    return failure("requires_dao_vote must be a third-party caveat discharged by governance");
  return failure("unknown caveat '" + std::string(key) + "'");
}

std::string node_count(std::uint64_t n) {
  return std::to_string(n) + (n == 1 ? " node" : " nodes");
}

std::optional<std::string> check_node_limit(const RequestContext& request, std::uint64_t limit,
                                            std::string_view what) {
  if (!request.affected_nodes) return "the request does not state how many nodes it affects";
  if (*request.affected_nodes > limit)
    return "the request affects " + node_count(*request.affected_nodes) + ", " + std::string(what) +
           " allows at most " + std::to_string(limit);
  return std::nullopt;
}

}  // namespace

ConditionParse parse_condition(std::string_view caveat) {
  for (char c : caveat)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
      return failure("caveat contains control characters");
  if (caveat == kDaoVoteCaveat) return parse_value(caveat, "");
  const size_t at = caveat.find(kSeparator);
  if (at == std::string_view::npos) return failure("caveat must read 'key = value'");
  const std::string_view key = caveat.substr(0, at);
  const std::string_view value = caveat.substr(at + kSeparator.size());
  if (key.empty() || value.empty() || key.find(' ') != std::string_view::npos ||
      value.find(' ') != std::string_view::npos) {
    return failure("caveat must read 'key = value' with no other spaces");
  }
  return parse_value(key, value);
}

bool is_dao_vote_caveat(std::string_view caveat_id) {
  if (caveat_id == kDaoVoteCaveat) return true;
  if (!caveat_id.starts_with(kDaoVoteCaveat)) return false;
  const std::string_view rest = caveat_id.substr(kDaoVoteCaveat.size());
  return rest.starts_with(kSeparator) && is_name(rest.substr(kSeparator.size()));
}

std::optional<std::uint64_t> affected_ppm(std::uint64_t affected, std::uint64_t network_size) {
  if (network_size == 0) return std::nullopt;
  std::uint64_t scaled = 0;
  if (__builtin_mul_overflow(affected, std::uint64_t{1000000}, &scaled)) return std::nullopt;
  return scaled / network_size;
}

std::optional<std::string> check_condition(const Condition& condition,
                                           const RequestContext& request, UnixSeconds now,
                                           bool has_governance_discharge) {
  if (const auto* c = std::get_if<ActionIs>(&condition)) {
    if (!request.action) return "the request does not state its action";
    if (*request.action != c->action) return "the request's action is " + *request.action;
    return std::nullopt;
  }
  if (const auto* c = std::get_if<NodeIs>(&condition)) {
    if (!request.node) return "the request does not state its node";
    if (*request.node != c->node) return "the request is for node " + *request.node;
    return std::nullopt;
  }
  if (const auto* c = std::get_if<AffectsNodesAtMost>(&condition))
    return check_node_limit(request, c->nodes, "the caveat");
  if (const auto* c = std::get_if<AffectsNetworkPpmAtMost>(&condition)) {
    if (!request.affected_nodes || !request.network_size)
      return "the request does not state affected_nodes and network_size";
    const auto ppm = affected_ppm(*request.affected_nodes, *request.network_size);
    if (!ppm) return "the share of the network cannot be computed (network_size is 0 or too large)";
    if (*ppm > c->ppm) return "the request affects " + std::to_string(*ppm) + " ppm of the network";
    return std::nullopt;
  }
  if (const auto* c = std::get_if<ValidUntil>(&condition)) {
    if (now >= c->deadline) return "the token expired; now is " + format_rfc3339_utc(now);
    return std::nullopt;
  }
  const Scope scope = std::get<ScopeIs>(condition).scope;
  if (scope == Scope::kLocal) return check_node_limit(request, kLocalScopeMaxNodes, "local scope");
  if (scope == Scope::kRegional)
    return check_node_limit(request, kRegionalScopeMaxNodes, "regional scope");
  if (!has_governance_discharge)
    return "network scope needs a discharged requires_dao_vote third-party caveat";
  return std::nullopt;
}

}  // namespace westworld::capability
