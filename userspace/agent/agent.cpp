#include "westworld/agent/agent.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <cstring>
#include <fstream>
#include <sstream>

#include "westworld/agent/enforced_policy.h"
#include "westworld/agent/policy_verdicts.h"
#include "westworld/capability/bytes.h"
#include "westworld/capability/clock.h"
#include "westworld/common/clock.h"
#include "westworld/dataplane/bpffs.h"
#include "westworld/dataplane/error.h"
#include "westworld/dataplane/policy_writer.h"
#include "westworld/dataplane/status.h"
#include "westworld/policy/loader.h"
#include "westworld/policy/policy_file.h"

namespace westworld::agent {
namespace {

using control::ErrorCode;
using dataplane::Error;

struct Checked {
  std::optional<policy::Policy> policy;
  std::optional<policy::CompiledPolicy> compiled;
  std::vector<std::string> errors;
  std::vector<std::string> warnings;
};

Checked check_and_compile(const std::string& yaml_text, const std::string& source) {
  Checked out;
  policy::LoadResult loaded = policy::load_policy_text(yaml_text, source);
  for (const auto& d : loaded.diagnostics)
    (d.severity == policy::Severity::error ? out.errors : out.warnings).push_back(d.format());
  if (loaded.policy) out.compiled = policy::compile(*loaded.policy);
  out.policy = std::move(loaded.policy);
  return out;
}

std::string join_lines(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

control::PolicyRecord record_of(const EnforcedPolicy& enforced, std::string source,
                                std::string text) {
  control::PolicyRecord record =
      control::make_policy_record(enforced.compiled, std::move(source), std::move(text));
  record.lifted = enforced.lifted;
  if (!enforced.lifted.empty()) record.approved_digest = enforced.approved_digest;
  return record;
}

control::Error failure(ErrorCode code, std::string message, std::vector<std::string> details = {}) {
  return control::Error{code, std::move(message), std::move(details)};
}

dataplane::Guard acquire_guard(const AgentOptions& options, uint64_t max_sources) {
  if (dataplane::Guard::is_pinned(options.pin_root)) {
    dataplane::Guard guard = dataplane::Guard::adopt(options.pin_root);
    spdlog::info("re-adopting the pinned guard under {} (xdp prog {}, tc prog {})",
                 options.pin_root, guard.xdp_program_id(), guard.tc_program_id());
    if (guard.max_sources() != max_sources)
      spdlog::warn(
          "ww_sources holds {} sources, the policy asks for {}; the size changes only "
          "after `wwctl detach` and a fresh start",
          guard.max_sources(), max_sources);
    return guard;
  }
  dataplane::Guard::LoadOptions load;
  load.pin_root = options.pin_root;
  load.max_sources = static_cast<uint32_t>(max_sources);
  dataplane::Guard guard = dataplane::Guard::load(load);
  spdlog::info("loaded the guard: xdp prog {}, tc prog {}, pinned under {}", guard.xdp_program_id(),
               guard.tc_program_id(), options.pin_root);
  return guard;
}

// A refusal, logged once: the running policy stays.
control::Error refused(const std::string& source, ErrorCode code, const std::string& why) {
  spdlog::warn("refused policy {}: {}; the running policy stays", source, why);
  return failure(code, why + "; the running policy stays");
}

}  // namespace

Agent::Agent(AgentOptions options, TrustGate& trust)
    : options_(std::move(options)),
      trust_(trust),
      started_unix_ns_(common::system_clock().unix_ns()) {
  const std::string file_text = policy::read_policy_file(options_.policy_path);
  Checked checked = check_and_compile(file_text, options_.policy_path);
  for (const auto& w : checked.warnings) spdlog::warn("{}", w);
  if (!checked.compiled) throw Error("policy rejected:\n" + join_lines(checked.errors));
  // Every name must resolve before anything is loaded, so a typo leaves no trace.
  for (const auto& iface : options_.ifaces) dataplane::ifindex_of(iface);

  const bool fresh = !dataplane::Guard::is_pinned(options_.pin_root);
  guard_ = acquire_guard(options_, checked.compiled->max_sources);
  try {
    adopt_or_apply(file_text, *checked.policy);
    attach_all();
  } catch (...) {
    // A guard this agent just loaded must not outlive a failed start; an
    // adopted one keeps enforcing what it enforced before.
    if (fresh) {
      for (const auto& a : attachments_) dataplane::detach(guard_, a.ifindex);
      dataplane::Guard::unpin(options_.pin_root);
    }
    throw;
  }
  default_packets_at_apply_ = default_packets_total(guard_);
}

void Agent::adopt_or_apply(const std::string& file_text, const policy::Policy& file_policy) {
  const dataplane::ActivePolicy running = dataplane::read_active_policy(guard_.maps());
  const std::string running_digest = running.valid ? running.digest_hex() : "";
  const EnforcedPolicy file = enforce(file_policy, options_.lifted_rules);
  // The running policy's own record, when it is intact and explains what the guard runs:
  // its approved text and the rules an override lifted from it. Lifting can make the guard
  // run exactly what another file compiles to (an approved policy whose one rule is lifted
  // is the empty policy), so the digest alone never says which policy was approved.
  std::optional<control::PolicyRecord> saved = control::load_policy_record(options_.state_dir);
  std::optional<policy::Policy> saved_policy;
  if (saved && running.valid && saved->digest == running_digest) {
    Checked again = check_and_compile(saved->policy_text, saved->source);
    const std::set<std::string> saved_lifts(saved->lifted.begin(), saved->lifted.end());
    if (again.compiled &&
        enforce(*again.policy, saved_lifts, &*again.compiled).compiled.digest_hex == running_digest)
      saved_policy = std::move(again.policy);
  }
  auto keep_running = [&](const std::string& why) {
    // The saved record gives the watchman its detect settings and status its rule names;
    // without it the file's settings stand in and the rules stay unnamed.
    if (saved_policy) {
      // An override that began or ended while the agent was down changes what is lifted,
      // never the approved text (the maps are rewritten only when that changes anything).
      enforce_approved(*saved_policy, saved->source, saved->policy_text);
    } else {
      spdlog::warn(
          "no intact record of the running policy in {}: detector settings come from "
          "{}, rule names are unknown",
          options_.state_dir, options_.policy_path);
      policy_ = file_policy;
      record_ = control::PolicyRecord{
          running_digest, "unknown (no record of the running policy)", "", {}, {}, {}};
    }
    spdlog::warn(
        "{} differs from the running policy {} (generation {}): the running policy "
        "stays ({}); apply the file with `wwctl policy apply`",
        options_.policy_path, running_digest.substr(0, 12), running.config.generation, why);
    trust_.record_start(running_digest, file.approved_digest, "kept the running policy: " + why);
  };

  const bool file_was_approved =
      !saved_policy || (saved->approved_digest.empty() ? saved->digest : saved->approved_digest) ==
                           file.approved_digest;
  if (running.valid && running_digest == file.compiled.digest_hex && file_was_approved) {
    spdlog::info("the running policy already is {} (generation {}); counters continue",
                 file.approved_digest.substr(0, 12), running.config.generation);
    trust_.record_start(running_digest, file.approved_digest, "the running policy is the file's");
    policy_ = file_policy;
    record_ = record_of(file, options_.policy_path, file_text);
    save_policy_record(options_.state_dir, record_);
    return;
  }
  if (running.valid && options_.frozen)
    return keep_running("policy changes are frozen: " + *options_.frozen);
  if (running.valid && !trust_.open_mode())
    return keep_running("the trust gate is closed and a restart carries no credentials");

  // Nothing runs yet, or an open gate, where any caller may apply anything anyway.
  // Every start is in the log, the first one included (the policy a router starts with is
  // a data-flow decision like any apply), and before the flip, as for an apply.
  trust_.record_start(file.compiled.digest_hex, file.approved_digest,
                      running.valid ? "applied the policy file (open mode), replacing " +
                                          running_digest.substr(0, 16)
                                    : "applied the policy file (nothing ran)");
  const uint32_t generation = enforce_approved(file_policy, options_.policy_path, file_text);
  spdlog::info("applied {} ({} rules) as generation {}", options_.policy_path,
               file.compiled.rules.size(), generation);
}

uint32_t Agent::enforce_approved(const policy::Policy& approved, std::string source,
                                 std::string text) {
  const EnforcedPolicy enforced = enforce(approved, options_.lifted_rules);
  const dataplane::ActivePolicy running = dataplane::read_active_policy(guard_.maps());
  uint32_t generation = running.config.generation;
  if (!running.valid || running.digest_hex() != enforced.compiled.digest_hex)
    generation = dataplane::apply_policy(guard_.maps(), enforced.compiled).generation;
  if (!enforced.lifted.empty())
    spdlog::warn("enforcing {} without {}: lifted by an emergency override",
                 enforced.approved_digest.substr(0, 12), fmt::join(enforced.lifted, ", "));
  policy_ = approved;
  record_ = record_of(enforced, std::move(source), std::move(text));
  save_policy_record(options_.state_dir, record_);
  return generation;
}

std::vector<std::string> Agent::lift_rules(std::set<std::string> names) {
  // Without the running policy's text there is nothing to lift rules from: enforcing the
  // file instead would replace what the mesh approved.
  if (record_.policy_text.empty())
    throw Error("the running policy's text is unknown here (no intact record in " +
                options_.state_dir + "); no rule can be lifted or restored");
  options_.lifted_rules = std::move(names);
  enforce_approved(policy_, record_.source, record_.policy_text);
  return record_.lifted;
}

void Agent::attach_all() {
  for (const auto& iface : options_.ifaces) {
    dataplane::Attachment a = dataplane::attach(guard_, iface, options_.xdp_mode);
    spdlog::info("{} {}: xdp {} (prog {}), tc egress (prog {})",
                 a.adopted ? "re-adopted" : "attached", a.iface, a.xdp_mode, a.xdp_prog_id,
                 a.tc_prog_id);
    attachments_.push_back(a);
  }
}

control::Result<control::ApplyReply> Agent::apply(const control::ApplyRequest& request,
                                                  std::string_view target) {
  const std::string& source = request.source.empty() ? "<control>" : request.source;
  if (auto refusal = observer_ ? observer_->veto_apply(source) : std::nullopt)
    return refused(source, ErrorCode::frozen, *refusal);
  // The credentials that need no policy come before the policy text is even parsed: a
  // caller without a valid token must not be able to make the agent load, compile and
  // analyse a large policy on its only thread.
  const CallerCheck caller = trust_.check_credentials(request.credentials, target);
  if (!caller.ok()) return refused(source, ErrorCode::refused, *caller.refusal);
  const bool confirmed = request.confirm_mass_change.value_or(false);
  if (confirmed && !trust_.open_mode())
    return refused(source, ErrorCode::refused,
                   "--confirm-mass-change is for an open trust gate; behind a closed gate a mass "
                   "change is meant when it carries an approved proposal (governance)");
  // The mass-change rule signs the compiled digest, so it is checked after compiling.
  return compile_and_flip(
      request.policy, source,
      [&](const std::string& digest) { return trust_.authorize_change(caller, digest); },
      confirmed ? "--confirm-mass-change" : "");
}

control::Result<control::ApplyReply> Agent::apply_approved(
    const governance::ApprovedPolicy& approved) {
  // No token and no freeze: the authority is the members' decision, which the follower
  // verified from the signed proposal and votes. The text must still be what they approved.
  const std::string meant_by =
      std::string(approved.rollback ? "rollback of proposal " : "proposal ") +
      approved.proposal.substr(0, 16);
  return compile_and_flip(
      approved.text, approved.source,
      [&](const std::string& digest) {
        if (digest != approved.digest)
          return ApplyDecision::refuse("digest mismatch: the approved policy is " +
                                       approved.digest.substr(0, 16) + ", this text compiles to " +
                                       digest.substr(0, 16));
        ApplyDecision decision = ApplyDecision::allow("proposal:" + approved.proposal);
        decision.signers = approved.voters;
        try {
          for (const governance::SignedVote& v : approved.votes)
            trust_.record({"gov_vote",
                           {{"proposal", approved.proposal},
                            {"voter", v.vote.voter},
                            {"choice", governance::to_string(v.vote.choice)},
                            {"at", capability::format_rfc3339_utc(v.vote.at)},
                            {"signature", capability::to_base64(v.signature)}}});
          audit::AuditRecord record{approved.rollback ? "gov_rollback" : "gov_apply",
                                    {{"digest", digest},
                                     {"proposal", approved.proposal},
                                     {"decision", approved.decision}}};
          if (!approved.rollback) record.fields["voters"] = approved.voters;
          if (!approved.title.empty()) record.fields["title"] = approved.title;
          decision.audit_index = trust_.record(record);
        } catch (const std::exception& e) {
          return ApplyDecision::refuse(e.what());
        }
        return decision;
      },
      meant_by);
}

control::Result<control::ApplyReply> Agent::compile_and_flip(const std::string& text,
                                                             const std::string& source,
                                                             const Authorize& authorize,
                                                             const std::string& meant_by) {
  Checked checked = check_and_compile(text, source);
  if (!checked.compiled) {
    spdlog::error("rejected policy {}: {} error(s); the running policy stays", source,
                  checked.errors.size());
    for (const auto& e : checked.errors) spdlog::error("{}", e);
    return failure(ErrorCode::policy_rejected, "policy rejected; the running policy stays",
                   checked.errors);
  }
  const policy::CompiledPolicy& compiled = *checked.compiled;
  if (compiled.max_sources != guard_.max_sources())
    checked.warnings.push_back("max_sources " + std::to_string(compiled.max_sources) +
                               " takes effect only after `wwctl detach` and a fresh start (now " +
                               std::to_string(guard_.max_sources()) + ")");
  const ApplyDecision trust = authorize(compiled.digest_hex);
  if (!trust.allowed) return refused(source, ErrorCode::refused, trust.reason);
  try {
    const uint64_t defaults = default_packets_total(guard_);
    anomaly::PolicyVerdicts before = running_verdicts(
        guard_, record_,
        defaults >= default_packets_at_apply_ ? defaults - default_packets_at_apply_ : defaults);
    // The members approved `compiled`; rules an override lifts for now stay lifted.
    const EnforcedPolicy enforced = enforce(*checked.policy, options_.lifted_rules, &compiled);
    ww_policy_config live = dataplane::apply_policy(guard_.maps(), enforced.compiled);
    default_packets_at_apply_ = default_packets_total(guard_);
    policy_ = *checked.policy;
    record_ = record_of(enforced, source, text);
    save_policy_record(options_.state_dir, record_);
    if (!enforced.lifted.empty())
      checked.warnings.push_back(fmt::format("lifted by an emergency override until it expires: {}",
                                             fmt::join(enforced.lifted, ", ")));
    if (!source.empty() && source.front() == '/') options_.policy_path = source;
    spdlog::info("applied {} ({} rules) as generation {}, digest {}", source, compiled.rules.size(),
                 live.generation, compiled.digest_hex.substr(0, 12));
    if (observer_)
      observer_->policy_applied(
          {policy_, std::move(before), compiled_verdicts(enforced.compiled), source, meant_by});
    return control::ApplyReply{live.generation, compiled.digest_hex, enforced.compiled.rules.size(),
                               trust.audit_index, checked.warnings};
  } catch (const std::exception& e) {
    spdlog::error("apply of {} failed before the flip; the running policy stays: {}", source,
                  e.what());
    return failure(ErrorCode::failed,
                   std::string("apply failed; the running policy stays: ") + e.what());
  }
}

control::Result<control::ApplyReply> Agent::reload() {
  try {
    control::ApplyRequest request;
    request.policy = policy::read_policy_file(options_.policy_path);
    request.source = options_.policy_path;
    return apply(request);
  } catch (const std::exception& e) {
    spdlog::error("reload: {}; the running policy stays", e.what());
    return failure(ErrorCode::failed, e.what());
  }
}

control::StatusReply Agent::status() const {
  control::StatusReply status;
  status.guard = dataplane::read_guard_status(guard_, record_.labels());
  status.agent = {true, options_.policy_path, record_.lifted, started_unix_ns_};
  return status;
}

control::Result<control::DetachReply> Agent::detach(const std::optional<std::string>& iface) {
  control::DetachReply reply;
  for (auto it = attachments_.begin(); it != attachments_.end();) {
    if (iface && it->iface != *iface) {
      ++it;
      continue;
    }
    dataplane::detach(guard_, it->ifindex);
    spdlog::info("detached from {}", it->iface);
    reply.detached.push_back(it->iface);
    it = attachments_.erase(it);
  }
  if (iface && reply.detached.empty())
    return failure(ErrorCode::not_found, "the agent is not attached to " + *iface);
  if (attachments_.empty()) {
    dataplane::Guard::unpin(options_.pin_root);
    spdlog::info("no interface left: removed the pins under {}; the agent stops",
                 options_.pin_root);
  }
  reply.agent_stopping = attachments_.empty();
  return reply;
}

}  // namespace westworld::agent
