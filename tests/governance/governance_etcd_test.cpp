// Governance over a real etcd (Debian's etcd-server, started by the test): records are
// create-only, anything tampered with in etcd is named and refused, the coordinator is one
// at a time and fenced, a dead coordinator is replaced and the rollout resumes from its
// stored state, a token's requires_dao_vote is discharged only for a passed proposal, and a
// whole-mesh proposal needs a passing twin report that routers check for themselves.
#include <gtest/gtest.h>

#include "built_binaries.h"
#include "governance_etcd_fixture.h"
#include "scratch_dir.h"
#include "westworld/capability/bytes.h"
#include "westworld/capability/secret_file.h"
#include "westworld/cradle/report_codec.h"
#include "westworld/governance/coordinator.h"
#include "westworld/governance/decision.h"
#include "westworld/governance/experiment_check.h"
#include "westworld/governance/gov_store.h"
#include "westworld/governance/records.h"
#include "westworld/harness/command.h"
#include "westworld/harness/text_file.h"
#include "westworld/mesh/etcd_gateway.h"
#include "westworld/mesh/router_record.h"
#include "westworld/policy/compiled_policy.h"
#include "westworld/policy/loader.h"

namespace westworld::governance {
namespace {

// Collects the coordinator's steps (the agent writes them to its audit log).
struct StepLog : RolloutJournal {
  std::vector<std::string> steps;
  void rollout_event(const std::string&, const std::string& kind, const std::string&) override {
    steps.push_back(kind);
  }
};

TEST_F(GovernanceEtcdTest, RecordsAreCreateOnly) {
  Genesis other = genesis_;
  other.settings.min_samples = 9;
  EXPECT_FALSE(gov().init(other)) << "a second genesis never replaces the first";
  EXPECT_EQ(genesis_digest(*gov().genesis()), genesis_digest(genesis_));

  const std::string id = store_proposal();
  EXPECT_FALSE(gov().add_proposal({proposal_, "version: 1\n", "", ""}));
  vote(1, Choice::yes);
  EXPECT_FALSE(gov().add_vote(mesh_.vote(proposal_, 1, Choice::no)))
      << "a member's vote is never replaced";
  const auto votes = gov().votes(id);
  ASSERT_EQ(votes.votes.size(), 1u);
  EXPECT_EQ(votes.votes[0].vote.choice, Choice::yes);
}

TEST_F(GovernanceEtcdTest, TamperedRecordsAreNamedAndRefused) {
  const std::string id = store_proposal();
  vote(1, Choice::yes);
  // m2's vote filed under m3's key: it would occupy another member's slot.
  store_->put({keys_.vote(id, "m3"), encode_vote(mesh_.vote(proposal_, 2, Choice::yes))});
  store_->put({keys_.vote(id, "m4"), "{not json"});
  GovernanceStore g = gov();
  const Decision d = decide(g, genesis_, id, clock_.now());
  EXPECT_EQ(d.tally.yes, 1u) << "only the honest vote counts";
  ASSERT_EQ(d.unreadable_votes.size(), 2u);
  EXPECT_NE(d.unreadable_votes[0].error.find("filed under another voter"), std::string::npos);
  EXPECT_NE(d.unreadable_votes[1].error.find("not a JSON object"), std::string::npos);

  // The proposal moved under another id.
  const std::string other(64, 'a');
  store_->put({keys_.proposal(other), store_->get(keys_.proposal(id)).kvs[0].value});
  EXPECT_THROW(decide(g, genesis_, other, clock_.now()), DecisionError);

  // A genesis swapped in etcd no longer hashes to the routers' --gov-genesis.
  const capability::Digest pinned = genesis_digest(genesis_);
  Genesis swapped = genesis_;
  swapped.settings.standard.thresholds.min_participation_ppm = 1;
  store_->put({keys_.gov_genesis(), encode_genesis(swapped)});
  try {
    trusted_genesis(g, pinned);
    FAIL() << "a swapped genesis was trusted";
  } catch (const DecisionError& e) {
    EXPECT_NE(std::string(e.what()).find("not to the --gov-genesis digest"), std::string::npos)
        << e.what();
  }
}

TEST_F(GovernanceEtcdTest, OneCoordinatorAtATimeAndATakeoverResumesTheRollout) {
  const std::string id = store_proposal();
  const std::string digest = hex_id(proposal_.proposal.policy_digest);
  for (const char* r : {"a", "b", "c"}) report(r, 100, "old");
  for (std::size_t m : {0, 1, 2}) vote(m, Choice::yes);  // 3 of 5: passed early

  auto first_store = open(), second_store = open();
  StepLog first_log, second_log;
  Coordinator first(*first_store, keys_, genesis_digest(genesis_), {"a", 3s}, clock_, &first_log);
  Coordinator second(*second_store, keys_, genesis_digest(genesis_), {"b", 3s}, clock_,
                     &second_log);
  first.tick();
  second.tick();
  EXPECT_TRUE(first.leading());
  EXPECT_FALSE(second.leading()) << "two coordinators at once";

  std::optional<RolloutState> state = rollout(id);
  ASSERT_TRUE(state.has_value()) << "the leader starts the rollout of a passed proposal";
  EXPECT_EQ(state->state, RolloutPhase::running);
  ASSERT_EQ(state->waves.size(), 2u);
  EXPECT_EQ(state->waves[0].nodes.size(), 1u);
  EXPECT_EQ(state->coordinator, "a");
  EXPECT_EQ(first_log.steps, (std::vector<std::string>{"passed", "wave_start"}));
  const std::string canary = state->waves[0].nodes[0];

  // The canary applies and reports twice a second apart: two good samples after the bake.
  for (int s = 0; s < 4; ++s) {
    clock_.advance(1s);
    report(canary, 101 + s, digest);
    first.tick();
  }
  state = rollout(id);
  ASSERT_EQ(state->waves[0].state, WavePhase::succeeded) << state->waves[0].verdict;
  EXPECT_EQ(state->waves[1].state, WavePhase::baking);

  // The leader dies without resigning: its lease is gone, so it can write nothing more,
  // and the other takes over from the stored state.
  store_->revoke_lease(store_->get(keys_.coordinator()).kvs.at(0).lease);
  first.tick();
  EXPECT_FALSE(first.leading());
  second.tick();
  EXPECT_TRUE(second.leading());
  for (int s = 0; s < 4; ++s) {
    clock_.advance(1s);
    for (const char* r : {"a", "b", "c"}) report(r, 110 + s, digest);
    second.tick();
  }
  state = rollout(id);
  EXPECT_EQ(state->state, RolloutPhase::succeeded);
  EXPECT_EQ(state->coordinator, "b");
  EXPECT_EQ(second_log.steps.back(), "success");
}

TEST_F(GovernanceEtcdTest, AFailedGateAbortsTheRollout) {
  const std::string id = store_proposal({"100%"});
  const std::string digest = hex_id(proposal_.proposal.policy_digest);
  for (std::size_t m : {0, 1, 2}) vote(m, Choice::yes);
  report("a", 100, digest);
  auto coordinator_store = open();
  StepLog log;
  Coordinator coordinator(*coordinator_store, keys_, genesis_digest(genesis_), {"a", 3s}, clock_,
                          &log);
  coordinator.tick();  // starts the rollout and takes the first sample (a baseline)
  clock_.advance(1s);
  report("a", 102, digest, 100);  // 50 rule drops a second against a gate of 10
  coordinator.tick();
  const std::optional<RolloutState> state = rollout(id);
  ASSERT_TRUE(state.has_value());
  EXPECT_EQ(state->state, RolloutPhase::aborted);
  EXPECT_NE(state->reason.find("drop_rate.rule <= 10"), std::string::npos) << state->reason;
  EXPECT_EQ(log.steps.back(), "abort");
}

TEST_F(GovernanceEtcdTest, ANotYetPassedProposalIsNotRolledOut) {
  const std::string id = store_proposal();
  vote(0, Choice::yes);
  vote(1, Choice::no);
  auto coordinator_store = open();
  Coordinator coordinator(*coordinator_store, keys_, genesis_digest(genesis_), {"a", 3s}, clock_,
                          nullptr);
  coordinator.tick();
  EXPECT_TRUE(coordinator.leading());
  EXPECT_FALSE(rollout(id).has_value());
}

// wwctl gov discharge: the third-party caveat `requires_dao_vote = ID` is discharged only
// once proposal ID has passed, and the token then verifies with it.
TEST_F(GovernanceEtcdTest, ADaoVoteCaveatIsDischargedOnlyForAPassedProposal) {
  harness::ScratchDir dir("wwgd");
  const std::string root = (dir / "root.key").string(), caveat_key = (dir / "dao.key").string();
  auto wwctl = [&](std::vector<std::string> args) {
    args.insert(args.begin(), harness::kWwctlBinary);
    return harness::run_command(args);
  };
  ASSERT_TRUE(wwctl({"token", "keygen", root}).ok());
  ASSERT_TRUE(wwctl({"token", "keygen", caveat_key}).ok());
  const std::string id = store_proposal();
  const auto minted =
      wwctl({"token", "mint", "--key", root, "--id", "op", "--caveat", "action = policy.apply"});
  ASSERT_TRUE(minted.ok()) << minted.describe();
  const auto token = wwctl({"token", "attenuate", "--token", minted.out, "--third-party-id",
                            "requires_dao_vote = " + id, "--third-party-key", caveat_key});
  ASSERT_TRUE(token.ok()) << token.describe();
  const std::vector<std::string> mesh_flags = {"--mesh",        cluster_->endpoints(),
                                               "--mesh-name",   mesh_name_,
                                               "--gov-genesis", hex_id(genesis_digest(genesis_))};
  auto discharge = [&] {
    std::vector<std::string> args = {"gov",     "discharge", id,        "--for",
                                     token.out, "--key",     caveat_key};
    args.insert(args.end(), mesh_flags.begin(), mesh_flags.end());
    return wwctl(args);
  };
  const auto early = discharge();
  EXPECT_FALSE(early.ok());
  EXPECT_NE(early.err.find("has not passed"), std::string::npos) << early.describe();

  // The votes are dated by the fixture a minute after creation; the tally uses the real
  // clock, which is well past them.
  for (std::size_t m : {0, 1, 2}) vote(m, Choice::yes);
  const auto granted = discharge();
  ASSERT_TRUE(granted.ok()) << granted.describe();
  const auto verified = wwctl({"token", "verify", "--key", root, "--token", token.out,
                               "--discharge", granted.out, "--ctx", "action=policy.apply"});
  EXPECT_TRUE(verified.ok()) << verified.describe();
  const auto without = wwctl(
      {"token", "verify", "--key", root, "--token", token.out, "--ctx", "action=policy.apply"});
  EXPECT_FALSE(without.ok()) << "the caveat holds without its discharge";
}

TEST_F(GovernanceEtcdTest, AWholeMeshProposalStandsOnlyOnAPassingTwinReportOfItsPolicy) {
  harness::ScratchDir dir("wwgx");
  // A mesh with the experiment rule on (10%): this fixture's own genesis turns it off.
  Genesis ruled = genesis_;
  ruled.mesh = "twin-report-ruled";
  ruled.settings.experiment_above_ppm = 100'000;
  const mesh::MeshKeys ruled_keys(ruled.mesh);
  GovernanceStore ruled_store(*store_, ruled_keys);
  ASSERT_TRUE(ruled_store.init(ruled));

  const std::string policy_text = "version: 1\ncharter:\n  default: allow\n";
  const auto policy_file = dir / "policy.yaml";
  harness::write_text_file(policy_file, policy_text);
  const std::string digest =
      policy::compile(*policy::load_policy_text(policy_text, "policy.yaml").policy).digest_hex;
  const auto key_file = dir / "m0.key";
  capability::write_new_secret_file(key_file,
                                    capability::to_hex(mesh_.keys[0].seed().view()) + "\n");
  auto twin_report = [&](cradle::Verdict verdict, const std::string& name) {
    cradle::Report r;
    r.experiment = name;
    r.verdict = verdict;
    r.baseline.twin_up = r.candidate.twin_up = true;
    r.candidate.policy_digest = digest;
    cradle::sign_report(r, mesh_.keys[1]);
    harness::write_text_file(dir / name, cradle::encode_report(r));
    return (dir / name).string();
  };
  auto propose = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = {harness::kWwctlBinary,
                                     "gov",
                                     "propose",
                                     policy_file.string(),
                                     "--title",
                                     "allow all",
                                     "--key",
                                     key_file.string(),
                                     "--member",
                                     "m0",
                                     "--window",
                                     "1h",
                                     "--mesh",
                                     cluster_->endpoints(),
                                     "--mesh-name",
                                     ruled.mesh,
                                     "--gov-genesis",
                                     hex_id(genesis_digest(ruled))};
    args.insert(args.end(), extra.begin(), extra.end());
    return harness::run_command(args);
  };
  const auto bare = propose({});
  EXPECT_FALSE(bare.ok());
  EXPECT_NE(bare.err.find("needs a passing twin experiment report"), std::string::npos)
      << bare.describe();
  const auto failed = propose({"--experiment", twin_report(cradle::Verdict::fail, "failed.json")});
  EXPECT_FALSE(failed.ok());
  EXPECT_NE(failed.err.find("verdict is fail"), std::string::npos) << failed.describe();

  const auto passed = propose({"--experiment", twin_report(cradle::Verdict::pass, "passed.json")});
  ASSERT_TRUE(passed.ok()) << passed.describe();
  const std::string id = passed.out.substr(0, passed.out.find('\n'));
  const common::UnixSeconds now{std::chrono::seconds(std::time(nullptr))};
  EXPECT_NO_THROW(decide(ruled_store, ruled, id, now));

  // Whoever controls etcd swaps the report for a failed one of their own: routers refuse it.
  ProposalRecord record = *ruled_store.proposal(id);
  record.experiment_report_text = harness::read_text_file(dir / "failed.json");
  store_->put({ruled_keys.proposal(id), encode_proposal(record)});
  try {
    decide(ruled_store, ruled, id, now);
    ADD_FAILURE() << "a swapped twin report was accepted";
  } catch (const DecisionError& e) {
    EXPECT_NE(std::string(e.what()).find("twin report"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace westworld::governance
