// Quantities as an experiment writes them: every one carries its unit ("20s", "200pps", "1%",
// "200B", "10Mbit"), because a bare number in a file that mixes milliseconds, seconds,
// packets and bytes is a guess waiting to be wrong. The readers report a misfit at the
// value's place, naming the units they accept; the parsers are pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "westworld/cradle/signals.h"
#include "westworld/policy/yaml_fields.h"

namespace westworld::cradle {

using policy::DiagnosticSink;
using policy::Value;

// --- pure parsers: nullopt for anything but the exact form ---

enum class TimeScale : uint8_t {
  milliseconds,  // accepts ms, s, m
  microseconds,  // accepts us, ms, s
};

// "500ms", "20s", "2m": an integer and a unit, no fraction, no space.
std::optional<uint64_t> parse_time(std::string_view text, TimeScale scale);

// "200pps".
std::optional<uint64_t> parse_pps(std::string_view text);

// "95%", "99.5%" (up to 4 decimals) or "950000ppm", in parts per million.
std::optional<uint64_t> parse_ppm(std::string_view text);

// "1500ms", "20s", "2m", "250ms": the shortest exact spelling of a millisecond count.
std::string format_ms(uint64_t ms);

// --- readers: the value, or nullopt after an error at its place ---

// A duration in [min_ms, max_ms] milliseconds.
std::optional<uint32_t> read_duration_ms(const Value& value, uint32_t min_ms, uint32_t max_ms,
                                         DiagnosticSink& sink);

// Packets (or applies) per second in [1, max_pps].
std::optional<uint32_t> read_pps(const Value& value, uint32_t max_pps, DiagnosticSink& sink);

// A probability as a percentage or ppm, in [1, 1000000] ppm.
std::optional<uint32_t> read_probability_ppm(const Value& value, DiagnosticSink& sink);

// A payload size with a byte unit (policy units: B, KB, MB), in [min, max] bytes.
std::optional<uint32_t> read_payload_bytes(const Value& value, uint32_t min, uint32_t max,
                                           DiagnosticSink& sink);

// A positive bit rate with its unit (policy units: bit, Kbit, Mbit, Gbit).
std::optional<uint64_t> read_bits_per_second(const Value& value, DiagnosticSink& sink);

// A gate's threshold in `signal`'s unit (signals.h).
std::optional<int64_t> read_threshold(const Value& value, const SignalName& signal,
                                      DiagnosticSink& sink);

// Names that end up in reports, signal names ("latency_p99.FLOW"), shells and namespace
// names: [A-Za-z0-9_-], 1..max_length characters.
std::optional<std::string> read_identifier(const Value& value, size_t max_length,
                                           DiagnosticSink& sink);

}  // namespace westworld::cradle
