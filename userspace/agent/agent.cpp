#include "agent.h"

#include <spdlog/spdlog.h>

#include <cstring>
#include <fstream>
#include <sstream>

#include "policy_verdicts.h"
#include "westworld/control/policy_record.h"
#include "westworld/dataplane/bpffs.h"
#include "westworld/dataplane/error.h"
#include "westworld/dataplane/policy_writer.h"
#include "westworld/dataplane/status.h"
#include "westworld/policy/compiled_policy.h"
#include "westworld/policy/loader.h"
#include "westworld/policy/policy_file.h"

namespace westworld::agent {
namespace {

using control::make_policy_record;
using control::save_policy_record;

using dataplane::Error;
using nlohmann::json;

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

std::string digest_hex(const ww_policy_config& config) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (uint8_t b : config.digest) {
    out += digits[b >> 4];
    out += digits[b & 15];
  }
  return out;
}

dataplane::Guard acquire_guard(const AgentOptions& options, uint64_t max_sources) {
  if (dataplane::Guard::is_pinned(options.pin_root)) {
    // A guard from before map ABI 2 cannot hold quarantines; say so instead of
    // failing on the first missing pin.
    if (!dataplane::pin_exists(options.pin_root + "/ww_quarantine"))
      throw Error("the guard pinned under " + options.pin_root + " predates map ABI " +
                  std::to_string(WW_ABI_VERSION) +
                  " (it has no ww_quarantine): run `wwctl detach`, then start the agent again");
    dataplane::Guard guard = dataplane::Guard::adopt(options.pin_root);
    spdlog::info("re-adopting the pinned guard under {} (xdp prog {}, tc prog {})",
                 options.pin_root, guard.xdp_program_id(), guard.tc_program_id());
    if (guard.max_sources() != max_sources)
      spdlog::warn("ww_sources holds {} sources, the policy asks for {}; the size changes only "
                   "after `wwctl detach` and a fresh start",
                   guard.max_sources(), max_sources);
    return guard;
  }
  dataplane::Guard::LoadOptions load;
  load.pin_root = options.pin_root;
  load.max_sources = static_cast<uint32_t>(max_sources);
  dataplane::Guard guard = dataplane::Guard::load(load);
  spdlog::info("loaded the guard: xdp prog {}, tc prog {}, pinned under {}",
               guard.xdp_program_id(), guard.tc_program_id(), options.pin_root);
  return guard;
}

}  // namespace

