// The gate's rule: whitelisted families for the collector's access, nothing else.
#include "westworld/charter/telemetry_filter.h"

#include <gtest/gtest.h>

namespace westworld::charter {
namespace {

using policy::MetricAccess;

policy::TelemetrySettings settings() {
  policy::TelemetrySettings s;
  s.present = true;
  s.whitelist = {{"latency_p50", MetricAccess::public_access, 30, {}},
                 {"cpu_usage_percent", MetricAccess::operator_only, 30, {}}};
  s.forbidden = {{"user_location", policy::ViolationSeverity::critical, "where", {}}};
  return s;
}

std::vector<prometheus::MetricFamily> offer(std::initializer_list<const char*> names) {
  std::vector<prometheus::MetricFamily> families;
  for (const char* name : names) {
    prometheus::MetricFamily family;
    family.name = name;
    family.type = prometheus::MetricType::Gauge;
    family.metric.emplace_back().gauge.value = 1;
    families.push_back(family);
  }
  return families;
}

std::vector<std::string> names(const std::vector<prometheus::MetricFamily>& families) {
  std::vector<std::string> out;
  for (const auto& family : families) out.push_back(family.name);
  return out;
}

using Names = std::vector<std::string>;

TEST(TelemetryFilter, APublicCollectorGetsPublicWhitelistedFamiliesOnly) {
  const auto s = settings();
  const FilteredFamilies f = filter_families(
      s, MetricAccess::public_access,
      offer({"latency_p50", "cpu_usage_percent", "node_boot_time", "user_location"}));
  EXPECT_EQ(names(f.served), Names{"latency_p50"});
  EXPECT_EQ(f.withheld, (Names{"cpu_usage_percent", "node_boot_time", "user_location"}));
  ASSERT_EQ(f.forbidden.size(), 1u);
  EXPECT_EQ(f.forbidden[0]->name, "user_location");
  EXPECT_EQ(f.forbidden[0]->severity, policy::ViolationSeverity::critical);
}

TEST(TelemetryFilter, AnOperatorCollectorAlsoGetsOperatorFamilies) {
  const auto s = settings();
  const FilteredFamilies f =
      filter_families(s, MetricAccess::operator_only, offer({"latency_p50", "cpu_usage_percent"}));
  EXPECT_EQ(names(f.served), (Names{"latency_p50", "cpu_usage_percent"}));
  EXPECT_TRUE(f.withheld.empty());
  EXPECT_TRUE(f.forbidden.empty());
}

TEST(TelemetryFilter, NamesMatchWholeNotByPrefix) {
  const auto s = settings();
  const FilteredFamilies f = filter_families(s, MetricAccess::operator_only,
                                             offer({"latency_p50_by_user", "user_location_city"}));
  EXPECT_TRUE(f.served.empty());
  EXPECT_TRUE(f.forbidden.empty());  // not forbidden by name, and withheld all the same
  EXPECT_EQ(f.withheld.size(), 2u);
}

}  // namespace
}  // namespace westworld::charter
