#include "westworld/dataplane/names.h"

namespace westworld::dataplane {

const char* stat_name(uint32_t stat) {
  static const char* const names[WW_STAT_MAX] = {
      "seen",        "pass",         "drop",           "non_ip",         "action_allow",
      "action_deny", "action_audit", "default",        "quota_exceeded", "share_exceeded",
      "sources_new", "events_sent",  "events_sampled", "events_lost"};
  return stat < WW_STAT_MAX ? names[stat] : "unknown";
}

const char* drop_reason_name(uint32_t reason) {
  static const char* const names[WW_DROP_MAX] = {
      "truncated", "malformed", "ext_headers", "fragment",  "rule",
      "default",   "quota",     "share",       "no_policy", "quarantine"};
  return reason < WW_DROP_MAX ? names[reason] : "unknown";
}

const char* direction_name(uint32_t dir) { return dir == WW_DIR_EGRESS ? "egress" : "ingress"; }

const char* action_name(uint32_t action) {
  switch (action) {
    case WW_ACTION_ALLOW:
      return "allow";
    case WW_ACTION_DENY:
      return "deny";
    case WW_ACTION_AUDIT:
      return "audit";
    default:
      return "unknown";
  }
}

}  // namespace westworld::dataplane
