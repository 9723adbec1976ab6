// The address and port lists of flow rules and quota classes.
#pragma once

#include <optional>
#include <vector>

#include "diagnostic_sink.h"
#include "westworld/policy/model.h"
#include "yaml_fields.h"

namespace westworld::policy {

// Every bad entry is reported; nullopt when there was any. An empty list is
// returned as such: what it means depends on the caller.
std::optional<std::vector<Cidr>> read_cidr_list(const Value& value, DiagnosticSink& sink);
std::optional<std::vector<PortRange>> read_port_list(const Value& value, DiagnosticSink& sink);

}  // namespace westworld::policy
