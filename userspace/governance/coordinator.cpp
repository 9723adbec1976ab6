#include "westworld/governance/coordinator.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "westworld/governance/prometheus_query.h"
#include "westworld/mesh/router_record.h"

namespace westworld::governance {

using namespace std::chrono_literals;
using Steady = std::chrono::steady_clock;

Coordinator::Coordinator(mesh::KvStore& store, const mesh::MeshKeys& keys,
                         capability::Digest genesis, CoordinatorOptions options,
                         const common::Clock& clock, RolloutJournal* journal)
    : store_(store),
      keys_(keys),
      gov_(store, keys),
      genesis_digest_(genesis),
      options_(std::move(options)),
      clock_(clock),
      journal_(journal) {
  if (options_.prometheus_url.empty()) return;
  // A pass that waits on Prometheus must not outlast the lease, kept alive between passes.
  const auto timeout = std::min<std::chrono::milliseconds>(3s, options_.lease_ttl / 4);
  metrics_ =
      std::make_unique<PrometheusQuery>(parse_prometheus_url(options_.prometheus_url), timeout);
}

Coordinator::~Coordinator() { stop(); }

void Coordinator::start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { run(); });
}

void Coordinator::stop() {
  {
    std::lock_guard lock(mutex_);
    if (!thread_.joinable()) return;
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
  if (lease_ != 0) {
    try {
      store_.revoke_lease(lease_);  // resign: the next router need not wait for the TTL
    } catch (const mesh::KvError&) {
    }
  }
  leading_ = false;
}

void Coordinator::run() {
  auto next_keepalive = Steady::now();
  auto next_tick = Steady::now();
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      const auto until = std::min(next_keepalive, next_tick);
      if (wake_.wait_until(lock, until, [this] { return stopping_; })) return;
    }
    try {
      if (Steady::now() >= next_keepalive && lease_ != 0) {
        store_.keep_alive(lease_);
        next_keepalive = Steady::now() + options_.lease_ttl / 3;
      }
      if (Steady::now() >= next_tick) {
        tick();
        next_tick = Steady::now() + sample_interval_;
        next_keepalive = std::min(next_keepalive, Steady::now() + options_.lease_ttl / 3);
      }
    } catch (const mesh::KvError& e) {
      if (e.kind() == mesh::KvError::Kind::lease_not_found) lease_ = 0;
      if (leading_.exchange(false))
        spdlog::warn("governance: no longer the rollout coordinator ({})", e.what());
      next_tick = next_keepalive = Steady::now() + 1s;
    } catch (const std::exception& e) {
      spdlog::warn("governance: coordinator pass failed: {}", e.what());
      next_tick = next_keepalive = Steady::now() + 1s;
    }
  }
}

bool Coordinator::campaign() {
  if (lease_ == 0) lease_ = store_.grant_lease(options_.lease_ttl).id;
  const std::string key = keys_.coordinator();
  const mesh::TxnReply reply =
      store_.txn({{mesh::Compare::absent(key)}, {mesh::Put{key, options_.node_id, lease_}}});
  if (reply.succeeded) {
    elected_at_ = reply.revision;
    spdlog::info("governance: this router is now the rollout coordinator");
    return true;
  }
  // Still ours after a restart of this loop (same lease)?
  const mesh::RangeReply held = store_.get(key);
  if (!held.kvs.empty() && held.kvs.front().lease == lease_) {
    elected_at_ = held.kvs.front().create_revision;
    return true;
  }
  return false;
}

void Coordinator::tick() {
  if (!leading_) leading_ = campaign();
  if (!leading_) return;
  Genesis genesis;
  try {
    genesis = trusted_genesis(gov_, genesis_digest_);
  } catch (const DecisionError& e) {
    if (e.what() != idle_reason_) spdlog::warn("governance: coordinating nothing: {}", e.what());
    idle_reason_ = e.what();
    return;
  }
  idle_reason_.clear();
  sample_interval_ = genesis.settings.sample_interval;
  start_rollouts(genesis);
  step_rollouts(genesis);
}

bool Coordinator::write(const std::string& key, const RolloutState& state,
                        mesh::Revision revision) {
  const mesh::Compare unchanged =
      revision == 0 ? mesh::Compare::absent(key) : mesh::Compare::unchanged_since(key, revision);
  const mesh::Compare still_leading{keys_.coordinator(), mesh::Compare::Field::create_revision,
                                    elected_at_};
  const bool written =
      store_.txn({{unchanged, still_leading}, {mesh::Put{key, encode_rollout(state)}}}).succeeded;
  if (!written && store_.get(keys_.coordinator()).kvs.empty()) leading_ = false;
  return written;
}

void Coordinator::journal(const std::string& proposal, const std::string& kind,
                          const std::string& detail) {
  spdlog::info("governance: proposal {}: {}: {}", proposal.substr(0, 16), kind, detail);
  if (!journal_) return;
  try {
    journal_->rollout_event(proposal, kind, detail);
  } catch (const std::exception& e) {
    spdlog::error("governance: cannot journal a rollout step: {}", e.what());
  }
}

