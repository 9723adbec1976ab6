// A strict reader of the Prometheus text exposition format (0.0.4, plus the OpenMetrics
// pieces exporters commonly emit) into prometheus-cpp's types, and the writer back. The
// telemetry gate reads a local exporter with it, keeps the whitelisted families and writes
// them out again, so nothing an exporter wrote reaches the outside as raw text. It fails
// closed: any line the grammar does not allow rejects the whole exposition.
//
// Choices where the formats leave room, each the stricter one:
//   - a '\r' ending a line is dropped (CRLF exporters); any other control character inside
//     a label value or a HELP text is an error, and so is text that is not UTF-8;
//   - tokens are separated by spaces or tabs, and the value needs one before it even after
//     '}' (`up{a="b"}1` is an error);
//   - values are Go ParseFloat's decimal forms, NaN and [+-]Inf[inity] in any case; hex
//     floats, digit underscores and values that overflow or underflow a double are errors;
//   - timestamps are integer milliseconds only (OpenMetrics' float seconds are an error);
//   - OpenMetrics: `# EOF` ends the input, `# UNIT` is ignored, `unknown` is untyped,
//     `info`, `stateset` and `gaugehistogram` are errors; a counter F without the `_total`
//     suffix takes its value from F_total and drops F_created; exemplars are errors;
//   - TYPE names are lowercase only; `#` not followed by a blank is a plain comment;
//   - a histogram or summary series whose samples carry different timestamps is an error;
//     a histogram without `_count` gets the +Inf bucket's count, one without `_sum` zero.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "prometheus/metric_family.h"

namespace westworld::charter {

// A line of an exposition that is not valid: 1-based line number and why. Line 0 is the
// exposition as a whole (it is larger than the limit). The message quotes the exporter's
// text only in printable ASCII, so it is safe to log.
class ExpositionError : public std::runtime_error {
 public:
  ExpositionError(size_t line, const std::string& why);
  size_t line() const { return line_; }

 private:
  size_t line_;
};

// Bounds on what one exporter may make the gate hold in memory.
struct ExpositionLimits {
  size_t max_bytes = 8 << 20;
  size_t max_families = 10000;
  size_t max_samples = 200000;        // sample lines, including the dropped `_created` ones
  size_t max_labels_per_sample = 64;  // including `le` and `quantile`
};

// Parses a whole exposition. Throws ExpositionError naming the line. Families keep the
// exposition's order, series their first-seen order and labels their written order.
std::vector<prometheus::MetricFamily> parse_exposition(std::string_view text,
                                                       const ExpositionLimits& limits = {});

// The text exposition (0.0.4) of `families`, by prometheus::TextSerializer. HELP texts are
// escaped first (the serializer writes them raw, so a newline would start a forged line).
// Throws std::invalid_argument for a family or label name the grammar would not allow.
std::string serialize_exposition(const std::vector<prometheus::MetricFamily>& families);

}  // namespace westworld::charter