Agent::Agent(AgentOptions options) : options_(std::move(options)) {
  Checked checked =
      check_and_compile(policy::read_policy_file(options_.policy_path), options_.policy_path);
  for (const auto& w : checked.warnings) spdlog::warn("{}", w);
  if (!checked.compiled) throw Error("policy rejected:\n" + join_lines(checked.errors));
  const policy::CompiledPolicy& compiled = *checked.compiled;
  policy_ = *checked.policy;
  // Every name must resolve before anything is loaded, so a typo leaves no trace.
  for (const auto& iface : options_.ifaces) dataplane::ifindex_of(iface);

  const bool fresh = !dataplane::Guard::is_pinned(options_.pin_root);
  guard_ = acquire_guard(options_, compiled.max_sources);
  bool applied = true;
  try {
    applied = enforce(compiled);
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
  if (!applied) {
    // Frozen: the running policy stays, and so does its record.
    auto saved = control::load_policy_record(options_.state_dir);
    record_ = saved ? *saved : json{{"source", "unknown (frozen at start)"}};
    return;
  }
  record_ = make_policy_record(compiled, options_.policy_path);
  save_policy_record(options_.state_dir, record_);
}

bool Agent::enforce(const policy::CompiledPolicy& compiled) {
  const dataplane::ActivePolicy running = dataplane::read_active_policy(guard_.maps());
  bool applied = true;
  if (running.valid && digest_hex(running.config) == compiled.digest_hex) {
    spdlog::info("the running policy already is {} (generation {}); counters continue",
                 compiled.digest_hex.substr(0, 12), running.config.generation);
  } else if (running.valid && options_.frozen) {
    spdlog::warn("{} differs from the running policy (generation {}), but policy changes are "
                 "frozen ({}): the running policy stays; `wwctl unfreeze`, then SIGHUP, applies "
                 "the file",
                 options_.policy_path, running.config.generation, *options_.frozen);
    applied = false;
  } else {
    ww_policy_config live = dataplane::apply_policy(guard_.maps(), compiled);
    spdlog::info("applied {} ({} rules) as generation {}", options_.policy_path,
                 compiled.rules.size(), live.generation);
  }

  for (const auto& iface : options_.ifaces) {
    dataplane::Attachment a = dataplane::attach(guard_, iface, options_.xdp_mode);
    spdlog::info("{} {}: xdp {} (prog {}), tc egress (prog {})",
                 a.adopted ? "re-adopted" : "attached", a.iface, a.xdp_mode, a.xdp_prog_id,
                 a.tc_prog_id);
    attachments_.push_back(a);
  }
  return applied;
}

json Agent::apply(const std::string& yaml_text, const std::string& source, const json& request) {
  if (auto refusal = observer_ ? observer_->veto_apply(source) : std::nullopt) {
    spdlog::warn("refused policy {}: {}; the running policy stays", source, *refusal);
    return {{"ok", false}, {"error", *refusal + "; the running policy stays"}, {"frozen", true}};
  }
  Checked checked = check_and_compile(yaml_text, source);
  if (!checked.compiled) {
    spdlog::error("rejected policy {}: {} error(s); the running policy stays", source,
                  checked.errors.size());
    for (const auto& e : checked.errors) spdlog::error("{}", e);
    return {{"ok", false},
            {"error", "policy rejected; the running policy stays"},
            {"diagnostics", checked.errors},
            {"warnings", checked.warnings}};
  }
  const policy::CompiledPolicy& compiled = *checked.compiled;
  if (compiled.max_sources != guard_.max_sources())
    checked.warnings.push_back("max_sources " + std::to_string(compiled.max_sources) +
                               " takes effect only after `wwctl detach` and a fresh start (now " +
                               std::to_string(guard_.max_sources()) + ")");
  const ApplyDecision trust =
      trust_ ? trust_->authorize_apply(request, compiled.digest_hex) : ApplyDecision::allow({});
  if (!trust.allowed) {
    spdlog::warn("refused policy {}: {}; the running policy stays", source, trust.reason);
    return {{"ok", false}, {"error", trust.reason + "; the running policy stays"}};
  }
  try {
    const uint64_t defaults = default_packets_total(guard_);
    anomaly::PolicyVerdicts before = running_verdicts(
        guard_, record_,
        defaults >= default_packets_at_apply_ ? defaults - default_packets_at_apply_ : defaults);
    ww_policy_config live = dataplane::apply_policy(guard_.maps(), compiled);
    default_packets_at_apply_ = default_packets_total(guard_);
    policy_ = *checked.policy;
    record_ = make_policy_record(compiled, source);
    save_policy_record(options_.state_dir, record_);
    if (!source.empty() && source.front() == '/') options_.policy_path = source;
    spdlog::info("applied {} ({} rules) as generation {}, digest {}", source,
                 compiled.rules.size(), live.generation, compiled.digest_hex.substr(0, 12));
    if (observer_)
      observer_->policy_applied({policy_, std::move(before), compiled_verdicts(compiled), source});
    return {{"ok", true},
            {"generation", live.generation},
            {"digest", compiled.digest_hex},
            {"rules", compiled.rules.size()},
            {"audit_index", trust.audit_index ? json(*trust.audit_index) : json()},
            {"warnings", checked.warnings}};
  } catch (const std::exception& e) {
    spdlog::error("apply of {} failed before the flip; the running policy stays: {}", source,
                  e.what());
    return {{"ok", false}, {"error", std::string("apply failed; the running policy stays: ") + e.what()}};
  }
}

json Agent::reload() {
  try {
    return apply(policy::read_policy_file(options_.policy_path), options_.policy_path);
  } catch (const std::exception& e) {
    spdlog::error("reload: {}; the running policy stays", e.what());
    return {{"ok", false}, {"error", e.what()}};
  }
}

json Agent::status() const {
  json status = dataplane::read_status(guard_, &record_);
  status["agent"] = {{"running", true}, {"policy_path", options_.policy_path}};
  return status;
}

json Agent::detach(const std::optional<std::string>& iface) {
  std::vector<std::string> done;
  for (auto it = attachments_.begin(); it != attachments_.end();) {
    if (iface && it->iface != *iface) {
      ++it;
      continue;
    }
    dataplane::detach(guard_, it->ifindex);
    spdlog::info("detached from {}", it->iface);
    done.push_back(it->iface);
    it = attachments_.erase(it);
  }
  if (iface && done.empty())
    return {{"ok", false}, {"error", "the agent is not attached to " + *iface}};
  if (attachments_.empty()) {
    dataplane::Guard::unpin(options_.pin_root);
    spdlog::info("no interface left: removed the pins under {}; the agent stops", options_.pin_root);
  }
  return {{"ok", true}, {"detached", done}, {"agent_stopping", attachments_.empty()}};
}

}  // namespace westworld::agent