void Coordinator::start_rollouts(const Genesis& genesis) {
  std::set<std::string> started;
  for (const mesh::KeyValue& kv : store_.list(keys_.rollouts()).kvs)
    started.insert(kv.key.substr(keys_.rollouts().size()));
  const common::UnixSeconds now = clock_.now();
  std::optional<MemberHistory> history;  // read once a pass, when some proposal needs it
  for (const auto& [id, record] : gov_.proposals()) {
    if (started.contains(id) || settled_.contains(id)) continue;
    const auto* proposal = std::get_if<ProposalRecord>(&record);
    if (!proposal) continue;
    if (proposal->proposal.proposal.action != ProposalAction::deploy_policy) {
      settled_.insert(id);  // its readers act on it; there is nothing to roll out
      continue;
    }
    Decision decision;
    try {
      if (!history) history = member_history(gov_, genesis, now);
      decision = decide(gov_, genesis, *history, id, now);
    } catch (const DecisionError& e) {
      settled_.insert(id);  // inadmissible now means inadmissible forever
      spdlog::warn("governance: not rolling out {}: {}", id.substr(0, 16), e.what());
      continue;
    }
    if (!decision.tally.passed) {
      if (decision.tally.decided) settled_.insert(id);
      continue;
    }
    begin_rollout(id, decision.record.proposal.proposal, now, 0, describe(decision.tally));
  }
}

std::vector<std::string> Coordinator::rollout_nodes(const Proposal& proposal) {
  if (std::find(proposal.targets.begin(), proposal.targets.end(), kAllTargets) ==
      proposal.targets.end())
    return proposal.targets;
  std::vector<std::string> nodes;  // "all": the routers registered now
  for (const mesh::KeyValue& kv : store_.list(keys_.routers()).kvs)
    nodes.push_back(kv.key.substr(keys_.routers().size()));
  return nodes;
}

void Coordinator::begin_rollout(const std::string& id, const Proposal& proposal,
                                common::UnixSeconds now, mesh::Revision revision,
                                const std::string& tally) {
  const RolloutState state =
      start_rollout(id, proposal, rollout_nodes(proposal), now, options_.node_id);
  // A rollout still waiting for routers is stored once and not rewritten until it can start.
  if (revision != 0 && state.state != RolloutPhase::running) return;
  if (!write(keys_.rollout(id), state, revision)) return;
  if (!tally.empty()) journal(id, "passed", tally);
  if (state.state == RolloutPhase::running)
    journal(id, "wave_start",
            "wave 1: " + std::to_string(state.waves.front().nodes.size()) + " router(s)");
}

std::map<std::string, RouterHealth> Coordinator::read_routers(const std::string& rollout_key,
                                                              std::int64_t since) {
  std::map<std::string, RouterHealth> out;
  for (const mesh::KeyValue& kv : store_.list(keys_.routers()).kvs) {
    mesh::RouterRecord record;
    try {
      record = mesh::decode_router_record(kv.value);
    } catch (const std::exception&) {
      continue;  // no data from it, which the gates count
    }
    if (kv.key != keys_.router(record.id)) continue;
    RouterHealth health;
    health.sample = {record.heartbeat, record.started, record.drops, record.quarantines,
                     record.alerts};
    health.applied_digest = record.applied_digest;
    health.report_interval_s = static_cast<std::int64_t>((record.report_interval_ms + 999) / 1000);
    if (record.last_refusal && record.last_refusal->key == rollout_key &&
        record.last_refusal->at >= since)
      health.refused = record.last_refusal->reason;
    out[record.id] = std::move(health);
  }
  return out;
}

void Coordinator::step_rollouts(const Genesis& genesis) {
  const common::UnixSeconds now = clock_.now();
  std::optional<MemberHistory> history;  // read once a pass, when some rollout needs it
  for (const mesh::KeyValue& kv : store_.list(keys_.rollouts()).kvs) {
    const std::string id = kv.key.substr(keys_.rollouts().size());
    RolloutState state;
    try {
      state = decode_rollout(kv.value);
    } catch (const RecordError& e) {
      spdlog::warn("governance: rollout {} is damaged: {}", id.substr(0, 16), e.what());
      continue;
    }
    if (state.state != RolloutPhase::running && state.state != RolloutPhase::waiting) continue;
    Decision decision;
    try {
      if (!history) history = member_history(gov_, genesis, now);
      decision = decide(gov_, genesis, *history, id, now);
    } catch (const DecisionError& e) {
      spdlog::warn("governance: rollout {} names no admissible proposal: {}", id.substr(0, 16),
                   e.what());
      continue;
    }
    const Proposal& proposal = decision.record.proposal.proposal;
    if (state.state == RolloutPhase::waiting) {
      begin_rollout(id, proposal, now, kv.mod_revision, "");
      continue;
    }
    warn_without_prometheus(id, proposal, genesis.settings.nodata_limit);
    const std::vector<StepEvent> events =
        step_rollout(state, proposal, genesis.settings, read_routers(kv.key, state.created),
                     metrics_.get(), now);
    state.coordinator = options_.node_id;
    if (!write(kv.key, state, kv.mod_revision)) continue;  // moved meanwhile: next pass
    for (const StepEvent& event : events) journal(id, event.kind, event.detail);
  }
}

void Coordinator::warn_without_prometheus(const std::string& id, const Proposal& proposal,
                                          std::uint32_t nodata_limit) {
  if (metrics_ || said_no_prometheus_) return;
  for (const std::string& text : proposal.gates) {
    try {
      if (!parse_gate(text).is_query()) continue;
    } catch (const std::invalid_argument&) {
      continue;  // step_rollout fails the rollout on it
    }
    spdlog::warn(
        "governance: proposal {} has the gate '{}' but this coordinator has no Prometheus "
        "(--gov-prometheus): its samples are no data, and {} of those in a row abort it",
        id.substr(0, 16), text, nodata_limit);
    said_no_prometheus_ = true;
    return;
  }
}

}  // namespace westworld::governance
