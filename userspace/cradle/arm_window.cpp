// When an attack or fault acts within an arm: both arms replay the same schedule, so one that
// would start or end after the arm is over can only be a mistake, never a silent truncation.
#include "experiment_sections.h"

namespace westworld::cradle {

std::optional<Window> read_window(const Field* start, const Field* duration,
                                  const LoadContext& context, DiagnosticSink& sink) {
  Window window;
  bool valid = true;
  if (start) {
    auto ms = read_duration_ms(*start, 0, kMaxArmMs, sink);
    valid = valid && ms;
    window.start_ms = ms.value_or(0);
  }
  if (duration) {
    auto ms = read_duration_ms(*duration, 0, kMaxArmMs, sink);
    if (ms == 0u) {
      // Zero is how the model says "to the end"; written out it would look like "never".
      sink.error(duration->value_at,
                 "duration must be positive; leave it out to run to the end "
                 "of the arm");
      ms.reset();
    }
    valid = valid && ms;
    window.duration_ms = ms.value_or(0);
  }
  if (!valid) return std::nullopt;
  if (!context.arm_ms) return window;
  const uint64_t arm = *context.arm_ms;
  if (start && window.start_ms >= arm) {
    sink.error(start->value_at, "start " + format_ms(window.start_ms) + " is not within the " +
                                    format_ms(arm) + " arm; it must be earlier than its end");
    return std::nullopt;
  }
  const uint64_t end = uint64_t{window.start_ms} + window.duration_ms;
  if (duration && end > arm) {
    sink.error(duration->value_at,
               "start + duration is " + format_ms(end) + ", past the end of the " + format_ms(arm) +
                   " arm; at most " + format_ms(arm - window.start_ms) + " from a start of " +
                   format_ms(window.start_ms) + " (leave duration out to run to the end)");
    return std::nullopt;
  }
  return window;
}

}  // namespace westworld::cradle
