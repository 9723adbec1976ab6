#include "westworld/anomaly/alert.h"

#include <sstream>

namespace westworld::anomaly {

bool is_source_flood(std::string_view detector) {
  return detector == kRateJumpDetector || detector == kShareCreepDetector;
}

std::string summarize(const Alert& alert) {
  std::ostringstream text;
  text.precision(5);
  text << "alert " << alert.id << " (" << alert.finding.detector << " " << alert.finding.statistic
       << " " << alert.finding.value << " crossed " << alert.finding.threshold << ")";
  return text.str();
}

std::string describe(const Alert& alert) {
  const Finding& f = alert.finding;
  std::ostringstream text;
  text.precision(5);
  text << "alert " << alert.id << " " << f.detector << " on " << alert.subject << ": "
       << f.statistic << " " << f.value << " crossed " << f.threshold << " over " << f.windows
       << (f.windows == 1 ? " window" : " windows") << " of " << alert.window_ms << " ms";
  if (!f.detail.empty()) text << " (" << f.detail << ")";
  if (!alert.response.empty()) text << "; response: " << alert.response;
  return text.str();
}

}  // namespace westworld::anomaly
