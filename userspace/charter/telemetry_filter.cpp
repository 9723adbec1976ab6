#include "westworld/charter/telemetry_filter.h"

#include <algorithm>

namespace westworld::charter {
namespace {

template <typename Entry>
const Entry* find_named(const std::vector<Entry>& entries, const std::string& name) {
  const auto it = std::find_if(entries.begin(), entries.end(),
                               [&](const Entry& entry) { return entry.name == name; });
  return it == entries.end() ? nullptr : &*it;
}

}  // namespace

bool may_read(policy::MetricAccess collector, policy::MetricAccess metric) {
  return collector == policy::MetricAccess::operator_only ||
         metric == policy::MetricAccess::public_access;
}

FilteredFamilies filter_families(const policy::TelemetrySettings& settings,
                                 policy::MetricAccess access,
                                 std::vector<prometheus::MetricFamily> offered) {
  FilteredFamilies out;
  for (prometheus::MetricFamily& family : offered) {
    if (const auto* forbidden = find_named(settings.forbidden, family.name))
      out.forbidden.push_back(forbidden);
    const auto* whitelisted = find_named(settings.whitelist, family.name);
    if (whitelisted && may_read(access, whitelisted->access))
      out.served.push_back(std::move(family));
    else
      out.withheld.push_back(std::move(family.name));
  }
  return out;
}

}  // namespace westworld::charter
