#include "westworld/agent/charter_violations.h"

namespace westworld::agent {
namespace {

int64_t unix_s(common::UnixSeconds at) { return at.time_since_epoch().count(); }

}  // namespace

control::CharterViolationsReply charter_violations(const charter::ViolationLedger& ledger,
                                                   uint32_t limit, const std::string& gate) {
  control::CharterViolationsReply reply;
  reply.gate = gate;
  reply.ledger = ledger.path().string();
  for (const charter::Violation& v : ledger.violations(limit))
    reply.violations.push_back({v.id, unix_s(v.at), v.report.offender, to_string(v.report.type),
                                v.report.detail, policy::to_string(v.report.severity),
                                to_string(v.step)});
  for (const charter::Standing& s : ledger.standings())
    reply.offenders.push_back({s.offender, s.in_window, s.total, unix_s(s.last),
                               s.blocked_until ? unix_s(*s.blocked_until) : 0, s.quarantined,
                               s.flagged, s.quarantined_by});
  return reply;
}

}  // namespace westworld::agent
