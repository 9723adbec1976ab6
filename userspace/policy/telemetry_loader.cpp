// charter.telemetry: the whitelist, the forbidden metrics, the collectors and the exporters.
#include <algorithm>
#include <cctype>
#include <charconv>
#include <unordered_map>

#include "match_fields.h"
#include "sections.h"
#include "table_limits.h"
#include "westworld/policy/enforced_rules.h"
#include "westworld/policy/limits.h"

namespace westworld::policy {
namespace {

constexpr uint64_t kMaxRetentionDays = 36500;  // a century: anything longer is a typo
constexpr size_t kMaxTelemetryEntries = 4096;  // per list

// Prometheus metric family names: [a-zA-Z_:][a-zA-Z0-9_:]*, bounded like rule names.
std::optional<std::string> read_metric_name(const Value& value, DiagnosticSink& sink) {
  auto name = read_scalar(value, sink);
  if (!name) return std::nullopt;
  const auto valid_char = [](char c, bool first) {
    return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == ':' ||
           (!first && std::isdigit(static_cast<unsigned char>(c)));
  };
  bool ok = !name->empty() && name->size() <= 200;
  for (size_t i = 0; ok && i < name->size(); ++i) ok = valid_char((*name)[i], i == 0);
  if (!ok) {
    sink.error(value.at,
               "metric name must be a Prometheus name ([a-zA-Z_:][a-zA-Z0-9_:]*, at "
               "most 200 characters)");
    return std::nullopt;
  }
  return name;
}

std::optional<std::vector<YAML::Node>> read_bounded_list(const Value& value, DiagnosticSink& sink) {
  auto items = read_list(value, sink);
  if (items && items->size() > kMaxTelemetryEntries) {
    sink.error(value.at, value.name + " holds " + std::to_string(items->size()) +
                             " entries; at most " + std::to_string(kMaxTelemetryEntries));
    return std::nullopt;
  }
  return items;
}

// Names seen so far in one list, to report a repeat with the first line.
class NameRegistry {
 public:
  explicit NameRegistry(std::string what) : what_(std::move(what)) {}
  bool add(const std::string& name, SourceLocation at, DiagnosticSink& sink) {
    auto [first, inserted] = seen_.emplace(name, at);
    if (!inserted)
      sink.error(at, what_ + " '" + name + "' is listed twice (first on line " +
                         std::to_string(first->second.line) + ")");
    return inserted;
  }
  const SourceLocation* find(const std::string& name) const {
    auto it = seen_.find(name);
    return it == seen_.end() ? nullptr : &it->second;
  }

