// Every charter violation this node has seen, per offender, with the step of the escalation
// ladder it cost (escalation.h). Kept in SQLite in the data directory, so a restart neither
// forgets an offender's history nor lifts a block. The audit log, not this file, is the
// tamper-evident record: every violation recorded here is also an audit entry.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "westworld/charter/escalation.h"
#include "westworld/charter/restoration.h"
#include "westworld/common/clock.h"
#include "westworld/policy/model.h"

namespace westworld::charter {

enum class ViolationType : uint8_t {
  forbidden_metric = 0,  // an exporter offered a forbidden metric family to the gate
  gate_bypass = 1,       // a process sent to a collector around the gate
  flow_rule = 2,         // a flow rule marked as a violation matched
};

const char* to_string(ViolationType type);
std::optional<ViolationType> parse_violation_type(std::string_view name);
std::optional<policy::ViolationSeverity> parse_violation_severity(std::string_view name);

// What was seen, before the ledger decides what it costs.
struct ViolationReport {
  std::string offender;  // e.g. "exporter http://127.0.0.1:9100/metrics"
  ViolationType type = ViolationType::forbidden_metric;
  std::string detail;  // e.g. the forbidden family's name
  policy::ViolationSeverity severity = policy::ViolationSeverity::high;
};

struct Violation {
  int64_t id = 0;
  common::UnixSeconds at;
  ViolationReport report;
  EscalationStep step = EscalationStep::warning;
};

// Where an offender stands now.
struct Standing {
  std::string offender;
  size_t in_window = 0;  // violations in the last 30 days
  size_t total = 0;
  common::UnixSeconds last;
  std::optional<common::UnixSeconds> blocked_until;  // set while telemetry is blocked
  bool quarantined = false;
  // The violation that holds the quarantine now: what a restoring decision must name.
  std::optional<std::int64_t> quarantined_by;
  bool flagged = false;  // for legal escalation

  // Nothing the offender offers may be served now.
  bool withheld() const { return blocked_until.has_value() || quarantined; }
};

// A continuing offence (same offender, type and detail) is one violation a day, not one a
// scrape: repeats within this long of the last recorded one are not recorded again.
inline constexpr std::chrono::hours kRepeatQuiet{24};

class ViolationLedger {
 public:
  // Opens or creates the ledger (mode 0600). A row that is not a valid violation makes
  // every read throw, naming the row: a ledger is never half-trusted.
  static ViolationLedger open(const std::filesystem::path& path, const common::Clock& clock);
  ViolationLedger(ViolationLedger&&) noexcept;
  ViolationLedger& operator=(ViolationLedger&&) noexcept;
  ~ViolationLedger();

  // Records the violation with the step it costs; nothing when it repeats one recorded less
  // than kRepeatQuiet ago.
  std::optional<Violation> record(const ViolationReport& report);

  // Lifts the offender's quarantine on the authority of `decision`; `violation` must be the
  // one that holds it now (Standing::quarantined_by). Why not, or nothing when lifted. Later
  // violations count on: a restored offender who offends again climbs from where it was.
  std::optional<std::string> restore(std::string_view offender, std::int64_t violation,
                                     std::string_view decision);
  // Newest first.
  std::vector<Restoration> restorations() const;

  // Newest first; `limit` 0 means all.
  std::vector<Violation> violations(size_t limit = 0) const;
  Standing standing(std::string_view offender) const;
  // Every offender ever recorded, the most recent first.
  std::vector<Standing> standings() const;

  const std::filesystem::path& path() const;

 private:
  struct Store;
  explicit ViolationLedger(std::unique_ptr<Store> store);
  std::unique_ptr<Store> store_;
};

}  // namespace westworld::charter
