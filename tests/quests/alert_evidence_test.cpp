// flood_contained from the agent's alerts: only per-source flood alerts (rate_jump, share_creep)
// whose quarantine took effect count; the field survives the control protocol's codec.
#include "westworld/quests/alert_evidence.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "westworld/control/codec.h"

namespace westworld::quests {
namespace {

control::AlertView alert(uint64_t id, std::string detector, bool contained) {
  control::AlertView view;
  view.id = id;
  view.detector = std::move(detector);
  view.subject = "10.0.0." + std::to_string(id);
  view.response = contained ? "quarantined" : "not quarantined: protected";
  view.contained = contained;
  return view;
}

TEST(AlertEvidence, CountsOnlyContainedFloodAlerts) {
  control::AlertsReply reply;
  reply.alerts = {alert(1, "rate_jump", true),       // counted
                  alert(2, "share_creep", true),     // counted
                  alert(3, "rate_jump", false),      // a protected source: declined
                  alert(4, "share_creep", false),    // max_entries reached: declined
                  alert(5, "source_churn", true),    // not a per-source flood
                  alert(6, "control_plane", true)};  // a policy burst, not traffic
  Evidence evidence;
  add_alert_evidence(evidence, reply);
  ASSERT_TRUE(evidence.flood_contained);
  EXPECT_EQ(*evidence.flood_contained, 2u);
}

TEST(AlertEvidence, NoAlertsIsAnObservedZero) {
  Evidence evidence;
  add_alert_evidence(evidence, control::AlertsReply{});
  ASSERT_TRUE(evidence.flood_contained) << "the agent answered: zero, not missing";
  EXPECT_EQ(*evidence.flood_contained, 0u);
}

TEST(AlertEvidence, ContainedCrossesTheCodec) {
  control::AlertsReply reply;
  reply.alerts = {alert(1, "rate_jump", true), alert(2, "rate_jump", false)};
  const auto decoded = control::decode_reply<control::AlertsReply>(control::encode_reply(reply));
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  ASSERT_EQ(decoded.value().alerts.size(), 2u);
  EXPECT_TRUE(decoded.value().alerts[0].contained);
  EXPECT_FALSE(decoded.value().alerts[1].contained);

  // An older agent's reply has no such field: its alerts read as not contained.
  nlohmann::json older = nlohmann::json::parse(control::encode_reply(reply));
  for (nlohmann::json& a : older["alerts"]) a.erase("contained");
  const auto read = control::decode_reply<control::AlertsReply>(older.dump());
  ASSERT_TRUE(read.ok()) << read.error().message;
  ASSERT_EQ(read.value().alerts.size(), 2u);
  EXPECT_FALSE(read.value().alerts[0].contained);
}

}  // namespace
}  // namespace westworld::quests
