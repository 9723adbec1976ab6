#include "westworld/charter/telemetry_gate.h"

#include <memory>
#include <set>

#include "westworld/charter/exposition.h"
#include "westworld/charter/telemetry_filter.h"

namespace westworld::charter {

namespace asio = boost::asio;

std::optional<policy::MetricAccess> collector_access(const policy::TelemetrySettings& settings,
                                                     const asio::ip::address& peer) {
  // A v4 client of a dual-stack listener shows up as ::ffff:a.b.c.d.
  const asio::ip::address address =
      peer.is_v6() && peer.to_v6().is_v4_mapped()
          ? asio::ip::address(asio::ip::make_address_v4(asio::ip::v4_mapped, peer.to_v6()))
          : peer;
  const auto host = policy::parse_cidr(address.to_string());
  if (!host) return std::nullopt;
  for (const policy::Collector& collector : settings.collectors)
    for (const policy::Cidr& cidr : collector.addresses)
      if (cidr.family == host->family && cidr.contains(*host)) return collector.access;
  return std::nullopt;
}

// One scrape in flight: the settings it started with and each exporter's reply.
struct TelemetryGate::Scrape {
  policy::TelemetrySettings settings;
  policy::MetricAccess access = policy::MetricAccess::public_access;
  std::vector<ExporterReply> replies;
  size_t pending = 0;
  Reply reply;
};

TelemetryGate::TelemetryGate(asio::io_context& io, SettingsSource settings, ViolationLedger& ledger,
                             GateObserver& observer, const common::Clock& clock,
                             ExporterReadLimits limits)
    : io_(io),
      settings_(std::move(settings)),
      ledger_(ledger),
      observer_(observer),
      clock_(clock),
      limits_(limits) {}

void TelemetryGate::scrape(const asio::ip::address& peer, Reply reply) {
  auto scrape = std::make_shared<Scrape>();
  scrape->settings = settings_();
  if (!scrape->settings.present)
    return reply(503, "the running policy has no charter.telemetry section: nothing is served\n");
  const auto access = collector_access(scrape->settings, peer);
  if (!access) {
    const std::string why = peer.to_string() + " is not a collector of the running policy";
    observer_.scrape_refused(peer, why);
    return reply(403, why + "\n");
  }
  scrape->access = *access;
  scrape->reply = std::move(reply);
  scrape->replies.resize(scrape->settings.exporters.size());
  scrape->pending = scrape->replies.size();
  if (scrape->pending == 0) return answer(*scrape);
  for (size_t i = 0; i < scrape->settings.exporters.size(); ++i)
    read_exporter(io_, scrape->settings.exporters[i], limits_,
                  [this, scrape, i](ExporterReply reply) {
                    scrape->replies[i] = std::move(reply);
                    if (--scrape->pending == 0) answer(*scrape);
                  });
}

void TelemetryGate::answer(Scrape& scrape) {
  const auto started = clock_.monotonic();
  std::vector<prometheus::MetricFamily> served;
  std::set<std::string> served_names;
  try {
    for (size_t i = 0; i < scrape.replies.size(); ++i) {
      const std::string& offender = scrape.settings.exporters[i].url;
      const ExporterReply& reply = scrape.replies[i];
      if (!reply.error.empty()) {
        observer_.exporter_failed(offender, reply.error);
        continue;
      }
      std::vector<prometheus::MetricFamily> offered;
      try {
        offered = parse_exposition(reply.body);
      } catch (const ExpositionError& e) {
        observer_.exporter_failed(offender, e.what());
        continue;
      }
      FilteredFamilies filtered =
          filter_families(scrape.settings, scrape.access, std::move(offered));
      for (const policy::ForbiddenMetric* metric : filtered.forbidden) {
        const auto violation = ledger_.record(
            {offender, ViolationType::forbidden_metric, metric->name, metric->severity});
        if (violation) observer_.violation_recorded(*violation);
        observer_.forbidden_offered(metric->name, offender, violation ? "violation" : "repeat");
      }
      // Read after recording, so the violation that blocks an offender already counts.
      const bool blocked = ledger_.standing(offender).withheld();
      size_t withheld = filtered.withheld.size();
      for (prometheus::MetricFamily& family : filtered.served) {
        if (blocked || !served_names.insert(family.name).second)
          ++withheld;  // blocked, or the name another exporter already serves
        else
          served.push_back(std::move(family));
      }
      if (withheld > 0) observer_.families_withheld(offender, withheld);
    }
  } catch (const std::exception& e) {
    observer_.scrape_validated(clock_.monotonic() - started);
    return scrape.reply(500, std::string("the charter's violation ledger failed: ") + e.what() +
                                 "\nnothing is served\n");
  }
  observer_.scrape_validated(clock_.monotonic() - started);
  scrape.reply(200, serialize_exposition(served));
}

}  // namespace westworld::charter
