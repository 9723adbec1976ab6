// What the telemetry gate does, told to the operator: log lines, audit entries for every
// violation, and the charter's metrics under the original design's names.
#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include "westworld/agent/trust_gate.h"
#include "westworld/charter/telemetry_gate.h"

namespace westworld::agent {

class CharterReporter final : public charter::GateObserver {
 public:
  // Registers the charter's families in `registry` (the agent's /metrics).
  CharterReporter(prometheus::Registry& registry, TrustGate& audit);

  void violation_recorded(const charter::Violation& violation) override;
  void forbidden_offered(const std::string& metric, const std::string& offender,
                         const char* status) override;
  void families_withheld(const std::string& offender, size_t families) override;
  void exporter_failed(const std::string& offender, const std::string& error) override;
  void scrape_refused(const boost::asio::ip::address& peer, const std::string& why) override;
  void scrape_validated(std::chrono::nanoseconds took) override;

 private:
  TrustGate& audit_;
  prometheus::Family<prometheus::Counter>& violations_;
  prometheus::Family<prometheus::Counter>& forbidden_attempts_;
  prometheus::Family<prometheus::Counter>& withheld_;
  prometheus::Family<prometheus::Counter>& exporter_errors_;
  prometheus::Counter& refused_scrapes_;
  prometheus::Histogram& validation_seconds_;
};

}  // namespace westworld::agent
