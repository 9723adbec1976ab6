// Typed audit records: schema enforcement, canonical leaves, salted personal commitments.
#include "westworld/audit/audit_entry.h"

#include <gtest/gtest.h>

namespace westworld::audit {
namespace {

using nlohmann::json;

const capability::UnixSeconds kAt = *capability::parse_rfc3339_utc("2026-05-01T12:00:00Z");
const std::string kDigest(64, 'a');

AuditRecord override_record() {
  return {"emergency_override",
          {{"who", "alice"},
           {"what", "unfreeze region eu"},
           {"why", "outage"},
           {"affected_nodes", {"n1", "n2"}},
           {"expiry", "2026-05-02T00:00:00Z"}}};
}

TEST(AuditEntry, EveryTypeAcceptsItsFields) {
  const std::vector<AuditRecord> records = {
      {"policy_apply", {{"digest", kDigest}, {"token_id", "t1"}, {"signers", {"p1", "p2", "p3"}}}},
      {"quarantine", {{"node", "n1"}, {"reason", "scan"}}},
      {"release", {{"node", "n1"}, {"reason", "clean"}, {"actor", "bob"}}},
      {"freeze", {{"target", "mesh"}, {"reason", "incident"}}},
      {"unfreeze", {{"target", "mesh"}, {"reason", "resolved"}}},
      override_record(),
      {"charter_violation",
       {{"node", "n9"}, {"charter_clause", "4.2"}, {"detail", "exfiltration"}}},
  };
  for (const AuditRecord& record : records) {
    const PreparedEntry entry = prepare_entry(record, kAt);
    EXPECT_EQ(check_leaf(entry.leaf), std::nullopt) << entry.leaf;
  }
}

TEST(AuditEntry, RejectsWhatTheSchemaDoesNotAllow) {
  const std::vector<AuditRecord> bad = {
      {"reboot", {{"node", "n1"}}},                                          // unknown type
      {"quarantine", {{"node", "n1"}}},                                      // missing field
      {"quarantine", {{"node", "n1"}, {"reason", "x"}, {"colour", "red"}}},  // unknown field
      {"quarantine", {{"node", 7}, {"reason", "x"}}},                        // wrong type
      {"quarantine", {{"node", ""}, {"reason", "x"}}},                       // empty text
      {"policy_apply", {{"digest", "ABC"}, {"token_id", "t"}, {"signers", json::array()}}},
      {"policy_apply", {{"digest", kDigest}, {"token_id", "t"}, {"signers", {1, 2}}}},
      {"quarantine", json::array()},
  };
  for (const AuditRecord& record : bad)
    EXPECT_THROW(prepare_entry(record, kAt), std::invalid_argument) << record.fields.dump();
  AuditRecord late = override_record();
  late.fields["expiry"] = "tomorrow";
  EXPECT_THROW(prepare_entry(late, kAt), std::invalid_argument);
}

TEST(AuditEntry, LeafIsCanonicalJsonWithPersonalDataCommitted) {
  const PreparedEntry entry = prepare_entry(override_record(), kAt);
  EXPECT_EQ(entry.leaf.find("alice"), std::string::npos) << "names stay out of the tree";
  ASSERT_EQ(entry.personal.size(), 1u);
  const PersonalDatum& who = entry.personal.front();
  EXPECT_EQ(who.field, "who");
  EXPECT_EQ(who.value, "alice");
  EXPECT_EQ(who.salt.size(), kPersonalSaltBytes);
  const json leaf = json::parse(entry.leaf);
  EXPECT_EQ(leaf["fields"]["who"]["salted_sha256"], personal_commitment(who.salt, "alice"));
  EXPECT_EQ(leaf["logged_at"], "2026-05-01T12:00:00Z");
  EXPECT_EQ(leaf.dump(), entry.leaf);
  EXPECT_EQ(check_personal_datum(entry.leaf, who), std::nullopt);
}

TEST(AuditEntry, SaltsDifferSoEqualNamesDoNotLink) {
  const PreparedEntry a = prepare_entry(override_record(), kAt);
  const PreparedEntry b = prepare_entry(override_record(), kAt);
  EXPECT_NE(a.leaf, b.leaf);
}

TEST(AuditEntry, PersonalDataMustOpenItsCommitment) {
  const PreparedEntry entry = prepare_entry(override_record(), kAt);
  PersonalDatum wrong_value = entry.personal.front();
  wrong_value.value = "mallory";
  EXPECT_NE(check_personal_datum(entry.leaf, wrong_value), std::nullopt);
  PersonalDatum wrong_salt = entry.personal.front();
  wrong_salt.salt[0] ^= 1;
  EXPECT_NE(check_personal_datum(entry.leaf, wrong_salt), std::nullopt);
  PersonalDatum wrong_field = entry.personal.front();
  wrong_field.field = "what";
  EXPECT_NE(check_personal_datum(entry.leaf, wrong_field), std::nullopt);
}

TEST(AuditEntry, RevealShowsHeldDataAndMarksErasedData) {
  const PreparedEntry entry = prepare_entry(override_record(), kAt);
  EXPECT_EQ(reveal(entry.leaf, entry.personal)["fields"]["who"], "alice");
  const json erased = reveal(entry.leaf, {});
  EXPECT_TRUE(erased["fields"]["who"]["erased"].get<bool>());
}

TEST(AuditEntry, CheckLeafRejectsNonCanonicalOrInvalidLeaves) {
  const PreparedEntry entry = prepare_entry({"quarantine", {{"node", "n1"}, {"reason", "x"}}}, kAt);
  EXPECT_NE(check_leaf(entry.leaf + " "), std::nullopt);
  EXPECT_NE(check_leaf("{}"), std::nullopt);
  EXPECT_NE(check_leaf("not json"), std::nullopt);
  json plain_personal = json::parse(prepare_entry(override_record(), kAt).leaf);
  plain_personal["fields"]["who"] = "alice";  // a name where a commitment belongs
  EXPECT_NE(check_leaf(plain_personal.dump()), std::nullopt);
}

}  // namespace
}  // namespace westworld::audit
