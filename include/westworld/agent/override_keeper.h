// Emergency overrides on this node (charter/emergency_override.h). The keeper checks each
// submitted override against this node's operators and quorum, writes it to the audit log
// and the override store before anything is lifted, has the agent enforce the policy
// without its rules, and puts them back at its expiry: a timer on the wall clock wakes it
// then, and every look at the store ends what is due, so a restart (or a clock that jumped)
// never lets an override outlast its signed expiry.
#pragma once

// clang-format off
#include <utility>  // before Asio: Boost 1.74 needs std::exchange declared under C++20
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
// clang-format on
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <filesystem>
#include <set>
#include <string>

#include "westworld/agent/agent.h"
#include "westworld/agent/mesh_decisions.h"
#include "westworld/agent/trust_gate.h"
#include "westworld/charter/override_store.h"
#include "westworld/common/clock.h"
#include "westworld/control/messages.h"

namespace westworld::agent {

// The operators file (the peers file's format: `ID BASE64-ED25519-KEY` per line) with the
// quorum; quorum 0 picks charter::default_override_quorum. No file: no operators, and no
// override can pass. Throws "FILE:LINE: ..." on a bad file, or on a quorum below 2 or above
// the number of operators.
charter::OperatorQuorum load_operator_quorum(const std::filesystem::path& path, std::size_t quorum);

// Whether an override may take effect on `node_id` at `now`: by the governance decision it
// names (a passed emergency proposal about exactly this override, verified through the mesh),
// else by its operators' signatures meeting this node's quorum.
charter::OverrideVerdict override_allowed(const charter::EmergencyOverride& override_,
                                          std::span<const charter::OperatorSignature> signatures,
                                          const std::string& decision,
                                          const charter::OperatorQuorum& operators,
                                          MeshDecisions& decisions, const std::string& node_id,
                                          common::UnixSeconds now);

// What the store's overrides lift at `now`, counting only overrides whose signatures still
// meet this node's quorum, or whose governance decision this node still verifies through the
// mesh (AgentOptions::lifted_rules, before the agent starts). An override that does not, or
// whose decision cannot be read now, is named in the log and lifts nothing: the charter's
// rules are the safe side.
struct Lifts {
  std::set<std::string> rules;
  std::size_t overrides = 0;  // in force
};
Lifts lifts_at(const charter::OverrideStore& store, const charter::OperatorQuorum& operators,
               MeshDecisions& decisions, const std::string& node_id, common::UnixSeconds now);

class OverrideKeeper {
 public:
  // Ends, with an audit entry each, the overrides that expired while the agent was down,
  // and arms the timer for the next expiry.
  // An override is allowed by `operators` signing it, or by a passed emergency decision of
  // the mesh's governance that `decisions` verifies.
  OverrideKeeper(boost::asio::io_context& io, Agent& agent, TrustGate& audit,
                 charter::OverrideStore& store, charter::OperatorQuorum operators,
                 MeshDecisions& decisions, std::string node_id, prometheus::Registry& registry,
                 const common::Clock& clock = common::system_clock());

  control::Result<control::CharterOverrideReply> submit(const control::CharterOverrideRequest& r);
  control::Result<control::CharterOverridesReply> list(uint32_t limit);

  // Ends the overrides whose expiry has come and restores their rules (the timer calls it;
  // tests on a manual clock call it after moving the clock).
  void expire_due();

 private:
  void enforce_active();
  void arm();

  boost::asio::steady_timer timer_;
  Agent& agent_;
  TrustGate& audit_;
  charter::OverrideStore& store_;
  charter::OperatorQuorum operators_;
  MeshDecisions& decisions_;
  std::string node_id_;
  const common::Clock& clock_;
  prometheus::Gauge& active_;
};

}  // namespace westworld::agent
