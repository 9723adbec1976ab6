// Every emergency override this node accepted, kept in SQLite (the charter's database in
// the data directory) so a restart neither forgets an override nor extends one: an override
// is active from its acceptance until its expiry, whether or not the agent ran meanwhile.
// Each row keeps the operators' signatures, so whoever reads it can check them again; a row
// whose id is not the digest of its content is refused by id.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "westworld/charter/emergency_override.h"

namespace westworld::charter {

struct OverrideRecord {
  EmergencyOverride override_;
  std::vector<OperatorSignature> signatures;
  std::vector<std::string> signers;  // the operator ids the signatures belong to, or the
                                     // members whose yes counted in `decision`
  // The governance decision (passed emergency proposal id, hex) that allowed it instead of
  // the operators' signatures; empty for an operator-signed override.
  std::string decision;
  common::UnixSeconds accepted_at;
  std::optional<common::UnixSeconds> ended_at;  // when the rules returned

  std::string id() const { return override_id(override_); }
  bool active(common::UnixSeconds now) const {
    return !ended_at && accepted_at <= now && now < override_.expires_at;
  }
};

class OverrideStore {
 public:
  // Opens or creates the store (mode 0600); its table lives beside the violation ledger's.
  static OverrideStore open(const std::filesystem::path& path);
  OverrideStore(OverrideStore&&) noexcept;
  OverrideStore& operator=(OverrideStore&&) noexcept;
  ~OverrideStore();

  // Keeps an accepted override; false when the same override (id) was accepted before.
  bool add(const OverrideRecord& record);
  // Newest first; `limit` 0 means all. Throws, naming the row, on a tampered one.
  std::vector<OverrideRecord> all(std::size_t limit = 0) const;
  // Marks every override whose expiry has come (now >= expires_at) and that has not ended
  // as ended at its expiry; returns them, oldest expiry first.
  std::vector<OverrideRecord> end_due(common::UnixSeconds now);

  const std::filesystem::path& path() const;

 private:
  struct Store;
  explicit OverrideStore(std::unique_ptr<Store> store);
  std::unique_ptr<Store> store_;
};

}  // namespace westworld::charter
