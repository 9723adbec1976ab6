// The address and port lists of flow rules and quota classes.
#pragma once

#include <initializer_list>
#include <optional>
#include <string_view>
#include <vector>

#include "westworld/policy/diagnostic_sink.h"
#include "westworld/policy/model.h"
#include "westworld/policy/yaml_fields.h"

namespace westworld::policy {

// Every bad entry is reported; nullopt when there was any, or when the list has more than
// kMaxListEntries. An empty list is returned as such: what it means depends on the caller.
// IPv4-mapped IPv6 prefixes (::ffff:a.b.c.d/n) are accepted with a warning: IPv4 packets
// are matched by IPv4 prefixes only.
std::optional<std::vector<Cidr>> read_cidr_list(const Value& value, DiagnosticSink& sink);
std::optional<std::vector<PortRange>> read_port_list(const Value& value, DiagnosticSink& sink);

// How many entries the lists under `keys` of the mapping `node` hold, without reading
// them: a YAML alias makes one list count once per use. 0 for what is not a mapping.
size_t count_list_entries(const YAML::Node& node, std::initializer_list<std::string_view> keys);

}  // namespace westworld::policy
