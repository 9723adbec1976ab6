// The telemetry gate: the one way a node's metrics reach a collector. On every scrape it
// reads the local exporters the charter names, keeps only whitelisted families for the
// collector's access level, withholds everything else, records every forbidden family
// offered as a violation of the exporter that offered it, and withholds all of an
// offender's telemetry while the escalation ladder says so.
//
// Nothing an exporter wrote is passed through as text: expositions are parsed
// (exposition.h) and the families served are serialized anew. A malformed exposition is
// withheld whole.
#pragma once

// clang-format off
#include <utility>  // before Asio: Boost 1.74 needs std::exchange declared under C++20
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
// clang-format on
#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "westworld/charter/exporter_client.h"
#include "westworld/charter/violation_ledger.h"
#include "westworld/common/clock.h"
#include "westworld/policy/model.h"

namespace westworld::charter {

// What the gate does, for the agent's metrics, log and audit log. Called on the io_context.
class GateObserver {
 public:
  virtual ~GateObserver() = default;
  virtual void violation_recorded(const Violation& violation) = 0;
  // status: "violation" (recorded now) or "repeat" (an offence already recorded today).
  virtual void forbidden_offered(const std::string& metric, const std::string& offender,
                                 const char* status) = 0;
  virtual void families_withheld(const std::string& offender, size_t families) = 0;
  virtual void exporter_failed(const std::string& offender, const std::string& error) = 0;
  virtual void scrape_refused(const boost::asio::ip::address& peer, const std::string& why) = 0;
  // Parsing and filtering one scrape's expositions (not waiting for the exporters).
  virtual void scrape_validated(std::chrono::nanoseconds took) = 0;
};

// The access of a scraper at `peer`: the first collector whose addresses contain it, or
// nothing when it is not a collector.
std::optional<policy::MetricAccess> collector_access(const policy::TelemetrySettings& settings,
                                                     const boost::asio::ip::address& peer);

class TelemetryGate {
 public:
  // The running policy's telemetry section, read at the start of each scrape.
  using SettingsSource = std::function<policy::TelemetrySettings()>;
  using Reply = std::function<void(unsigned http_status, std::string body)>;

  TelemetryGate(boost::asio::io_context& io, SettingsSource settings, ViolationLedger& ledger,
                GateObserver& observer, const common::Clock& clock, ExporterReadLimits limits = {});

  // Answers a scrape from `peer`: 403 for an address no collector has, 503 without a
  // charter.telemetry section, 500 when the ledger cannot be read (nothing is served
  // unless the gate knows who is blocked), else 200 and the whitelisted families.
  void scrape(const boost::asio::ip::address& peer, Reply reply);

 private:
  struct Scrape;
  void answer(Scrape& scrape);

  boost::asio::io_context& io_;
  SettingsSource settings_;
  ViolationLedger& ledger_;
  GateObserver& observer_;
  const common::Clock& clock_;
  ExporterReadLimits limits_;
};

}  // namespace westworld::charter
