#include <algorithm>
#include <limits>

#include "sections.h"
#include "westworld/policy/units.h"

namespace westworld::policy {
namespace {

constexpr uint64_t kMaxCount = std::numeric_limits<uint64_t>::max();

// The byte bucket must hold at least one jumbo frame, or frames of that size
// would be over quota by their size alone, at any rate.
constexpr uint64_t kMinDefaultBurstBytes = 9216;

// "-5Mbit" is a rate below zero, not a malformed one.
bool negative(const std::string& text) { return !text.empty() && text[0] == '-'; }

std::optional<uint64_t> read_bytes_per_second(const Value& value, DiagnosticSink& sink) {
  auto text = read_scalar(value, sink);
  if (!text) return std::nullopt;
  auto bits = negative(*text) ? 0 : parse_bit_rate(*text);
  if (!bits) {
    sink.error(value.at, value.name + " must be a rate such as 200Mbit (bit, Kbit, Mbit or Gbit)" +
                             ", not '" + *text + "'");
  } else if (*bits == 0) {
    sink.error(value.at, value.name + " must be positive, not " + *text);
  } else if (*bits < 8) {
    sink.error(value.at,
               value.name + " must be at least 8 bit (one byte per second), not " + *text);
  } else {
    return *bits / 8;
  }
  return std::nullopt;
}

std::optional<uint64_t> read_byte_size(const Value& value, DiagnosticSink& sink) {
  auto text = read_scalar(value, sink);
  if (!text) return std::nullopt;
  auto bytes = negative(*text) ? 0 : parse_byte_size(*text);
  if (!bytes) {
    sink.error(value.at,
               value.name + " must be a size such as 4MB (B, KB, MB or GB), not '" + *text + "'");
  } else if (*bytes == 0) {
    sink.error(value.at, value.name + " must be positive, not " + *text);
  } else {
    return bytes;
  }
  return std::nullopt;
}

}  // namespace

std::optional<Quota> load_quota(const Value& value, DiagnosticSink& sink) {
  if (value.node.IsScalar() && value.node.Scalar() == "unlimited") {
    if (!read_scalar(value, sink)) return std::nullopt;  // reports a tag
    return Quota{.unlimited = true};
  }
  if (!value.node.IsMap()) {
    sink.error(value.at, value.name + " must be unlimited or a mapping such as " +
                             "{pps: 20000, burst: 5000}, not " + describe(value.node));
    return std::nullopt;
  }
  size_t errors_before = sink.error_count();
  auto fields = read_fields(value, {"pps", "burst", "bps", "burst_bytes"}, sink);
  if (!fields) return std::nullopt;
  require_fields(*fields, value.name, value.at, {"pps", "burst"}, sink);
  Quota quota;
  const Field* burst_bytes = nullptr;
  bool has_byte_rate = false;
  for (const Field& field : *fields) {
    if (field.key == "pps") {
      quota.pps = read_integer(field, 1, kMaxCount, sink).value_or(0);
    } else if (field.key == "burst") {
      quota.burst = read_integer(field, 1, kMaxCount, sink).value_or(0);
    } else if (field.key == "bps") {
      has_byte_rate = true;
      quota.bytes_per_second = read_bytes_per_second(field, sink).value_or(0);
    } else {
      burst_bytes = &field;
      quota.burst_bytes = read_byte_size(field, sink).value_or(0);
    }
  }
  if (burst_bytes && !has_byte_rate) {
    sink.warning(burst_bytes->key_at, "burst_bytes has no effect without bps");
    quota.burst_bytes = 0;
  }
  if (has_byte_rate && !burst_bytes) {
    // 100 ms of traffic at the byte rate, like the packet bursts operators usually pick.
    quota.burst_bytes = std::max(quota.bytes_per_second / 10, kMinDefaultBurstBytes);
  }
  if (sink.error_count() != errors_before) return std::nullopt;
  return quota;
}

}  // namespace westworld::policy
