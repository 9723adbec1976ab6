// Evidence from the other parts: the Cradle's twin reports count only when intact and signed
// by the node (a forged, altered or foreign report counts for nothing, and is named), and the
// running policy is the approved one only when the digests agree.
#include <gtest/gtest.h>

#include <fstream>

#include "scratch_dir.h"
#include "westworld/cradle/report_codec.h"
#include "westworld/quests/cradle_evidence.h"
#include "westworld/quests/governance_evidence.h"

namespace westworld::quests {
namespace {

using namespace std::chrono_literals;

cradle::Report report(cradle::Verdict verdict, std::optional<int64_t> time_to_quarantine_ms) {
  cradle::Report r;
  r.experiment = "flood";
  r.verdict = verdict;
  r.candidate.signals["time_to_quarantine.flood"] = {time_to_quarantine_ms, 3, ""};
  r.candidate.signals["delivery_ratio.legit"] = {999'000, 3, ""};
  return r;
}

void write(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

std::string signed_report(cradle::Report r, const capability::Ed25519KeyPair& key) {
  cradle::sign_report(r, key);
  return cradle::encode_report(r);
}

TEST(CradleEvidence, CountsOnlyIntactReportsTheNodeSigned) {
  harness::ScratchDir dir("ww-quest-reports");
  const auto node = capability::Ed25519KeyPair::generate();
  const auto other = capability::Ed25519KeyPair::generate();
  write(dir / "a.json", signed_report(report(cradle::Verdict::pass, 1800), node));
  write(dir / "b.json", signed_report(report(cradle::Verdict::pass, 1200), node));
  write(dir / "c.json", signed_report(report(cradle::Verdict::fail, 300), node));
  write(dir / "d.json", signed_report(report(cradle::Verdict::pass, 100), other));
  std::string altered = signed_report(report(cradle::Verdict::fail, 50), node);
  altered.replace(altered.find("\"fail\""), 6, "\"pass\"");
  write(dir / "e.json", altered);
  write(dir / "notes.txt", "not a report");

  const CradleEvidence cradle = cradle_evidence(dir.path(), node.public_key());
  EXPECT_EQ(cradle.run, 3u) << "a, b and c; d is another node's, e was altered";
  EXPECT_EQ(cradle.passed, 2u);
  EXPECT_EQ(cradle.mttr, 1200ms) << "the shortest containment in a passed report; c failed";
  ASSERT_EQ(cradle.refused.size(), 2u);
  EXPECT_NE(cradle.refused[0].find("d.json: signed by"), std::string::npos) << cradle.refused[0];
  EXPECT_NE(cradle.refused[1].find("e.json: digest mismatch"), std::string::npos)
      << cradle.refused[1];

  Evidence evidence;
  add_cradle_evidence(evidence, cradle);
  EXPECT_EQ(evidence.twin_experiments_run, 3u);
  EXPECT_EQ(evidence.twin_experiments_passed, 2u);
  EXPECT_EQ(evidence.mttr, 1200ms);
}

TEST(CradleEvidence, APassedRunThatNeverContainedProvesNoMttr) {
  harness::ScratchDir dir("ww-quest-reports");
  const auto node = capability::Ed25519KeyPair::generate();
  write(dir / "a.json", signed_report(report(cradle::Verdict::pass, std::nullopt), node));
  const CradleEvidence cradle = cradle_evidence(dir.path(), node.public_key());
  EXPECT_EQ(cradle.passed, 1u);
  EXPECT_FALSE(cradle.mttr);
}

TEST(CradleEvidence, ACrisisQuestCountsOnlyTheReportsStartedSinceItsCrisis) {
  harness::ScratchDir dir("ww-quest-reports");
  const auto node = capability::Ed25519KeyPair::generate();
  const int64_t opened = 1'800'000'000;
  auto started_at = [&](int64_t at) {
    cradle::Report r = report(cradle::Verdict::fail, 700);
    r.started_unix_s = at;
    r.finished_unix_s = at + 60;
    return signed_report(r, node);
  };
  write(dir / "before.json", started_at(opened - 1));
  write(dir / "at.json", started_at(opened));
  write(dir / "after.json", started_at(opened + 3600));
  // A report moved into the crisis by editing its start no longer verifies.
  std::string moved = started_at(opened - 7200);
  moved.replace(moved.find(std::to_string(opened - 7200)), 10, std::to_string(opened + 60));
  write(dir / "moved.json", moved);

  const CradleEvidence crisis = cradle_evidence(dir.path(), node.public_key(),
                                                common::UnixSeconds(std::chrono::seconds(opened)));
  EXPECT_EQ(crisis.run, 3u);
  EXPECT_EQ(crisis.in_crisis, 2u) << "at and after; before started earlier, moved was altered";
  EXPECT_EQ(crisis.refused.size(), 1u);
  Evidence evidence;
  add_cradle_evidence(evidence, crisis);
  EXPECT_EQ(evidence.twin_experiments_in_crisis, 2u);

  const CradleEvidence standing = cradle_evidence(dir.path(), node.public_key());
  EXPECT_FALSE(standing.in_crisis) << "no crisis: the criterion has no evidence, not zero";
}

TEST(CradleEvidence, AMissingDirectoryIsAnErrorNotZero) {
  EXPECT_THROW(cradle_evidence("/nonexistent/ww-reports", capability::PublicKey{}),
               std::runtime_error);
}

TEST(GovernanceEvidence, TheRunningPolicyIsTheApprovedOneOnlyWhenTheDigestsAgree) {
  GovernanceEvidence governance;
  governance.votes_cast = 2;
  Evidence none;
  add_governance_evidence(none, governance, "abc");
  EXPECT_EQ(none.votes_cast, 2u);
  EXPECT_FALSE(none.runs_latest_approved_policy) << "nothing approved yet: no evidence";

  governance.latest_approved = "p1";
  governance.latest_approved_digest = "abc";
  Evidence same, other, stopped;
  add_governance_evidence(same, governance, "abc");
  add_governance_evidence(other, governance, "abd");
  add_governance_evidence(stopped, governance, "");
  EXPECT_EQ(same.runs_latest_approved_policy, true);
  EXPECT_EQ(other.runs_latest_approved_policy, false);
  EXPECT_EQ(stopped.runs_latest_approved_policy, false) << "no valid policy is not the approved";
}

}  // namespace
}  // namespace westworld::quests