 private:
  std::string what_;
  std::unordered_map<std::string, SourceLocation> seen_;
};

// Reads a list of mappings into `out`: unknown and missing fields are reported, and
// `read_field` fills an Entry from one field and says whether that field was valid. Only
// entries that are valid throughout are kept.
template <typename Entry, typename ReadField>
void load_entries(const Value& list, const std::string& what,
                  std::initializer_list<std::string_view> known,
                  std::initializer_list<std::string_view> required, std::vector<Entry>& out,
                  DiagnosticSink& sink, ReadField read_field) {
  auto items = read_bounded_list(list, sink);
  if (!items) return;
  for (const YAML::Node& item : *items) {
    const Value value(what, item);
    auto fields = read_fields(value, known, sink);
    if (!fields) continue;
    const size_t errors_before = sink.error_count();
    require_fields(*fields, what, value.at, required, sink);
    Entry entry;
    entry.where = value.at;
    bool valid = sink.error_count() == errors_before;
    for (const Field& field : *fields) valid = read_field(field, entry) && valid;
    if (valid) out.push_back(std::move(entry));
  }
}

bool read_access(const Field& field, MetricAccess& out, DiagnosticSink& sink) {
  auto access = read_enum<MetricAccess>(
      field, {{"public", MetricAccess::public_access}, {"operator", MetricAccess::operator_only}},
      sink);
  if (access) out = *access;
  return access.has_value();
}

void load_whitelist(const Value& value, TelemetrySettings& out, NameRegistry& names,
                    DiagnosticSink& sink) {
  load_entries(value, "whitelisted metric", {"name", "access", "retention_days"},
               {"name", "access", "retention_days"}, out.whitelist, sink,
               [&](const Field& field, WhitelistedMetric& metric) {
                 if (field.key == "name") {
                   auto name = read_metric_name(field, sink);
                   if (name) metric.name = *name;
                   return name && names.add(*name, field.value_at, sink);
                 }
                 if (field.key == "access") return read_access(field, metric.access, sink);
                 auto days = read_integer(field, 1, kMaxRetentionDays, sink);
                 if (days) metric.retention_days = static_cast<uint32_t>(*days);
                 return days.has_value();
               });
}

void load_forbidden(const Value& value, TelemetrySettings& out, NameRegistry& names,
                    const NameRegistry& whitelisted, DiagnosticSink& sink) {
  load_entries(
      value, "forbidden metric", {"name", "severity", "reason"}, {"name", "severity", "reason"},
      out.forbidden, sink, [&](const Field& field, ForbiddenMetric& metric) {
        if (field.key == "name") {
          auto name = read_metric_name(field, sink);
          if (!name || !names.add(*name, field.value_at, sink)) return false;
          metric.name = *name;
          if (const SourceLocation* allowed = whitelisted.find(*name)) {
            sink.error(field.value_at, "metric '" + *name +
                                           "' is both forbidden and whitelisted (line " +
                                           std::to_string(allowed->line) + ")");
            return false;
          }
          return true;
        }
        if (field.key == "severity") {
          auto severity = read_enum<ViolationSeverity>(field,
                                                       {{"low", ViolationSeverity::low},
                                                        {"medium", ViolationSeverity::medium},
                                                        {"high", ViolationSeverity::high},
                                                        {"critical", ViolationSeverity::critical}},
                                                       sink);
          if (severity) metric.severity = *severity;
          return severity.has_value();
        }
        auto reason = read_scalar(field, sink);
        if (reason && reason->empty()) sink.error(field.value_at, "reason must not be empty");
        if (reason) metric.reason = *reason;
        return reason && !reason->empty();
      });
}

void load_collectors(const Value& value, TelemetrySettings& out, DiagnosticSink& sink) {
  load_entries(value, "collector", {"address", "ports", "access"}, {"address"}, out.collectors,
               sink, [&](const Field& field, Collector& collector) {
                 if (field.key == "access") return read_access(field, collector.access, sink);
                 if (field.key == "address") {
                   auto addresses = read_cidr_list(field, sink);
                   if (addresses && addresses->empty())
                     sink.error(field.value_at, "address must not be empty");
                   if (addresses) collector.addresses = *addresses;
                   return addresses && !addresses->empty();
                 }
                 auto ports = read_port_list(field, sink);
                 if (ports) collector.ports = *ports;
                 return ports.has_value();
               });
}

// The gate reads exporters on this node only: http://LOOPBACK[:PORT][/PATH].
std::optional<Exporter> parse_local_exporter(const std::string& url) {
  const std::string scheme = "http://";
  if (!url.starts_with(scheme)) return std::nullopt;
  Exporter exporter;
  exporter.url = url;
  const std::string rest = url.substr(scheme.size());
  const size_t slash = rest.find('/');
  const std::string authority = rest.substr(0, slash);
  if (slash != std::string::npos) exporter.path = rest.substr(slash);
  std::string host = authority, port;
  if (host.starts_with('[')) {
    const size_t close = host.find(']');
    if (close == std::string::npos) return std::nullopt;
    port = host.substr(close + 1);
    host = host.substr(1, close - 1);
  } else if (const size_t colon = host.rfind(':'); colon != std::string::npos) {
    port = host.substr(colon);
    host = host.substr(0, colon);
  }
  if (!port.empty()) {
    unsigned number = 0;
    const char* first = port.data() + 1;  // after the ':'
    const char* last = port.data() + port.size();
    const auto [end, status] = std::from_chars(first, last, number);
    if (port.front() != ':' || first == last || end != last || status != std::errc() ||
        number == 0 || number > 65535)
      return std::nullopt;
    exporter.port = static_cast<uint16_t>(number);
  }
  if (host == "localhost") host = "127.0.0.1";
  const auto address = parse_cidr(host);
  const bool loopback = address &&
                        address->length == (address->family == Family::ipv4 ? 32 : 128) &&
                        ((address->family == Family::ipv4 && address->addr[0] == 127) ||
                         (address->family == Family::ipv6 && host == "::1"));
  if (!loopback) return std::nullopt;
  exporter.host = host;
  return exporter;
}

void load_exporters(const Value& value, TelemetrySettings& out, DiagnosticSink& sink) {
  auto items = read_bounded_list(value, sink);
  if (!items) return;
  for (const YAML::Node& item : *items) {
    const Value entry("exporter", item);
    auto url = read_scalar(entry, sink);
    if (!url) continue;
    auto exporter = parse_local_exporter(*url);
    if (!exporter) {
      sink.error(entry.at, "exporter '" + *url +
                               "' must be on this node: http://127.0.0.1:PORT/PATH, "
                               "http://[::1]:PORT/PATH or http://localhost:PORT/PATH");
      continue;
    }
    exporter->where = entry.at;
    out.exporters.push_back(std::move(*exporter));
  }
}

bool overlaps(const Cidr& a, const Cidr& b) {
  return a.family == b.family && (a.contains(b) || b.contains(a));
}

bool overlaps(const std::vector<PortRange>& a, const std::vector<PortRange>& b) {
  if (a.empty() || b.empty()) return true;  // no ports: any port
  for (const PortRange& x : a)
    for (const PortRange& y : b)
      if (x.first <= y.last && y.first <= x.last) return true;
  return false;
}

}  // namespace

void load_telemetry(const Value& telemetry, TelemetrySettings& settings, DiagnosticSink& sink) {
  auto fields = read_fields(telemetry, {"whitelist", "forbidden", "collectors", "exporters"}, sink);
  if (!fields) return;
  settings.present = true;
  NameRegistry whitelisted("whitelisted metric"), forbidden("forbidden metric");
  // The whitelist is read first wherever it stands, so a forbidden entry can name its twin.
  for (const Field& field : *fields)
    if (field.key == "whitelist") load_whitelist(field, settings, whitelisted, sink);
  for (const Field& field : *fields) {
    if (field.key == "forbidden")
      load_forbidden(field, settings, forbidden, whitelisted, sink);
    else if (field.key == "collectors")
      load_collectors(field, settings, sink);
    else if (field.key == "exporters")
      load_exporters(field, settings, sink);
  }
}

void check_collectors_reachable(const Policy& policy, DiagnosticSink& sink) {
  for (const Collector& collector : policy.telemetry.collectors) {
    for (const FlowRule& rule : policy.flows) {
      if (rule.action != Action::deny || !rule.directions.egress) continue;
      if (rule.protocol != Protocol::any && rule.protocol != Protocol::tcp) continue;
      const bool address_hit =
          rule.dst.empty() || std::any_of(rule.dst.begin(), rule.dst.end(), [&](const Cidr& dst) {
            return std::any_of(collector.addresses.begin(), collector.addresses.end(),
                               [&](const Cidr& c) { return overlaps(dst, c); });
          });
      if (address_hit && overlaps(rule.dst_ports, collector.ports)) {
        sink.error(collector.where, "collector overlaps deny rule '" + rule.name + "' (line " +
                                        std::to_string(rule.where.line) +
                                        "): telemetry to it would be dropped");
        break;
      }
    }
  }
}

void check_telemetry_guard_limits(const Policy& policy, DiagnosticSink& sink) {
  const size_t implied = telemetry_guard_rules(policy.telemetry).size();
  if (implied == 0) return;
  const SourceLocation at = policy.telemetry.collectors.front().where;
  if (policy.flows.size() + implied > kMaxFlowRules) {
    sink.error(at, "charter.telemetry implies " + std::to_string(implied) +
                       " guard rules (one per collector, one for the exporters); with the " +
                       std::to_string(policy.flows.size()) +
                       " flow rules that is more than the data plane's " +
                       std::to_string(kMaxFlowRules));
    return;
  }
  check_table_limits(enforced_rules(policy), at, sink);
}

}  // namespace westworld::policy
