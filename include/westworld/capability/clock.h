// Time comes from a Clock so verification can be tested at any instant.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace westworld::capability {

using UnixSeconds = std::chrono::sys_seconds;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual UnixSeconds now() const = 0;
};

class SystemClock final : public Clock {
 public:
  UnixSeconds now() const override;
};

class FixedClock final : public Clock {
 public:
  explicit FixedClock(UnixSeconds now) : now_(now) {}
  UnixSeconds now() const override { return now_; }
  void set(UnixSeconds now) { now_ = now; }

 private:
  UnixSeconds now_;
};

const Clock& system_clock();

// Exactly YYYY-MM-DDTHH:MM:SSZ (RFC 3339, UTC, whole seconds): one spelling per instant.
std::optional<UnixSeconds> parse_rfc3339_utc(std::string_view text);
std::string format_rfc3339_utc(UnixSeconds time);

}  // namespace westworld::capability
