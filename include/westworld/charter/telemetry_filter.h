// The gate's rule, as a pure function: of the families one exporter offered, a collector
// gets only those the charter whitelists for its access level. Everything else is withheld
// (deny by default); a forbidden family is also named, so the caller can record the
// violation.
#pragma once

#include <prometheus/metric_family.h>

#include <string>
#include <vector>

#include "westworld/policy/model.h"

namespace westworld::charter {

struct FilteredFamilies {
  std::vector<prometheus::MetricFamily> served;
  std::vector<std::string> withheld;  // every family not served, forbidden ones included
  std::vector<const policy::ForbiddenMetric*> forbidden;  // into the settings passed in
};

// An operator collector may read public and operator metrics; a public one public only.
bool may_read(policy::MetricAccess collector, policy::MetricAccess metric);

FilteredFamilies filter_families(const policy::TelemetrySettings& settings,
                                 policy::MetricAccess access,
                                 std::vector<prometheus::MetricFamily> offered);

}  // namespace westworld::charter
