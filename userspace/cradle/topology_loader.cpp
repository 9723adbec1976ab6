// topology: the twin's routers and links, or `from: mesh` (the registry's, read when the run
// starts), and the lookups the workload and faults make into it.
#include <algorithm>
#include <deque>
#include <set>

#include "experiment_sections.h"

namespace westworld::cradle {
namespace {

// The smallest MTU IPv6 allows, and jumbo frames.
constexpr uint64_t kMinMtu = 1280;
constexpr uint64_t kMaxMtu = 9000;

bool has_router(const TopologySpec& topology, std::string_view id) {
  return std::find(topology.routers.begin(), topology.routers.end(), id) != topology.routers.end();
}

std::string joined(const std::vector<std::string>& names) {
  std::string text;
  for (const std::string& name : names) text += (text.empty() ? "" : ", ") + name;
  return text;
}

bool same_link(const LinkSpec& link, std::string_view a, std::string_view b) {
  return (link.a == a && link.b == b) || (link.a == b && link.b == a);
}

// Returns whether every router was read and the list is usable.
bool load_routers(const Field& field, TopologySpec& topology, DiagnosticSink& sink) {
  auto items = read_list(field, sink);
  if (!items) return false;
  bool valid = true;
  std::vector<std::pair<std::string, int>> seen;  // id, line
  for (const YAML::Node& item : *items) {
    Value value("router id", item);
    auto id = read_identifier(value, kMaxRouterIdLength, sink);
    if (!id) {
      valid = false;
      continue;
    }
    auto earlier =
        std::find_if(seen.begin(), seen.end(), [&](const auto& s) { return s.first == *id; });
    if (earlier != seen.end()) {
      sink.error(value.at, "duplicate router '" + *id + "' (first on line " +
                               std::to_string(earlier->second) + ")");
      valid = false;
      continue;
    }
    seen.emplace_back(*id, value.at.line);
    topology.routers.push_back(*id);
  }
  if (items->size() > kMaxTwinRouters) {
    sink.error(field.value_at, "the twin holds at most " + std::to_string(kMaxTwinRouters) +
                                   " routers on this machine; this topology has " +
                                   std::to_string(items->size()));
    valid = false;
  } else if (items->size() < 2) {
    sink.error(field.value_at, "a topology needs at least 2 routers, to have a link between them");
    valid = false;
  }
  return valid;
}

void load_link(const YAML::Node& node, TopologySpec& topology, bool routers_known,
               DiagnosticSink& sink) {
  Value item("link", node);
  auto fields = read_fields(item, {"between", "mtu"}, sink);
  if (!fields) return;
  require_fields(*fields, "link", item.at, {"between"}, sink);
  LinkSpec link;
  bool valid = true;
  for (const Field& field : *fields) {
    if (field.key == "mtu") {
      auto mtu = read_integer(field, kMinMtu, kMaxMtu, sink);
      valid = valid && mtu;
      link.mtu = static_cast<uint32_t>(mtu.value_or(0));
      continue;
    }
    auto ends = read_list(field, sink);
    if (!ends) {
      valid = false;
    } else if (ends->size() != 2) {
      sink.error(field.value_at, "between must name two routers, such as [r1, r2], not " +
                                     std::to_string(ends->size()));
      valid = false;
    } else {
      std::optional<std::string> names[2];
      for (int i = 0; i < 2; ++i) {
        Value end("router id", (*ends)[i]);
        names[i] = read_scalar(end, sink);
        if (names[i] && routers_known && !has_router(topology, *names[i])) {
          sink.error(end.at, "'" + *names[i] + "' is not one of the routers (" +
                                 joined(topology.routers) + ")");
          names[i].reset();
        }
      }
      if (!names[0] || !names[1]) {
        valid = false;
      } else if (*names[0] == *names[1]) {
        sink.error(field.value_at,
                   "a link joins two different routers, not " + *names[0] + " to itself");
        valid = false;
      } else {
        auto earlier =
            std::find_if(topology.links.begin(), topology.links.end(),
                         [&](const LinkSpec& l) { return same_link(l, *names[0], *names[1]); });
        if (earlier != topology.links.end()) {
          sink.error(field.value_at, "duplicate link between " + *names[0] + " and " + *names[1] +
                                         ": two routers are joined by one link");
          valid = false;
        }
        link.a = *names[0];
        link.b = *names[1];
      }
    }
  }
  if (valid && !link.a.empty()) topology.links.push_back(link);
}

}  // namespace

bool load_topology(const Field& field, TopologySpec& topology, DiagnosticSink& sink) {
  auto fields = read_fields(field, {"from", "routers", "links"}, sink);
  if (!fields) return false;
  const size_t errors_before = sink.error_count();
  if (const Field* from = find_field(*fields, "from")) {
    if (read_enum<bool>(*from, {{"mesh", true}}, sink)) topology.from_mesh = true;
    for (const Field& other : *fields) {
      if (other.key == "from") continue;
      sink.error(other.key_at,
                 "topology takes either 'from: mesh' or routers and links, not "
                 "both: with from: mesh the routers and links are the registry's");
    }
    return false;  // known only when the run reads the registry
  }
  require_fields(*fields, "topology", field.value_at, {"routers", "links"}, sink);
  const Field* routers = find_field(*fields, "routers");
  const Field* links = find_field(*fields, "links");
  const bool routers_known = routers && load_routers(*routers, topology, sink);
  if (links) {
    if (auto items = read_list(*links, sink)) {
      if (items->empty()) sink.error(links->value_at, "links needs at least one link");
      for (const YAML::Node& item : *items) load_link(item, topology, routers_known, sink);
    }
  }
  return routers_known && sink.error_count() == errors_before;
}

std::optional<std::string> read_router(const Value& value, const LoadContext& context,
                                       DiagnosticSink& sink) {
  auto id = read_identifier(value, kMaxRouterIdLength, sink);
  if (!id || !context.topology || has_router(*context.topology, *id)) return id;
  sink.error(value.at, value.name + " '" + *id + "' is not one of the routers (" +
                           joined(context.topology->routers) + ")");
  return std::nullopt;
}

std::optional<std::string> read_link(const Value& value, const LoadContext& context,
                                     DiagnosticSink& sink) {
  auto text = read_scalar(value, sink);
  if (!text || !context.topology) return text;
  // Router ids may hold dashes, so "a-b-c" is tried at every dash.
  std::vector<const LinkSpec*> matches;
  for (size_t dash = text->find('-'); dash != std::string::npos; dash = text->find('-', dash + 1)) {
    const std::string a = text->substr(0, dash);
    const std::string b = text->substr(dash + 1);
    for (const LinkSpec& link : context.topology->links) {
      if (same_link(link, a, b) &&
          std::find(matches.begin(), matches.end(), &link) == matches.end()) {
        matches.push_back(&link);
      }
    }
  }
  if (matches.size() == 1) return link_name(*matches[0]);
  std::vector<std::string> names;
  for (const LinkSpec& link : context.topology->links) names.push_back(link_name(link));
  if (matches.empty()) {
    sink.error(value.at, value.name + " '" + *text + "' is not one of the links (" + joined(names) +
                             "); name one as A-B");
  } else {
    sink.error(value.at, value.name + " '" + *text + "' could be the link between " +
                             matches[0]->a + " and " + matches[0]->b + " or between " +
                             matches[1]->a + " and " + matches[1]->b +
                             "; rename a router so its id has no dash");
  }
  return std::nullopt;
}

void check_path(const std::string& from, const std::string& to, SourceLocation at,
                std::string_view what, const LoadContext& context, DiagnosticSink& sink) {
  if (!context.topology) return;
  const TopologySpec& topology = *context.topology;
  std::set<std::string> reached{from};
  std::deque<std::string> frontier{from};
  while (!frontier.empty()) {
    const std::string router = frontier.front();
    frontier.pop_front();
    if (router == to) return;
    for (const LinkSpec& link : topology.links) {
      const std::string* next = link.a == router ? &link.b : link.b == router ? &link.a : nullptr;
      if (next && reached.insert(*next).second) frontier.push_back(*next);
    }
  }
  sink.error(at, "no chain of links joins " + from + " to " + to + ", so the " + std::string(what) +
                     " could never arrive");
}

}  // namespace westworld::cradle
