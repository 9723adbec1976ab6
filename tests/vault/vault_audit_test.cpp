// The vault's audit records: identifiers and decisions, validated like every other type.
#include <gtest/gtest.h>

#include "westworld/audit/audit_entry.h"

namespace westworld::audit {
namespace {

const capability::UnixSeconds kNow{std::chrono::seconds(1'800'000'000)};

TEST(VaultAuditRecords, AreValidatedByTheAuditSchema) {
  const PreparedEntry e = prepare_entry(
      {"vault_access",
       {{"request", "rq-1"}, {"item", "it-1"}, {"decision", "refused"}, {"reason", "expired"}}},
      kNow);
  EXPECT_FALSE(check_leaf(e.leaf).has_value());
  EXPECT_THROW(prepare_entry({"vault_access", {{"request", "rq-1"}}}, kNow), std::invalid_argument);
  EXPECT_THROW(prepare_entry({"vault_erase", {{"item", "it-1"}, {"title", "leak"}}}, kNow),
               std::invalid_argument);  // no field may carry content
  EXPECT_THROW(prepare_entry({"vault_secret", {{"item", "it-1"}}}, kNow), std::invalid_argument);
  const PreparedEntry r = prepare_entry({"vault_rotate",
                                         {{"kind", "refresh"},
                                          {"epoch", "2"},
                                          {"nonce", "00"},
                                          {"guardians", {"g1", "g2"}},
                                          {"decision", "finished"}}},
                                        kNow);
  EXPECT_FALSE(check_leaf(r.leaf).has_value());
}

}  // namespace
}  // namespace westworld::audit
