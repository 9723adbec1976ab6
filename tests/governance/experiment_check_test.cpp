// The experiment rule on the report itself: a proposal citing a twin report is admissible only
// when the report it carries is intact, the one it signed, a pass, signed by a member, and a
// trial of the very policy the proposal deploys. Reports are made and signed here with the
// Cradle's own codec, as `wwctl cradle run` makes them.
#include "westworld/governance/experiment_check.h"

#include <gtest/gtest.h>

#include "governance_fixture.h"
#include "westworld/capability/bytes.h"
#include "westworld/cradle/report_codec.h"
#include "westworld/governance/records.h"

namespace westworld::governance {
namespace {

using testing::Mesh;

class ExperimentCheck : public ::testing::Test {
 protected:
  ExperimentCheck() : mesh_({1, 1, 1}) {
    genesis_.mesh = "riverside";
    genesis_.members = mesh_.members;
  }

  // A twin report of the proposal's policy with `verdict`, signed by `signer`.
  std::string report(cradle::Verdict verdict, const capability::Ed25519KeyPair& signer,
                     const std::string& candidate_digest) const {
    cradle::Report r;
    r.experiment = "passes";
    r.verdict = verdict;
    r.candidate.twin_up = r.baseline.twin_up = true;
    r.candidate.policy_digest = candidate_digest;
    cradle::sign_report(r, signer);
    return cradle::encode_report(r);
  }

  std::string deployed_digest() const { return hex_id(mesh_.proposal().policy_digest); }

  // The proposal citing `text` by its digest (or by `cited` when given), signed by m0.
  ProposalRecord citing(const std::string& text, std::optional<std::string> cited = {}) const {
    Proposal p = mesh_.proposal();
    const std::string digest = cited.value_or(cradle::verify_report_text(text, {}).digest);
    p.experiment_report = *capability::fixed_bytes<32>(*capability::from_hex(digest));
    return {sign_proposal(p, mesh_.keys[0]), "version: 1\n", text, ""};
  }

  Mesh mesh_;
  Genesis genesis_;
};

TEST_F(ExperimentCheck, APassingReportOfTheDeployedPolicyByAMemberStands) {
  const std::string text = report(cradle::Verdict::pass, mesh_.keys[2], deployed_digest());
  EXPECT_EQ(experiment_error(citing(text), genesis_, genesis_.members), std::nullopt);
}

TEST_F(ExperimentCheck, AProposalCitingNoReportHasNothingToCheck) {
  const ProposalRecord record{mesh_.signed_proposal(), "version: 1\n", "", ""};
  EXPECT_EQ(experiment_error(record, genesis_, genesis_.members), std::nullopt);
}

TEST_F(ExperimentCheck, EachBrokenPromiseIsNamed) {
  const auto error = [&](const ProposalRecord& record) {
    return experiment_error(record, genesis_, genesis_.members).value_or("(accepted)");
  };
  const std::string good = report(cradle::Verdict::pass, mesh_.keys[1], deployed_digest());

  ProposalRecord without = citing(good);
  without.experiment_report_text.clear();
  EXPECT_NE(error(without).find("carries no report"), std::string::npos) << error(without);

  std::string tampered = good;
  tampered.replace(tampered.find("\"passes\""), 8, "\"passez\"");
  EXPECT_NE(
      error(citing(tampered, cradle::verify_report_text(good, {}).digest)).find("digest mismatch"),
      std::string::npos);

  ProposalRecord swapped = citing(good);
  swapped.experiment_report_text = report(cradle::Verdict::pass, mesh_.keys[2], deployed_digest());
  EXPECT_NE(error(swapped).find("not the"), std::string::npos) << error(swapped);

  const std::string failed = report(cradle::Verdict::fail, mesh_.keys[1], deployed_digest());
  EXPECT_NE(error(citing(failed)).find("verdict is fail"), std::string::npos);
  const std::string unsure =
      report(cradle::Verdict::inconclusive, mesh_.keys[1], deployed_digest());
  EXPECT_NE(error(citing(unsure)).find("verdict is inconclusive"), std::string::npos);

  const auto outsider = capability::Ed25519KeyPair::generate();
  const std::string foreign = report(cradle::Verdict::pass, outsider, deployed_digest());
  EXPECT_NE(error(citing(foreign)).find("not a member"), std::string::npos);

  const std::string elsewhere = report(cradle::Verdict::pass, mesh_.keys[1], std::string(64, 'c'));
  EXPECT_NE(error(citing(elsewhere)).find("tried policy cccccccccccccccc"), std::string::npos);
}

TEST_F(ExperimentCheck, TheReportTravelsWithTheProposalRecord) {
  const std::string text = report(cradle::Verdict::pass, mesh_.keys[0], deployed_digest());
  const ProposalRecord decoded = decode_proposal(encode_proposal(citing(text)));
  EXPECT_EQ(decoded.experiment_report_text, text);
  EXPECT_EQ(experiment_error(decoded, genesis_, genesis_.members), std::nullopt);
}

}  // namespace
}  // namespace westworld::governance
