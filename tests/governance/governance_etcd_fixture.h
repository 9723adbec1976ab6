// A real etcd (Debian's etcd-server, started once per test binary) with one governance per
// test: the genesis of a five-member mesh, stored, and helpers to store proposals, votes and
// router reports the way wwctl and the agent write them.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "governance_fixture.h"
#include "shared_etcd_test.h"
#include "westworld/common/clock.h"
#include "westworld/governance/gov_store.h"
#include "westworld/governance/records.h"
#include "westworld/governance/rollout.h"
#include "westworld/mesh/etcd_gateway.h"
#include "westworld/mesh/router_record.h"

namespace westworld::governance {

using namespace std::chrono_literals;
using testing::Mesh;

class GovernanceEtcdTest : public harness::SharedEtcdTest {
 protected:
  void SetUp() override {
    store_ = open();
    genesis_.mesh = mesh_name_;
    genesis_.members = mesh_.members;
    genesis_.settings.min_window = 1s;
    genesis_.settings.sample_interval = 1s;
    genesis_.settings.min_samples = 2;
    genesis_.settings.nodata_limit = 5;
    genesis_.settings.experiment_above_ppm = kPpm;
    ASSERT_TRUE(gov().init(genesis_));
    clock_.set(testing::kCreated);
  }

  std::unique_ptr<mesh::EtcdGateway> open() const {
    mesh::EtcdOptions options;
    options.endpoints = mesh::parse_endpoints(cluster_->endpoints());
    options.timeout = 3s;
    return std::make_unique<mesh::EtcdGateway>(options);
  }
  GovernanceStore gov() { return GovernanceStore(*store_, keys_); }

  // A proposal of the fixture's mesh, stored; its id.
  std::string store_proposal(std::vector<std::string> waves = {"1", "100%"}) {
    Proposal p = mesh_.proposal();
    p.mesh = mesh_name_;
    p.window = 1h;
    p.bake = 2s;
    p.waves = std::move(waves);
    p.gates = {"drop_rate.rule <= 10"};
    const SignedProposal s = sign_proposal(p, mesh_.keys[0]);
    EXPECT_TRUE(gov().add_proposal({s, "version: 1\n", "", ""}));
    proposal_ = s;
    return hex_id(proposal_id(p));
  }
  void vote(std::size_t member, Choice choice) {
    EXPECT_TRUE(gov().add_vote(mesh_.vote(proposal_, member, choice)));
  }
  // A router's status record as its agent would publish it.
  void report(const std::string& id, std::int64_t heartbeat, const std::string& digest,
              std::uint64_t rule_drops = 0) {
    mesh::RouterRecord r;
    r.id = id;
    r.heartbeat = heartbeat;
    r.started = 1;
    r.report_interval_ms = 1000;
    r.applied_digest = digest;
    if (rule_drops) r.drops["rule"] = rule_drops;
    store_->put({keys_.router(id), mesh::encode_router_record(r)});
  }
  std::optional<RolloutState> rollout(const std::string& id) {
    const auto reply = store_->get(keys_.rollout(id));
    if (reply.kvs.empty()) return std::nullopt;
    return decode_rollout(reply.kvs[0].value);
  }

  // Each test has its own mesh in the shared cluster.
  std::string mesh_name_ = ::testing::UnitTest::GetInstance()->current_test_info()->name();
  mesh::MeshKeys keys_{mesh_name_};
  std::unique_ptr<mesh::EtcdGateway> store_;
  Mesh mesh_{{1, 1, 1, 1, 1}};
  Genesis genesis_;
  SignedProposal proposal_;
  common::ManualClock clock_;
};

}  // namespace westworld::governance
