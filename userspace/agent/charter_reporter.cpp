#include "westworld/agent/charter_reporter.h"

#include <prometheus/counter.h>
#include <prometheus/histogram.h>
#include <spdlog/spdlog.h>

namespace westworld::agent {
namespace {

// Parsing and filtering a scrape takes microseconds to milliseconds.
const prometheus::Histogram::BucketBoundaries kValidationBuckets = {
    0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1};

std::string describe(const charter::Violation& v) {
  const char* what = v.report.type == charter::ViolationType::forbidden_metric
                         ? "offered the forbidden metric"
                         : "committed";
  return fmt::format("charter violation #{}: {} {} '{}' (severity {}); escalation: {}", v.id,
                     v.report.offender, what, v.report.detail, to_string(v.report.severity),
                     to_string(v.step));
}

}  // namespace

CharterReporter::CharterReporter(prometheus::Registry& registry, TrustGate& audit)
    : audit_(audit),
      violations_(prometheus::BuildCounter()
                      .Name("westworld_charter_violations_total")
                      .Help("Charter violations recorded, by severity, type and offender")
                      .Register(registry)),
      forbidden_attempts_(prometheus::BuildCounter()
                              .Name("westworld_charter_forbidden_metric_attempts_total")
                              .Help("Forbidden metric families offered to the telemetry gate "
                                    "(all withheld); status: violation (recorded) or repeat "
                                    "(already recorded today)")
                              .Register(registry)),
      withheld_(prometheus::BuildCounter()
                    .Name("westworld_charter_withheld_families_total")
                    .Help("Metric families the telemetry gate did not serve, by exporter: not "
                          "whitelisted, not for the collector's access, or the exporter blocked")
                    .Register(registry)),
      exporter_errors_(prometheus::BuildCounter()
                           .Name("westworld_charter_exporter_errors_total")
                           .Help("Exporter reads that gave the gate nothing: unreachable, "
                                 "HTTP errors, malformed expositions")
                           .Register(registry)),
      refused_scrapes_(prometheus::BuildCounter()
                           .Name("westworld_charter_refused_scrapes_total")
                           .Help("Scrapes of the telemetry gate from an address that is no "
                                 "collector of the running policy")
                           .Register(registry)
                           .Add({})),
      validation_seconds_(prometheus::BuildHistogram()
                              .Name("westworld_charter_validation_duration_seconds")
                              .Help("Time the gate took to parse and filter one scrape's "
                                    "expositions")
                              .Register(registry)
                              .Add({}, kValidationBuckets)) {}

void CharterReporter::violation_recorded(const charter::Violation& v) {
  const std::string line = describe(v);
  if (v.step >= charter::EscalationStep::quarantined)
    spdlog::error("{}: withheld until a decision restores it", line);
  else
    spdlog::warn("{}", line);
  violations_
      .Add({{"severity", to_string(v.report.severity)},
            {"violation_type", to_string(v.report.type)},
            {"offender", v.report.offender}})
      .Increment();
  try {
    audit_.record({"charter_violation",
                   {{"node", v.report.offender},
                    {"charter_clause", std::string("telemetry.") + to_string(v.report.type)},
                    {"detail", fmt::format("{} (severity {}); escalation: {}", v.report.detail,
                                           to_string(v.report.severity), to_string(v.step))}}});
  } catch (const std::exception& e) {
    // The ledger holds the violation; the operator must learn the log missed it.
    spdlog::error("charter violation #{} is not in the audit log: {}", v.id, e.what());
  }
}

void CharterReporter::forbidden_offered(const std::string& metric, const std::string& offender,
                                        const char* status) {
  forbidden_attempts_.Add({{"metric_name", metric}, {"offender", offender}, {"status", status}})
      .Increment();
}

void CharterReporter::families_withheld(const std::string& offender, size_t families) {
  withheld_.Add({{"offender", offender}}).Increment(static_cast<double>(families));
}

void CharterReporter::exporter_failed(const std::string& offender, const std::string& error) {
  spdlog::warn("telemetry gate: nothing from {}: {}", offender, error);
  exporter_errors_.Add({{"exporter", offender}}).Increment();
}

void CharterReporter::scrape_refused(const boost::asio::ip::address&, const std::string& why) {
  spdlog::debug("telemetry gate: refused a scrape: {}",
                why);  // counted; a log line each could be a flood
  refused_scrapes_.Increment();
}

void CharterReporter::scrape_validated(std::chrono::nanoseconds took) {
  validation_seconds_.Observe(std::chrono::duration<double>(took).count());
}

}  // namespace westworld::agent
