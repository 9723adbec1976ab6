#include "westworld/quests/alert_evidence.h"

#include <algorithm>

#include "westworld/anomaly/alert.h"
#include "westworld/quests/evidence_collector.h"

namespace westworld::quests {
namespace {

// Past the agent's ring of alerts (256), so one request returns every alert it keeps.
constexpr uint32_t kEveryAlert = 4096;

}  // namespace

void add_alert_evidence(Evidence& evidence, const control::AlertsReply& alerts) {
  evidence.flood_contained = static_cast<uint64_t>(
      std::count_if(alerts.alerts.begin(), alerts.alerts.end(), [](const control::AlertView& a) {
        return a.contained && anomaly::is_source_flood(a.detector);
      }));
}

control::AlertsReply read_agent_alerts(const control::Client& client) {
  auto result = client.call(control::AlertsRequest{kEveryAlert});
  if (!result)
    throw EvidenceUnavailable("no agent listens on " + client.socket_path() +
                              "; quest evidence is read from the running agent");
  if (!result->ok())
    throw EvidenceUnavailable("the agent at " + client.socket_path() +
                              " refused the alerts request: " + result->error().message);
  return std::move(result->value());
}

}  // namespace westworld::quests
