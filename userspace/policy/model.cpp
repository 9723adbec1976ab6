#include "westworld/policy/model.h"

#include "westworld/abi_names.h"

namespace westworld::policy {

uint8_t ip_protocol(Protocol p) {
  switch (p) {
    case Protocol::tcp:
      return 6;
    case Protocol::udp:
      return 17;
    case Protocol::icmp:
      return 1;
    case Protocol::icmpv6:
      return 58;
    case Protocol::any:
      break;
  }
  return 0;
}

const char* to_string(Action a) {
  switch (a) {
    case Action::deny:
      return "deny";
    case Action::audit:
      return "audit";
    case Action::allow:
      break;
  }
  return "allow";
}

const char* to_string(Protocol p) {
  switch (p) {
    case Protocol::tcp:
      return "tcp";
    case Protocol::udp:
      return "udp";
    case Protocol::icmp:
      return "icmp";
    case Protocol::icmpv6:
      return "icmpv6";
    case Protocol::any:
      break;
  }
  return "any";
}

const char* to_string(FragmentMode m) { return m == FragmentMode::l3_only ? "l3-only" : "deny"; }

const char* to_string(OnExceed e) { return e == OnExceed::count ? "count" : "drop"; }

// The data plane's table names the modes; the values are the same by construction.
static_assert(static_cast<uint8_t>(ReversePath::off) == WW_REVERSE_PATH_OFF &&
              static_cast<uint8_t>(ReversePath::loose) == WW_REVERSE_PATH_LOOSE &&
              static_cast<uint8_t>(ReversePath::strict) == WW_REVERSE_PATH_STRICT);

const char* to_string(ReversePath mode) {
  return abi::reverse_path_mode_name(static_cast<uint32_t>(mode));
}

const char* to_string(MetricAccess access) {
  return access == MetricAccess::operator_only ? "operator" : "public";
}

const char* to_string(ViolationSeverity severity) {
  switch (severity) {
    case ViolationSeverity::low:
      return "low";
    case ViolationSeverity::medium:
      return "medium";
    case ViolationSeverity::high:
      return "high";
    case ViolationSeverity::critical:
      return "critical";
  }
  return "?";
}

// The data plane's table names the origins; the values are the same by construction.
static_assert(static_cast<uint8_t>(RuleOrigin::flow) == WW_RULE_FLOW &&
              static_cast<uint8_t>(RuleOrigin::telemetry_scrape) == WW_RULE_TELEMETRY_SCRAPE &&
              static_cast<uint8_t>(RuleOrigin::telemetry_bypass) == WW_RULE_TELEMETRY_BYPASS);

const char* to_string(RuleOrigin origin) {
  return abi::rule_origin_name(static_cast<uint32_t>(origin));
}

const char* to_string(Response r) {
  switch (r) {
    case Response::quarantine:
      return "quarantine";
    case Response::freeze:
      return "freeze";
    case Response::none:
      break;
  }
  return "none";
}

const char* to_string(QuarantineAction a) { return a == QuarantineAction::drop ? "drop" : "limit"; }

}  // namespace westworld::policy
