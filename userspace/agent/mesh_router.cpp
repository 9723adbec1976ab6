#include "westworld/agent/mesh_router.h"

#include <boost/asio/post.hpp>
#include <future>
#include <stdexcept>

#include "westworld/abi_names.h"
#include "westworld/agent/own_addresses.h"
#include "westworld/capability/mass_change.h"
#include "westworld/mesh/keys.h"
#include "westworld/policy/compiled_policy.h"
#include "westworld/policy/loader.h"

namespace westworld::agent {

static_assert(mesh::kAllRouters == capability::kAllNodes,
              "a bundle for all routers is a change for all nodes");

MeshRouter::MeshRouter(boost::asio::io_context& io, Agent& agent, TrustGate& trust,
                       std::function<control::WatchmanSummary()> summary)
    : io_(io), agent_(agent), trust_(trust), summary_(std::move(summary)) {}

template <typename Result>
Result MeshRouter::on_loop(std::function<Result()> work) {
  std::packaged_task<Result()> task(std::move(work));
  std::future<Result> done = task.get_future();
  boost::asio::post(io_, [&task] { task(); });
  // A stopped loop never runs the task: check rather than wait forever.
  while (done.wait_for(std::chrono::milliseconds(100)) != std::future_status::ready)
    if (io_.stopped()) throw std::runtime_error("the agent is stopping");
  return done.get();
}

BundleDigest compile_bundle_digest(const std::string& policy_text, const std::string& origin) {
  policy::LoadResult loaded = policy::load_policy_text(policy_text, origin);
  if (!loaded.policy) {
    for (const auto& d : loaded.diagnostics)
      if (d.severity == policy::Severity::error) return {std::nullopt, d.format()};
    return {std::nullopt, "the policy does not load"};
  }
  return {policy::compile(*loaded.policy).digest_hex, {}};
}

mesh::RouterRecord MeshRouter::report() {
  return on_loop<mesh::RouterRecord>([this] {
    const control::StatusReply status = agent_.status();
    mesh::RouterRecord record;
    record.applied_digest = status.guard.policy.digest;
    record.generation = status.guard.policy.generation;
    if (!status.guard.interfaces.empty()) record.xdp_mode = status.guard.interfaces[0].xdp_mode;
    std::vector<std::string> guarded;
    for (const auto& iface : status.guard.interfaces) guarded.push_back(iface.name);
    record.links = interface_links(guarded);
    for (uint32_t reason = 0; reason < WW_DROP_MAX; ++reason) {
      const uint64_t packets =
          status.guard.counters.dropped_both_ways(static_cast<ww_drop_reason>(reason));
      if (packets != 0) record.drops[abi::drop_reason_name(reason)] = packets;
    }
    const control::WatchmanSummary watchman = summary_();
    record.quarantines = watchman.quarantined;
    record.alerts = watchman.alerts_total;
    return record;
  });
}

std::optional<std::string> MeshRouter::apply(const mesh::PolicyBundle& bundle,
                                             const std::string& origin) {
  // Compiled off the event loop: the text is the publisher's, of any size the loader takes.
  const BundleDigest compiled = compile_bundle_digest(bundle.request.policy, origin);
  if (!compiled.digest) return "the bundle's policy is rejected: " + compiled.error;
  if (*compiled.digest != bundle.digest)
    return "digest mismatch: the bundle claims " + bundle.digest.substr(0, 16) +
           ", its policy compiles to " + compiled.digest->substr(0, 16);
  return on_loop<std::optional<std::string>>([&]() -> std::optional<std::string> {
    if (agent_.status().guard.policy.digest == *compiled.digest) return std::nullopt;
    control::ApplyRequest request = bundle.request;
    // The publisher's `source` is not trusted: a path there would become the file SIGHUP
    // re-reads.
    request.source = origin;
    auto reply = agent_.apply(request, bundle.target);
    if (!reply) return reply.error().message;
    return std::nullopt;
  });
}

std::string MeshRouter::running_digest() {
  return on_loop<std::string>([this] {
    // With rules lifted by an override, the guard runs a variant: the approved one counts.
    const control::PolicyRecord& record = agent_.policy_record();
    return record.approved_digest.empty() ? record.digest : record.approved_digest;
  });
}

std::string MeshRouter::running_text() {
  return on_loop<std::string>([this] { return agent_.policy_record().policy_text; });
}

std::optional<std::string> MeshRouter::apply_approved(const governance::ApprovedPolicy& policy) {
  return on_loop<std::optional<std::string>>([&]() -> std::optional<std::string> {
    auto reply = agent_.apply_approved(policy);
    if (!reply) return reply.error().message;
    return std::nullopt;
  });
}

void MeshRouter::rollout_event(const std::string& proposal, const std::string& kind,
                               const std::string& detail) {
  on_loop<bool>([&] {
    trust_.record({"gov_rollout", {{"proposal", proposal}, {"step", kind}, {"detail", detail}}});
    return true;
  });
}

}  // namespace westworld::agent
