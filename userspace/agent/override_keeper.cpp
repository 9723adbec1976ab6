#include "westworld/agent/override_keeper.h"

#include <fmt/format.h>
#include <prometheus/family.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "westworld/capability/clock.h"
#include "westworld/control/override_message.h"

namespace westworld::agent {
namespace {

using charter::OverrideRecord;
using control::ErrorCode;

std::string rfc3339(common::UnixSeconds at) { return capability::format_rfc3339_utc(at); }

std::string joined(const std::vector<std::string>& names) {
  return fmt::format("{}", fmt::join(names, ", "));
}

control::Error refusal(ErrorCode code, std::string message) {
  spdlog::warn("refused an emergency override: {}", message);
  return control::Error{code, "override refused: " + std::move(message), {}};
}

}  // namespace

charter::OverrideVerdict override_allowed(const charter::EmergencyOverride& o,
                                          std::span<const charter::OperatorSignature> signatures,
                                          const std::string& decision,
                                          const charter::OperatorQuorum& operators,
                                          MeshDecisions& decisions, const std::string& node_id,
                                          common::UnixSeconds now) {
  if (decision.empty()) return charter::check_override(o, signatures, operators, node_id, now);
  charter::OverrideVerdict verdict = charter::check_override_terms(o, node_id, now);
  if (!verdict.ok()) return verdict;
  // The charter asks for an emergency decision (the 67% quorum) about exactly this override.
  try {
    const governance::Decision d = decisions.allowing(
        decision,
        {governance::ProposalAction::charter_override, charter::override_digest(o), node_id, true});
    verdict.signers = d.yes_voters;
    verdict.detail = "proposal " + decision.substr(0, 16) + " passed: " + describe(d.tally);
  } catch (const std::exception& e) {
    return {charter::OverrideRefusal::decision_refused, e.what(), {}};
  }
  return verdict;
}

namespace {

// Whether the stored override still stands here: its signatures meet this node's quorum now,
// or its decision still verifies. The store's own check only proves the row was not edited;
// a row written by someone without the operators' keys or the members' votes fails here.
bool still_allowed(const OverrideRecord& r, const charter::OperatorQuorum& operators,
                   MeshDecisions& decisions, const std::string& node_id, common::UnixSeconds now) {
  const charter::OverrideVerdict verdict =
      override_allowed(r.override_, r.signatures, r.decision, operators, decisions, node_id, now);
  if (!verdict.ok() && verdict.refusal != charter::OverrideRefusal::expired)
    spdlog::error("override {} lifts nothing here: {} ({})", r.id(), to_string(verdict.refusal),
                  verdict.detail);
  return verdict.ok();
}

}  // namespace

charter::OperatorQuorum load_operator_quorum(const std::filesystem::path& path,
                                             std::size_t quorum) {
  charter::OperatorQuorum out;
  if (!path.empty())
    for (const Peer& peer : load_peers_file(path)) out.operators.push_back({peer.id, peer.key});
  if (out.operators.empty()) {
    if (quorum != 0)
      throw std::runtime_error("--override-quorum needs --operators naming the operators");
    return out;  // quorum 0: no override can pass
  }
  out.quorum = quorum != 0 ? quorum : charter::default_override_quorum(out.operators.size());
  if (out.quorum < 2)
    throw std::runtime_error(
        "--override-quorum must be at least 2: one operator alone never "
        "lifts a charter rule");
  if (out.quorum > out.operators.size())
    throw std::runtime_error(path.string() + " names " + std::to_string(out.operators.size()) +
                             " operator(s), fewer than the override quorum " +
                             std::to_string(out.quorum));
  return out;
}

Lifts lifts_at(const charter::OverrideStore& store, const charter::OperatorQuorum& operators,
               MeshDecisions& decisions, const std::string& node_id, common::UnixSeconds now) {
  Lifts lifts;
  for (const OverrideRecord& r : store.all()) {
    if (!r.active(now) || !still_allowed(r, operators, decisions, node_id, now)) continue;
    lifts.rules.insert(r.override_.rules.begin(), r.override_.rules.end());
    ++lifts.overrides;
  }
  return lifts;
}

OverrideKeeper::OverrideKeeper(boost::asio::io_context& io, Agent& agent, TrustGate& audit,
                               charter::OverrideStore& store, charter::OperatorQuorum operators,
                               MeshDecisions& decisions, std::string node_id,
                               prometheus::Registry& registry, const common::Clock& clock)
    : timer_(io),
      agent_(agent),
      audit_(audit),
      store_(store),
      operators_(std::move(operators)),
      decisions_(decisions),
      node_id_(std::move(node_id)),
      clock_(clock),
      active_(prometheus::BuildGauge()
                  .Name("westworld_charter_emergency_override_active")
                  .Help("Emergency overrides lifting charter rules on this node now")
                  .Register(registry)
                  .Add({})) {
  expire_due();
}

control::Result<control::CharterOverrideReply> OverrideKeeper::submit(
    const control::CharterOverrideRequest& request) {
  control::OverrideMessage message;
  try {
    message = control::from_message(request);
  } catch (const std::invalid_argument& e) {
    return refusal(ErrorCode::bad_request, e.what());
  }
  const charter::EmergencyOverride& o = message.override_;
  const common::UnixSeconds now = clock_.now();
  const charter::OverrideVerdict verdict = override_allowed(o, message.signatures, request.decision,
                                                            operators_, decisions_, node_id_, now);
  if (!verdict.ok())
    return refusal(ErrorCode::refused,
                   std::string(to_string(verdict.refusal)) + ": " + verdict.detail);
  for (const std::string& rule : o.rules) {
    const auto& flows = agent_.policy().flows;
    if (std::none_of(flows.begin(), flows.end(),
                     [&](const policy::FlowRule& f) { return f.name == rule; }))
      return refusal(ErrorCode::refused,
                     "unknown_rule: '" + rule + "' is not a flow rule of the running policy");
  }
  if (agent_.policy_record().policy_text.empty())
    return refusal(ErrorCode::failed,
                   "the running policy's text is unknown here (no intact record in the state "
                   "directory), so no rule of it can be lifted");
  const std::string id = override_id(o);
  for (const OverrideRecord& r : store_.all())
    if (r.id() == id)
      return refusal(ErrorCode::refused,
                     "replayed: override " + id + " was accepted at " + rfc3339(r.accepted_at));

  // Public before it takes effect: an override that cannot be audited is never applied.
  control::CharterOverrideReply reply;
  try {
    reply.audit_index = audit_.record(
        {"emergency_override",
         {{"who", joined(verdict.signers)},
          {"what", "lift " + joined(o.rules)},
          {"why", o.reason},
          {"affected_nodes", o.affected_nodes},
          {"expiry", rfc3339(o.expires_at)},
          {"override", id},
          {"decision", request.decision.empty() ? std::to_string(verdict.signers.size()) + " of " +
                                                      std::to_string(operators_.operators.size()) +
                                                      " operators signed (quorum " +
                                                      std::to_string(operators_.quorum) + ")"
                                                : verdict.detail}}});
  } catch (const std::exception& e) {
    return refusal(ErrorCode::failed, std::string("the audit log refused the entry: ") + e.what());
  }
  store_.add({o, message.signatures, verdict.signers, request.decision, now, std::nullopt});
  spdlog::warn("EMERGENCY OVERRIDE {}: {} lifted until {} by {}: {}", id.substr(0, 12),
               joined(o.rules), rfc3339(o.expires_at), joined(verdict.signers), o.reason);
  try {
    enforce_active();
  } catch (const std::exception& e) {
    return refusal(ErrorCode::failed, std::string("accepted, but the guard still enforces the "
                                                  "rules: ") +
                                          e.what());
  }
  arm();
  reply.id = id;
  reply.lifted = agent_.policy_record().lifted;
  reply.signers = verdict.signers;
  reply.expires_at = rfc3339(o.expires_at);
  return reply;
}

control::Result<control::CharterOverridesReply> OverrideKeeper::list(uint32_t limit) {
  expire_due();
  control::CharterOverridesReply reply;
  const common::UnixSeconds now = clock_.now();
  for (const OverrideRecord& r : store_.all(limit)) {
    const charter::EmergencyOverride& o = r.override_;
    reply.overrides.push_back({r.id(), o.rules, o.reason, o.affected_nodes, r.signers,
                               rfc3339(o.issued_at), rfc3339(o.expires_at), rfc3339(r.accepted_at),
                               r.ended_at ? std::optional(rfc3339(*r.ended_at)) : std::nullopt,
                               r.active(now)});
  }
  reply.lifted = agent_.policy_record().lifted;
  reply.operators = operators_.operators.size();
  reply.quorum = operators_.quorum;
  return reply;
}

void OverrideKeeper::expire_due() {
  const std::vector<OverrideRecord> ended = store_.end_due(clock_.now());
  for (const OverrideRecord& r : ended) {
    spdlog::warn("emergency override {} expired at {}: {} enforced again", r.id().substr(0, 12),
                 rfc3339(r.override_.expires_at), joined(r.override_.rules));
    try {
      audit_.record({"emergency_override_end",
                     {{"override", r.id()},
                      {"what", "restore " + joined(r.override_.rules)},
                      {"reason", "expired at " + rfc3339(r.override_.expires_at)}}});
    } catch (const std::exception& e) {
      // The rules return whether or not the log takes the entry: expiry is never held up.
      spdlog::error("audit log: the end of override {} is not logged: {}", r.id(), e.what());
    }
  }
  // Called from a timer: a failure is logged, never thrown out of the event loop.
  try {
    enforce_active();
  } catch (const std::exception& e) {
    spdlog::error("emergency overrides: the guard could not be brought in line: {}", e.what());
  }
  arm();
}

void OverrideKeeper::enforce_active() {
  const Lifts lifts = lifts_at(store_, operators_, decisions_, node_id_, clock_.now());
  if (lifts.rules != agent_.lifted_rules()) agent_.lift_rules(lifts.rules);
  active_.Set(static_cast<double>(lifts.overrides));
}

void OverrideKeeper::arm() {
  timer_.cancel();
  std::optional<common::UnixSeconds> next;
  const common::UnixSeconds now = clock_.now();
  for (const OverrideRecord& r : store_.all())
    if (r.active(now) && (!next || r.override_.expires_at < *next)) next = r.override_.expires_at;
  if (!next) return;
  // Measured against the wall clock's fraction of a second, so the timer does not wake
  // just before the expiry second and spin.
  const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(*next - clock_.wall());
  timer_.expires_after(std::max(wait, std::chrono::milliseconds(0)));
  timer_.async_wait([this](const boost::system::error_code& error) {
    if (!error) expire_due();
  });
}

}  // namespace westworld::agent
